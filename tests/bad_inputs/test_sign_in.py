"""Bad input to the sign-in form (``POST /login``): status and the message on the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from equals.auth import create_user
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

PASSWORD = "correct horse battery"
WRONG = (401, "Wrong name or password.")

CASES = [
    # (name, password, status, message on the page)
    ("amina", "not the password", *WRONG),
    ("nobody", PASSWORD, *WRONG),
    ("", "", *WRONG),
    ("amina\x00", PASSWORD, *WRONG),
    ("\x00", "\x00", *WRONG),
    ("a" * 5000, PASSWORD, *WRONG),
    ("amina\n", PASSWORD, *WRONG),
    ("amina' OR '1'='1", "' OR '1'='1", *WRONG),
    ("<script>alert(1)</script>", PASSWORD, *WRONG),
    ("amina", "x" * 100_000, *WRONG),
    ("AMINA", PASSWORD, *WRONG),  # names are case-sensitive
]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'login.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", PASSWORD)
    store.dispose()
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as c:
        yield c


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert found
    return found.group(1)


@pytest.mark.parametrize(("name", "password", "status", "message"), CASES)
def test_bad_credentials(
    client: TestClient, name: str, password: str, status: int, message: str
) -> None:
    r = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": _csrf(client)}
    )
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert message in r.text
    assert "<script>alert(1)</script>" not in r.text  # escaped if echoed at all


def test_missing_or_wrong_csrf_token_is_403(client: TestClient) -> None:
    for token in ("", "0" * 64, "\x00"):
        r = client.post("/login", data={"name": "amina", "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
        assert (
            "This form has expired or did not come from this site (missing or invalid CSRF "
            in r.text
        )
    r = client.post("/logout", data={"csrf_token": "forged"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert "reload the page and try again." in r.text


def test_sixth_failure_in_a_row_is_429_with_retry_after(client: TestClient) -> None:
    for _ in range(5):
        client.post(
            "/login", data={"name": "amina", "password": "nope!", "csrf_token": _csrf(client)}
        )
    r = client.post(
        "/login", data={"name": "amina", "password": PASSWORD, "csrf_token": _csrf(client)}
    )
    assert r.status_code == 429
    assert "Too many failed sign-ins for this account; try again in 15 minutes." in r.text
    assert int(r.headers["retry-after"]) > 0


def test_twenty_failures_from_one_address_over_many_names_is_429(client: TestClient) -> None:
    for i in range(20):
        client.post(
            "/login", data={"name": f"guess{i}", "password": "nope!", "csrf_token": _csrf(client)}
        )
    r = client.post(
        "/login", data={"name": "amina", "password": PASSWORD, "csrf_token": _csrf(client)}
    )
    assert r.status_code == 429
    assert "Too many failed sign-ins from this address; try again in 15 minutes." in r.text
