"""The dashboard in a real browser: map, navigation, values, sorting, selectors, phone layout.

Runs headless Debian Chromium through Playwright against the app under uvicorn (fixtures
``browser`` and ``live_server`` in tests/conftest.py). Every test fails on a console error.
Set ``EQUALS_SCREENSHOTS=1`` to also write the README screenshots to docs/screenshots/.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

NO_DATA_FILL = "#c8c8c8"  # EQUALS.NO_DATA_COLOUR in static/js/equals.js
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

COLOURED_PATHS = """
() => [...document.querySelectorAll('#map svg path[aria-roledescription="geoshape"]')]
  .map(p => (p.getAttribute('fill') || '').toLowerCase())
  .filter(f => f && f !== 'none' && f !== 'transparent' && f !== 'NO_DATA').length
""".replace("NO_DATA", NO_DATA_FILL)


@dataclass
class Tab:
    """A page plus the console errors it logged."""

    page: Any
    base: str
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def wait_map(self) -> None:
        self.page.wait_for_selector("#map[data-state=ready]", timeout=20_000)

    def assert_no_console_errors(self) -> None:
        assert self.errors == []


def _open(browser: Any, base: str, width: int = 1280, height: int = 900) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    tab = Tab(page, base)
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.errors.append(f"page error: {e}"))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def tab(browser: Any, live_server: str) -> Iterator[Tab]:
    yield from _open(browser, live_server)


@pytest.fixture
def phone(browser: Any, live_server: str) -> Iterator[Tab]:
    yield from _open(browser, live_server, 390, 844)


def _click_path(tab: Tab, selector: str) -> None:
    """Click a point inside an SVG path (its bounding-box centre may fall outside it)."""
    point = tab.page.evaluate(
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
        selector,
    )
    assert point, f"no clickable point in {selector}"
    tab.page.mouse.click(point[0], point[1])


def test_home_map_draws_coloured_countries(tab: Tab) -> None:
    tab.goto("/?indicator=internet_use")
    tab.wait_map()
    assert tab.page.evaluate(COLOURED_PATHS) >= 50
    kenya = tab.page.locator('#map svg path[aria-label^="Kenya:"]')
    assert kenya.get_attribute("fill") not in (None, NO_DATA_FILL)
    # the legend shows the parity band as its own class
    assert "0.98–1.02 parity" in tab.page.inner_text("#map-legend")
    tab.assert_no_console_errors()


def test_clicking_a_country_opens_its_page(tab: Tab) -> None:
    tab.goto("/?indicator=internet_use")
    tab.wait_map()
    _click_path(tab, '#map svg path[aria-label^="Kenya:"]')
    tab.page.wait_for_url("**/country/KEN?indicator=internet_use#ind-internet_use")
    assert tab.page.inner_text("h1") == "Kenya"
    assert tab.page.get_attribute("#ind-internet_use", "class") == "card entry is-highlighted"
    tab.assert_no_console_errors()


def test_country_page_value_matches_api(tab: Tab) -> None:
    tab.goto("/country/KEN")
    api = tab.page.request.get(tab.base + "/api/v1/countries/KEN").json()
    latest = next(e["latest"] for e in api["indicators"] if e["indicator"]["id"] == "internet_use")
    cell = tab.page.locator('[data-testid="female-internet_use"]')
    assert float(cell.get_attribute("data-value")) == latest["female"]
    assert cell.inner_text() == f"{latest['female']:.1f}%"
    assert tab.page.inner_text('[data-testid="year-internet_use"]') == str(latest["year"])
    # the trend charts draw from the same profile
    tab.page.wait_for_selector(".js-trends[data-state=ready]", timeout=20_000)
    assert tab.page.locator('.js-trend[data-indicator="internet_use"] svg').count() == 1
    tab.assert_no_console_errors()


def _column(tab: Tab, index: int) -> list[str]:
    return tab.page.eval_on_selector_all(
        f"#ranking tbody tr td:nth-child({index})",
        "cells => cells.map(c => c.getAttribute('data-value') ?? c.textContent.trim())",
    )


def _collation_key(name: str) -> str:
    """Roughly the browser's localeCompare: accents and case do not count first."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def test_ranking_table_sorts_on_header_click(tab: Tab) -> None:
    tab.goto("/indicator/internet_use")
    women = tab.page.locator("#ranking thead th", has_text="Women")
    women.locator("button").click()
    assert women.get_attribute("aria-sort") == "ascending"
    values = [float(v) for v in _column(tab, 3) if v != ""]
    assert values == sorted(values) and len(values) > 50
    women.locator("button").click()
    assert women.get_attribute("aria-sort") == "descending"
    values = [float(v) for v in _column(tab, 3) if v != ""]
    assert values == sorted(values, reverse=True)
    country = tab.page.locator("#ranking thead th", has_text="Country")
    country.locator("button").click()
    names = _column(tab, 2)
    assert names == sorted(names, key=_collation_key)
    tab.assert_no_console_errors()


def test_selecting_an_indicator_updates_url_and_map(tab: Tab) -> None:
    tab.goto("/?indicator=internet_use")
    tab.wait_map()
    before = tab.page.inner_text("#map-legend")
    tab.page.select_option("#indicator-select", "account_ownership")
    tab.page.wait_for_url("**/?indicator=account_ownership", timeout=10_000)
    tab.wait_map()
    assert "indicator=account_ownership" in tab.page.get_attribute("#map", "data-gaps-url")
    assert tab.page.evaluate(COLOURED_PATHS) >= 50
    assert tab.page.inner_text("#map-legend") != before
    # a year is shareable in the URL too
    tab.page.select_option("#year-select", "2017")
    tab.page.wait_for_url("**/?indicator=account_ownership&year=2017", timeout=10_000)
    tab.wait_map()
    assert tab.page.get_attribute("#map", "data-year") == "2017"
    # choosing a pillar picks its first indicator
    tab.page.select_option("#pillar-select", "leadership")
    tab.page.wait_for_url("**/?indicator=ict_professionals", timeout=10_000)
    tab.assert_no_console_errors()


@pytest.mark.parametrize("path", ["/", "/country/KEN", "/indicator/internet_use", "/about"])
def test_phone_viewport_has_no_horizontal_overflow(phone: Tab, path: str) -> None:
    phone.goto(path)
    if path == "/" or path.startswith("/indicator"):
        phone.wait_map()
    widths = phone.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]"
    )
    assert widths[0] <= widths[2] and widths[1] <= widths[2], widths
    phone.assert_no_console_errors()


def test_readme_screenshots(tab: Tab, tmp_path: Path) -> None:
    """The README's screenshots: written to docs/screenshots/ with EQUALS_SCREENSHOTS=1,
    else to a temporary folder (so the pages they show are still exercised in CI)."""
    out = SCREENSHOTS if os.environ.get("EQUALS_SCREENSHOTS") == "1" else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    page = tab.page
    page.set_viewport_size({"width": 1280, "height": 860})
    tab.goto("/?indicator=internet_use")
    tab.wait_map()
    page.screenshot(path=str(out / "home.png"))
    tab.goto("/country/KEN")
    page.wait_for_selector(".js-trends[data-state=ready]", timeout=20_000)
    page.screenshot(path=str(out / "country.png"))
    tab.goto("/indicator/internet_use?source=itu-urban-rural&breakdown=location=rural")
    tab.wait_map()
    page.screenshot(
        path=str(out / "indicator.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1280, "height": 1800},
    )
    tab.assert_no_console_errors()
    for name in ("home.png", "country.png", "indicator.png"):
        assert (out / name).stat().st_size > 20_000, name
