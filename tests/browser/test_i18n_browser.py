"""French and Spanish in a real browser: the map, the trend charts and the switcher.

Headless Debian Chromium through Playwright against the app under uvicorn (fixtures in
tests/conftest.py), like tests/browser/test_dashboard.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.base = live_server
    p.errors = errors
    try:
        yield p
    finally:
        context.close()


def test_french_map_legend_and_country_link(page: Any) -> None:
    page.goto(page.base + "/fr/?indicator=internet_use")
    page.wait_for_selector("#map[data-state=ready]", timeout=20_000)
    legend = page.inner_text("#map-legend")
    assert "Indice de parité entre les sexes" in legend and "0,98–1,02 parité" in legend
    assert "Pas de données" in legend
    # country names in French from the embedded CLDR names (the API keeps them as published)
    assert page.locator('#map svg path[aria-label^="Allemagne\xa0:"]').count() == 1
    kenya = page.locator('#map svg path[aria-label^="Kenya"]')
    assert ": parité " in (kenya.get_attribute("aria-label") or "")
    # a click on a country opens its page in the same language
    point = page.evaluate(
        """(sel) => {
          const p = document.querySelector(sel);
          p.scrollIntoView({block: 'center'});
          const b = p.getBoundingClientRect();
          for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
            const x = b.left + b.width * i / 12, y = b.top + b.height * j / 12;
            if (document.elementFromPoint(x, y) === p) return [x, y];
          }
          return null;
        }""",
        '#map svg path[aria-label^="Kenya"]',
    )
    assert point
    page.mouse.click(point[0], point[1])
    page.wait_for_url("**/fr/country/KEN**", timeout=20_000)
    assert page.locator("h1").inner_text() == "Kenya"
    assert page.errors == []


def test_spanish_trend_chart_labels_the_series_in_spanish(page: Any) -> None:
    page.goto(page.base + "/es/country/KEN")
    page.wait_for_selector("#trend-internet_use[data-state=ready]", timeout=20_000)
    svg = page.inner_html("#trend-internet_use")
    assert "Mujeres" in svg and "Hombres" in svg
    label = page.locator("#trend-internet_use svg").get_attribute("aria-label") or ""
    assert label.startswith("Gráfico de líneas de")
    assert page.errors == []


def test_switcher_is_usable_by_keyboard_on_a_phone(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    p = context.new_page()
    try:
        p.goto(live_server + "/indicators")
        links = p.locator(".lang-switch a")
        assert links.count() == 3
        for i in range(3):
            box = links.nth(i).bounding_box()
            assert box is not None and box["width"] >= 44 and box["height"] >= 44
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        p.locator(".lang-switch a[hreflang=es]").focus()
        p.keyboard.press("Enter")
        p.wait_for_url("**/es/indicators")
        assert p.locator("h1").inner_text() == "Indicadores"
        assert p.evaluate("document.documentElement.lang") == "es"
        overflow = p.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow
    finally:
        context.close()


def test_french_analysis_charts_draw(page: Any) -> None:
    page.goto(page.base + "/fr/analysis/country/KEN")
    page.wait_for_selector("#chart-trend[data-state=ready]", timeout=30_000)
    label = page.locator("#chart-trend svg").get_attribute("aria-label") or ""
    assert label.startswith("Indice de parité, ")
    assert page.errors == []
