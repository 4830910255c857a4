"""Survey uncertainty in a real browser: the trend chart's CI band and the map tooltip data.

Its own live server on a temporary database with a published survey (see
tests/web/test_uncertainty.py); fails on any console error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from equals.settings import Settings
from tests.conftest import serve
from tests.web.test_uncertainty import COUNTRY, SURVEY, publish_survey

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def survey_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('survey-live') / 'equals.db'}"
    publish_survey(url)
    with serve(Settings(db_url=url)) as base:
        yield base


@pytest.fixture
def page(browser: Any, survey_server: str) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    pg.base = survey_server
    try:
        yield pg, errors
    finally:
        context.close()


def test_trend_chart_draws_ci_band(page: tuple[Any, list[str]]) -> None:
    pg, errors = page
    pg.goto(f"{pg.base}/country/{COUNTRY}")
    chart = "#ind-internet_use .js-trend"
    pg.wait_for_selector(f"{chart}[data-state=ready]", timeout=20_000)
    assert pg.get_attribute(chart, "data-uncertainty") == "band"
    # The errorband is an area mark; the error bars are rules; both inside the chart's SVG.
    areas = pg.locator(f"{chart} svg g.mark-area path")
    assert areas.count() >= 2  # women and men
    assert pg.locator(f"{chart} svg g.mark-rule line").count() >= 4
    label = pg.get_attribute(f"{chart} svg", "aria-label") or ""
    assert "confidence intervals" in label
    # A chart without survey data has no band.
    others = pg.locator(".js-trend[data-state=ready]:not([data-uncertainty])")
    assert others.count() >= 1
    assert errors == []


def test_survey_map_draws_with_se(page: tuple[Any, list[str]]) -> None:
    pg, errors = page
    pg.goto(f"{pg.base}/indicator/internet_use?source={SURVEY}")
    pg.wait_for_selector("#map[data-state=ready]", timeout=20_000)
    assert pg.get_attribute("#map", "data-countries") == "1"
    assert "± SE" in pg.inner_text("#ranking thead")
    assert errors == []


def test_map_tooltip_shows_se(page: tuple[Any, list[str]]) -> None:
    pg, errors = page
    pg.goto(f"{pg.base}/indicator/internet_use?source={SURVEY}")
    pg.wait_for_selector("#map[data-state=ready]", timeout=20_000)
    kenya = pg.locator('#map svg path[aria-label^="Kenya:"]')
    kenya.hover(force=True)
    tip = pg.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    text = tip.inner_text()
    assert "47.0% ± 1.2" in text and "55.5% ± 1.3" in text
    assert errors == []
