"""In a real browser (Chromium): a partner-editor signs in, adds an initiative with a target on
a country, and sees it on the initiative page (chart drawn), on the evidence-to-action map and
ranking, and on the partner's page; inline validation; the phone layout does not overflow; an
admin ends a governance term with the keyboard and finds it among the past terms."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from equals.auth import Grant, Role, create_user
from equals.settings import Settings
from equals.store import Store
from tests.conftest import serve

pytestmark = pytest.mark.browser

USER, PASSWORD = "browser-gsma", "a long enough passphrase 42"
ADMIN = "browser-admin"


@pytest.fixture(scope="module")
def site(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("partners-browser") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    from equals.bootstrap import initialise

    store = Store(url)
    initialise(store)  # the example content, as on a new install
    create_user(store, USER, PASSWORD, roles=[Grant(Role.PARTNER_EDITOR, "gsma")])
    create_user(store, ADMIN, PASSWORD, roles=[Role.ADMIN])
    store.dispose()
    with serve(Settings(db_url=url)) as live:
        yield live


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(base_url=site)
    p = context.new_page()
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.console_errors = errors
    yield p
    context.close()


def test_add_an_initiative_and_see_it_everywhere(page: Any) -> None:
    page.goto("/initiatives/new")
    assert "/login" in page.url
    page.fill("input[name=name]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/initiatives/new")
    # Inline validation, before anything is sent.
    page.fill("#countries", "NE, NER")
    page.locator("#title").focus()
    assert "Not ISO 3166-1 alpha-3 codes: NE" in page.locator("#live-err-countries").inner_text()
    page.fill("#countries", "NER")
    page.fill("#title", "Mobile Internet for women in Niger")
    page.locator("#countries").focus()
    assert page.locator("#live-err-countries").count() == 0
    page.check("input[name=action_areas][value=access]")
    page.check("input[name=target_groups][value=rural_women]")
    page.fill("#start_date", "2025-01-01")
    page.fill("#end_date", "2024-01-01")
    page.locator("#title").focus()
    assert "before the start" in page.locator("#live-err-end_date").inner_text()
    page.fill("#end_date", "2027-12-31")
    page.select_option("select[name=target_indicator_0]", "internet_use")
    page.fill("input[name=target_country_0]", "NER")
    page.fill("input[name=target_baseline_value_0]", "10")
    page.fill("input[name=target_baseline_year_0]", "2017")
    page.fill("input[name=target_value_0]", "25")
    page.fill("input[name=target_year_0]", "2027")
    page.click("form.js-initiative-form button[type=submit]")
    page.wait_for_url("**/initiatives/*")
    assert page.locator("h1").inner_text().startswith("Mobile Internet for women in Niger")
    chart = page.locator(".js-target-chart").first
    page.locator(".js-target-chart[data-state=ready]").first.wait_for()  # (CSP: no eval)
    assert int(chart.get_attribute("data-points")) >= 3  # published series, baseline, target
    assert chart.locator("svg").count() == 1
    # The action map and ranking count it for Niger.
    page.goto("/action?pillar=access")
    page.locator("#action-map[data-state=ready]").wait_for()
    assert int(page.locator("#action-map").get_attribute("data-countries")) > 100
    row = page.locator("tr[data-country=NER]")
    assert row.locator(".pn-count").inner_text() == "1"
    # And the partner's page lists it.
    page.goto("/partners/gsma")
    assert (
        "Mobile Internet for women in Niger"
        in page.locator("[data-testid=partner-initiatives]").inner_text()
    )
    page.goto("/action/NER")
    assert "GSMA" in page.locator("[data-testid=who-does-what]").inner_text()
    assert page.console_errors == []


@pytest.mark.parametrize(
    "url", ["/partners", "/action", "/initiatives", "/coalitions", "/partners/apc"]
)
def test_phone_layout_has_no_sideways_scroll(browser: Any, site: str, url: str) -> None:
    context = browser.new_context(base_url=site, viewport={"width": 375, "height": 740})
    p = context.new_page()
    p.goto(url)
    overflow = p.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    context.close()
    assert overflow <= 0


def test_keyboard_reaches_the_filters(page: Any) -> None:
    page.goto("/partners")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.name") == "q":
            break
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("progressive")
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners?*")
    assert "APC" in page.locator("[data-testid=partner-list]").inner_text()


def test_admin_ends_a_term_with_the_keyboard(page: Any) -> None:
    page.goto("/login")
    page.fill("input[name=name]", ADMIN)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto("/coalitions")
    link = page.locator("a[href$='/end']").first
    row = link.locator("xpath=ancestor::tr")
    organisation = row.locator("td").first.inner_text()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/governance/*/end")
    page.locator("#until").focus()
    page.fill("#until", "2024-12-31")
    page.keyboard.press("Enter")
    page.wait_for_url("**/coalitions#seat-*")
    seat = page.url.rsplit("#", 1)[1]
    folded = page.locator(f"details:has(#{seat})")  # among the past terms, folded away …
    if not folded.evaluate("d => d.open"):  # … unless the browser opened it for the #fragment
        folded.locator("summary").focus()
        page.keyboard.press("Enter")
    past = page.locator(f"#{seat}")
    assert past.is_visible() and "2024-12-31" in past.inner_text()
    assert organisation.split()[0] in past.inner_text()
    assert page.console_errors == []
