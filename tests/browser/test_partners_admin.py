"""The registry's administration forms in a real browser (Chromium): an admin adds a coalition
with the keyboard only (Tab, typing, Space on a member, Enter to save) and sees it on the
coalitions page; the seat form flags a term that ends before it starts as soon as the field is
left; a merge goes through the form and lands on the surviving partner; on a phone none of the
three forms scrolls sideways."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from equals.auth import Role, create_user
from equals.settings import Settings
from equals.store import Store
from tests.conftest import serve

pytestmark = pytest.mark.browser

USER, PASSWORD = "browser-admin", "a long enough passphrase 42"


@pytest.fixture(scope="module")
def site(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("partners-admin-browser") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    from equals.bootstrap import initialise

    store = Store(url)
    initialise(store)  # the example content, as on a new install
    create_user(store, USER, PASSWORD, roles=[Role.ADMIN])
    store.dispose()
    with serve(Settings(db_url=url)) as live:
        yield live


def _new_page(browser: Any, site: str, **options: Any) -> Any:
    context = browser.new_context(base_url=site, **options)
    p = context.new_page()
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.console_errors = errors
    p.goto("/login?next=/coalitions")
    p.fill("input[name=name]", USER)
    p.fill("input[name=password]", PASSWORD)
    p.click("form button[type=submit]")
    p.wait_for_url("**/coalitions")
    return p


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    p = _new_page(browser, site)
    yield p
    p.context.close()


def _tab_to(page: Any, selector: str, limit: int = 400) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_add_a_coalition_with_the_keyboard_only(page: Any) -> None:
    page.click("a[href='/coalitions/new']")
    page.wait_for_url("**/coalitions/new")
    _tab_to(page, "#id")
    page.keyboard.type("gender-data")
    page.keyboard.press("Tab")
    page.keyboard.type("Gender Data Coalition")
    page.keyboard.press("Tab")  # the action area
    page.keyboard.type("Research")  # a select picks the option typed
    assert page.locator("#action_area").input_value() == "research"
    _tab_to(page, "input[name=member][value=apc]")
    page.keyboard.press("Space")
    assert page.locator("input[name=member][value=apc]").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("01022019")  # the "since" date field (en-US: month, day, year)
    _tab_to(page, "#name")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/coalitions#coalition-gender-data")
    card = page.locator("#coalition-gender-data")
    assert "Gender Data Coalition" in card.inner_text()
    assert "APC since 2019-01-02" in card.inner_text()
    assert page.console_errors == []


def test_seat_form_flags_a_term_ending_before_it_starts(page: Any) -> None:
    page.goto("/governance/new?body=steering-committee")
    assert page.locator("#body").input_value() == "steering-committee"
    page.fill("#organization_id", "apc")
    page.fill("#since", "2024-06-01")
    page.fill("#until", "2024-01-01")
    page.locator("#holder").focus()
    assert "before the start" in page.locator("#live-err-until").inner_text()
    page.click("form.pn-form button[type=submit]")  # the server says so too, naming the field
    assert "before it starts" in page.locator("#err-until").inner_text()
    assert page.locator("#holder").input_value() == ""  # the form came back, input kept
    assert page.locator("#organization_id").input_value() == "apc"
    page.fill("#until", "2030-06-01")  # a current holder (a past term is folded away)
    page.fill("#holder", "Browser Holder")
    page.click("form.pn-form button[type=submit]")
    page.wait_for_url("**/coalitions#seat-*")  # the new seat's row
    assert "Browser Holder" in page.locator("section[aria-labelledby=gov-title]").inner_text()


def test_merge_through_the_form(page: Any) -> None:
    page.goto("/organizations/merge")
    page.fill("#merged", "un-women")
    page.fill("#into", "itu")
    page.click("form.pn-form button[type=submit]")
    assert page.locator("#err-confirm").count() == 1  # not confirmed: nothing merged
    page.check("#confirm")
    page.click("form.pn-form button[type=submit]")
    assert "both" in page.locator("#err-merged").inner_text()  # two partners are not merged
    assert page.locator("#merged").input_value() == "un-women"


@pytest.mark.parametrize(
    "url", ["/coalitions/new", "/coalitions/access/edit", "/governance/new", "/organizations/merge"]
)
def test_admin_forms_fit_a_phone(browser: Any, site: str, url: str) -> None:
    p = _new_page(browser, site, viewport={"width": 375, "height": 740})
    p.goto(url)
    overflow = p.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    p.context.close()
    assert overflow <= 0
