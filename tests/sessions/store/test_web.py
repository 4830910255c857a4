"""Session pages and API through the real app: bearer tokens for API writes, login cookie +
CSRF for the form, list filters, highlighted search, a page per session, exports."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from equals.archive.repository import list_sessions
from equals.auth import Grant, Role, audit_entries, create_user, issue_token
from equals.sessions import parse_report
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

from ..conftest import EXAMPLE
from .conftest import report_text


def sessions_app(url: str) -> FastAPI:
    app = create_app(Settings(db_url=url, init_on_start=False))
    if not any(getattr(r, "path", "") == "/sessions" for r in app.routes):
        from equals.web import sessions_api, sessions_pages

        app.include_router(sessions_api.router)
        app.include_router(sessions_pages.router)
    return app


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", "correct horse battery", roles=[Role.RAPPORTEUR])
    create_user(
        store, "gsma-ed", "correct horse battery", roles=[Grant(Role.PARTNER_EDITOR, "gsma")]
    )
    with TestClient(sessions_app(url)) as client:
        yield client, store
    store.dispose()


def bearer(store: Store, name: str = "amina") -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(store, name)}"}


def csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the form carries a CSRF token"
    return m.group(1)


def test_api_writes_need_a_bearer_token(web: tuple[TestClient, Store]) -> None:
    client, store = web
    body = {"event": "IGF", "text": EXAMPLE.read_text(encoding="utf-8")}
    assert client.post("/api/v1/sessions", json=body).status_code == 401
    bad = {"Authorization": "Bearer eqh_not-a-real-token"}
    assert client.post("/api/v1/sessions", json=body, headers=bad).status_code == 401
    editor = bearer(store, "gsma-ed")
    assert client.post("/api/v1/sessions", json=body, headers=editor).status_code == 403
    assert list_sessions(store) == []

    r = client.post("/api/v1/sessions", json=body, headers=bearer(store))
    assert r.status_code == 201, r.text
    sid = r.json()["session_id"]
    assert r.json()["revision"] == 1 and not r.json()["validation"]["valid"]
    fixed = report_text("EQUALS revised")
    h = {**bearer(store), "If-Match": '"v1"'}
    r = client.put(f"/api/v1/sessions/{sid}", json={"text": fixed}, headers=h)
    assert r.status_code == 200 and r.json()["revision"] == 2
    rec = client.get(f"/api/v1/sessions/{sid}").json()
    assert [x["actor"] for x in rec["revisions"]] == ["amina", "amina"]
    assert rec["title"] == "EQUALS revised"
    assert {e.action for e in audit_entries(store, entity="session")} == {
        "session.create",
        "session.revise",
    }
    r = client.put("/api/v1/sessions/999", json={"text": fixed}, headers=h)
    assert r.status_code == 404
    r = client.post("/api/v1/sessions", json={"text": " "}, headers=bearer(store))
    assert r.status_code == 422


def test_api_reads_filters_search_and_exports(web: tuple[TestClient, Store]) -> None:
    client, store = web
    h = bearer(store)
    client.post("/api/v1/sessions", json={"text": EXAMPLE.read_text("utf-8")}, headers=h)
    client.post(
        "/api/v1/sessions",
        json={"event": "WSIS", "text": report_text("Coding clubs", key_issues=["Code."])},
        headers=h,
    )
    assert len(client.get("/api/v1/sessions").json()) == 2
    assert [s["title"] for s in client.get("/api/v1/sessions?event=WSIS").json()] == [
        "Coding clubs"
    ]
    only = client.get("/api/v1/sessions?stakeholder=civil_society").json()
    assert [s["title"][:6] for s in only] == ["EQUALS"]
    assert client.get("/api/v1/sessions?area=nowhere").status_code == 422
    hits = client.get("/api/v1/sessions/search", params={"q": "digital divide"}).json()
    assert len(hits) == 1 and "<mark>" in hits[0]["snippet_html"]
    sid = hits[0]["id"]
    js = client.get(f"/api/v1/sessions/{sid}/export?format=json").json()
    assert js["date"] == "2016-12-09" and js["action_areas"]
    md = client.get(f"/api/v1/sessions/{sid}/export?format=markdown").text
    assert parse_report(md, format="markdown").title == js["title"]
    d = client.get(f"/api/v1/sessions/{sid}/export?format=docx")
    assert d.content[:2] == b"PK"
    assert "EQUALS" in "\n".join(
        c.text for c in docx.Document(io.BytesIO(d.content)).tables[0]._cells
    )
    assert client.get("/api/v1/sessions/999").status_code == 404


def test_validate_endpoint_stores_nothing(web: tuple[TestClient, Store]) -> None:
    client, store = web
    r = client.post(
        "/api/v1/sessions/validate",
        headers=bearer(store),
        json={
            "template": "igf-2016-workshop",
            "fields": {"title": "Draft", "key_issues": "Access is low. Skills are lacking too."},
        },
    )
    assert r.status_code == 200
    codes = {(f["code"], f["field"]) for f in r.json()["validation"]["findings"]}
    assert ("missing-required-field", "date") in codes
    assert ("key-issue-not-one-sentence", "key_issues") in codes
    assert r.json()["report"]["title"] == "Draft"
    assert list_sessions(store) == []
    r = client.post("/api/v1/sessions/validate", json={"template": "nope"}, headers=bearer(store))
    assert r.status_code == 422


def test_pages_list_search_and_session(web: tuple[TestClient, Store]) -> None:
    client, store = web
    client.post(
        "/api/v1/sessions", json={"text": EXAMPLE.read_text("utf-8")}, headers=bearer(store)
    )
    page = client.get("/sessions")
    assert page.status_code == 200 and "EQUALS: The need for collaboration" in page.text
    assert (
        client.get("/sessions?area=skills&stakeholder=civil_society").text.count(
            'href="/sessions/1"'
        )
        == 1
    )
    assert "0 sessions" in client.get("/sessions?area=skills&year=2030").text
    found = client.get("/sessions", params={"q": '"digital divide"'}).text
    assert "<mark>digital divide</mark>" in found.replace("\n", " ") or "<mark>" in found
    detail = client.get("/sessions/1").text
    for expected in ("Doreen Bogdan-Martin", "Paul Mitchell", "Microsoft", "Leadership",
                     "export?format=docx", "Revision 1", "not stated in the report"):  # fmt: skip
        assert expected in detail, expected
    missing = client.get("/sessions/999")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


def test_the_form_needs_login_and_csrf(web: tuple[TestClient, Store]) -> None:
    client, store = web
    r = client.get("/sessions/new", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    login = client.get("/login?next=/sessions/new")
    token = csrf(login.text)
    creds = {"name": "amina", "password": "correct horse battery", "next": "/sessions/new"}
    assert client.post("/login", data=creds, follow_redirects=False).status_code == 403
    wrong = {**creds, "password": "not the password", "csrf_token": token}
    assert client.post("/login", data=wrong, follow_redirects=False).status_code == 401
    r = client.post("/login", data={**creds, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/sessions/new"

    form = client.get("/sessions/new")
    assert form.status_code == 200 and "signed in as" in form.text
    assert "1 sentence per issue" in form.text or "one sentence" in form.text.lower()
    assert csrf(form.text) != token  # logging in rotates the CSRF token
    fields = {
        "template": "igf-2016-workshop",
        "event": "IGF",
        "year": "2016",
        "field_title": "Women in tech leadership",
        "field_date": "8 December 2016",
        "field_rapporteurs": "Li Wei",
        "field_speakers": "Ana Souza, Internet Society – Technical Community",
        "field_key_issues": "Women are missing from tech leadership.",
    }
    assert client.post("/sessions/new", data=fields).status_code == 403
    assert client.post("/sessions/new", data={**fields, "csrf_token": token}).status_code == 403
    r = client.post(
        "/sessions/new", data={**fields, "csrf_token": csrf(form.text)}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"]).text
    assert "Women in tech leadership" in page and "by amina" in page
    (s,) = list_sessions(store)
    assert s.areas == ("leadership",)

    client.post("/logout", data={"csrf_token": csrf(page)})
    assert client.get("/sessions/new", follow_redirects=False).status_code == 303


def test_a_forged_cookie_is_not_a_login(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    client.cookies.set("eqh_auth", "MXxhYmM.forged")
    client.cookies.set("eqh_sid", "abc")
    assert client.get("/sessions/new", follow_redirects=False).status_code == 303
