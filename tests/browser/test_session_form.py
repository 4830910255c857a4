"""The rapporteur form in a real browser: sign in, the report validates as you type, a
revision made meanwhile shows both texts; the participation chart draws on a phone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import pytest

from equals.auth import Role, UserExistsError, create_user
from equals.store import Store

pytestmark = pytest.mark.browser

USER, PASSWORD = "browser-rapporteur", "a long enough passphrase"


@pytest.fixture
def page(browser: Any, live_server: str, loaded_db_url: str) -> Iterator[Any]:
    store = Store(loaded_db_url)
    with suppress(UserExistsError):  # made by an earlier run in this test session
        create_user(store, USER, PASSWORD, roles=[Role.RAPPORTEUR])
    store.dispose()
    context = browser.new_context(base_url=live_server)
    p = context.new_page()
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.console_errors = errors
    yield p
    context.close()


def test_sign_in_then_the_form_validates_as_you_type(page: Any) -> None:
    page.goto("/sessions/new")
    assert "/login" in page.url  # the form needs a signed-in user
    page.fill("input[name=name]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url("**/sessions/new")
    # Typing a title starts a validation round trip; the required fields still empty show up.
    page.fill("#field_title", "Closing the gender gap in mobile Internet use")
    status = page.locator("#form-status")
    status.wait_for(state="visible")
    page.wait_for_function("document.getElementById('form-status').textContent.length > 0")
    assert "error" in status.text_content()
    row = page.locator(".form-row[data-field=organizers] .findings li")
    assert row.count() >= 1
    # Guidance from the template sits beside each field.
    assert page.locator(".form-row[data-field=key_issues]").inner_text().strip()
    assert page.console_errors == []


def _sign_in(page: Any, next_path: str) -> None:
    page.goto(next_path)
    if "/login" in page.url:
        page.fill("input[name=name]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit], form input[type=submit]")
        page.wait_for_url(f"**{next_path}")


def test_a_revision_changed_meanwhile_shows_both_texts(page: Any, loaded_db_url: str) -> None:
    from equals.archive.filing import EventRef, file_report
    from equals.auth import Actor, get_user
    from equals.sessions import parse_report
    from tests.sessions.store.conftest import report_text

    store = Store(loaded_db_url)
    user = get_user(store, USER)
    title = f"Browser conflict session {uuid.uuid4().hex[:8]}"
    filed = file_report(store, parse_report(report_text(title)), actor=Actor.of(user),
                        event=EventRef("IGF", 2016), user=user)  # fmt: skip
    sid = filed.session_id
    _sign_in(page, f"/sessions/{sid}/edit")
    page.fill("#field_key_issues", "My browser edit of the key issue.")
    # Meanwhile another revision is saved (based on the same version the form was opened at).
    other = report_text(title, key_issues=["Someone else's key issue."])
    file_report(store, parse_report(other), actor=Actor("someone-else"), session_id=sid,
                expected_version=filed.version)  # fmt: skip
    store.dispose()
    page.click("#report-form button[type=submit]")
    box = page.locator("#edit-conflict")
    box.wait_for(state="visible")
    text = box.inner_text()
    assert "changed since you opened it" in text
    assert "My browser edit of the key issue." in text and "Someone else's key issue." in text
    # The form keeps what was typed, now based on the saved version: saving again works.
    assert page.input_value("#field_key_issues") == "My browser edit of the key issue."
    page.click("#report-form button[type=submit]")
    page.wait_for_url(f"**/sessions/{sid}")
    assert "My browser edit of the key issue." in page.content()
    # The conflict page itself answers 409, which Chromium logs; nothing else may fail.
    assert [e for e in page.console_errors if "409 (Conflict)" not in e] == []


def test_the_participation_chart_draws_on_a_phone(page: Any, loaded_db_url: str) -> None:
    from equals.archive.filing import EventRef, file_report
    from equals.auth import Actor
    from equals.sessions import parse_report
    from tests.sessions.conftest import FIXTURES

    store = Store(loaded_db_url)
    report = parse_report((FIXTURES / "igf2018-short.txt").read_text("utf-8"))
    file_report(store, report, actor=Actor.cli(), event=EventRef("IGF", 2018))
    store.dispose()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/sessions/participation?by=year")
    chart = page.locator("#participation-chart")
    page.wait_for_function(
        "document.getElementById('participation-chart').dataset.state === 'ready'"
    )
    assert int(chart.get_attribute("data-bars")) >= 1
    assert page.locator("#participation-chart svg").count() == 1
    assert "2018" in page.locator("#participation-table").inner_text()
    # Nothing wider than the phone's screen except inside the scrolling table wrapper.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    assert page.console_errors == []
