"""The rapporteur form in a real browser: sign in, then the report validates as you type."""

from __future__ import annotations

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
