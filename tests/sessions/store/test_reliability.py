"""Issue 10 (session reports): lost updates, ownership, reachable 500s and unbounded work —
each written as a failing test first, through the real app and the real CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import equals.cli.sessions_store  # noqa: F401  (registers the commands)
from equals.archive.access import grant_editor
from equals.archive.repository import get_session, list_sessions
from equals.auth import Actor, Role, audit_entries, create_user, issue_token
from equals.cli import app as cli_app
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

from ..conftest import EXAMPLE
from .conftest import report_text


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    store = Store(url)
    store.migrate()
    for name, role in (("amina", Role.RAPPORTEUR), ("bo", Role.RAPPORTEUR), ("root", Role.ADMIN)):
        create_user(store, name, "correct horse battery", roles=[role])
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        yield client, store
    store.dispose()


def bearer(store: Store, name: str = "amina") -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(store, name)}"}


def _filed(client: TestClient, store: Store, title: str = "Mobile access for women") -> int:
    r = client.post("/api/v1/sessions", json={"text": report_text(title)}, headers=bearer(store))
    assert r.status_code == 201, r.text
    return int(r.json()["session_id"])


def error(r: object) -> dict[str, str]:
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}, body
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


# -- lost updates -------------------------------------------------------------------------


def test_get_has_an_etag_and_put_needs_if_match(web: tuple[TestClient, Store]) -> None:
    client, store = web
    sid = _filed(client, store)
    r = client.get(f"/api/v1/sessions/{sid}")
    assert r.status_code == 200 and r.headers["etag"] == '"v1"' and r.json()["version"] == 1
    h = bearer(store)
    body = {"text": report_text("Mobile access for women", key_issues=["Revised issue."])}
    r = client.put(f"/api/v1/sessions/{sid}", json=body, headers=h)
    assert r.status_code == 428 and error(r)["code"] == "precondition-required"
    r = client.put(f"/api/v1/sessions/{sid}", json=body, headers={**h, "If-Match": "nonsense"})
    assert r.status_code == 422
    r = client.put(f"/api/v1/sessions/{sid}", json=body, headers={**h, "If-Match": '"v1"'})
    assert r.status_code == 200 and r.json()["revision"] == 2 and r.headers["etag"] == '"v2"'


def test_two_revisions_based_on_one_version_cannot_both_win(
    web: tuple[TestClient, Store],
) -> None:
    client, store = web
    sid = _filed(client, store)
    h = {**bearer(store), "If-Match": '"v1"'}
    first = {"text": report_text("Mobile access for women", key_issues=["Mine."])}
    second = {"text": report_text("Mobile access for women", key_issues=["Theirs."])}
    assert client.put(f"/api/v1/sessions/{sid}", json=first, headers=h).status_code == 200
    r = client.put(f"/api/v1/sessions/{sid}", json=second, headers=h)
    assert r.status_code == 409 and error(r)["code"] == "edit-conflict"
    assert r.json()["error"]["current_version"] == 2
    rec = client.get(f"/api/v1/sessions/{sid}").json()
    assert len(rec["revisions"]) == 2  # nothing written by the stale writer


def test_a_rapporteur_revises_only_own_or_granted_reports(web: tuple[TestClient, Store]) -> None:
    client, store = web
    sid = _filed(client, store)  # filed by amina
    body = {"text": report_text("Mobile access for women", key_issues=["Bo's edit."])}
    bo = {**bearer(store, "bo"), "If-Match": '"v1"'}
    r = client.put(f"/api/v1/sessions/{sid}", json=body, headers=bo)
    assert r.status_code == 403 and error(r)["code"] == "forbidden"
    # Filing the same title again is a revision too: not a way around ownership.
    r = client.post("/api/v1/sessions", json=body, headers=bearer(store, "bo"))
    assert r.status_code == 403
    grant_editor(store, sid, "bo", actor=Actor.cli())
    assert client.put(f"/api/v1/sessions/{sid}", json=body, headers=bo).status_code == 200
    admin = {**bearer(store, "root"), "If-Match": '"v2"'}
    body = {"text": report_text("Mobile access for women", key_issues=["Admin's edit."])}
    assert client.put(f"/api/v1/sessions/{sid}", json=body, headers=admin).status_code == 200
    actions = [e.action for e in audit_entries(store, entity="session")]
    assert actions.count("session.revise") == 2 and "session.grant" in actions


def test_a_post_that_adds_a_revision_answers_200(web: tuple[TestClient, Store]) -> None:
    client, store = web
    sid = _filed(client, store)
    body = {"text": report_text("Mobile access for women", key_issues=["Another issue."])}
    r = client.post("/api/v1/sessions", json=body, headers=bearer(store))
    assert r.status_code == 200 and r.json()["created"] is False
    assert r.json()["session_id"] == sid and r.json()["revision"] == 2


# -- reachable 500s -----------------------------------------------------------------------


def test_a_search_of_a_hundred_terms_is_a_clear_422(web: tuple[TestClient, Store]) -> None:
    client, store = web
    _filed(client, store)
    q = " ".join(f"w{i}" for i in range(100))
    r = client.get("/api/v1/sessions/search", params={"q": q})
    assert r.status_code == 422 and "32" in error(r)["message"]
    page = client.get("/sessions", params={"q": q})
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "at most 32" in page.text
    ok = " ".join(f"-x{i}" for i in range(31)) + " mobile"
    assert client.get("/api/v1/sessions/search", params={"q": ok}).status_code == 200


@pytest.mark.parametrize("year", ["²", "99999999999999999999", "5", "-1", "2016x"])
def test_a_bad_year_on_the_list_page_is_a_page_not_a_500(
    web: tuple[TestClient, Store], year: str
) -> None:
    client, _ = web
    r = client.get("/sessions", params={"year": year})
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    assert "1990" in r.text and "2100" in r.text


def test_one_year_rule_for_the_form_api_and_cli(
    web: tuple[TestClient, Store], tmp_path: Path
) -> None:
    client, store = web
    for year in (5, 99999999999999999999):
        r = client.post(
            "/api/v1/sessions",
            json={"text": report_text("Year test"), "year": year},
            headers=bearer(store),
        )
        assert r.status_code == 422, r.text
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    runner = CliRunner()
    for year in ("5", "99999999999999999999"):
        for cmd in (["file", str(EXAMPLE)], ["import", str(EXAMPLE.parent)]):
            res = runner.invoke(cli_app, ["sessions", *cmd, "--year", year, *db])
            assert res.exit_code == 2, (cmd, year, res.output)
            assert "1990" in res.output
            assert "Traceback" not in res.output


def test_lone_surrogates_and_nul_in_json_fields_are_422(web: tuple[TestClient, Store]) -> None:
    client, store = web
    h = bearer(store)
    for bad in ("\ud800", "a\x00b"):
        raw = json.dumps({"text": report_text(f"Bad {bad} title")})
        r = client.post(
            "/api/v1/sessions", content=raw, headers={**h, "Content-Type": "application/json"}
        )
        assert r.status_code == 422, r.text
        raw = json.dumps({"template": "igf-2016-workshop", "fields": {"title": bad}})
        r = client.post(
            "/api/v1/sessions/validate",
            content=raw,
            headers={**h, "Content-Type": "application/json"},
        )
        assert r.status_code == 422, r.text
    for raw_bad in ("%ED%A0%80", "%00", "%C0%80", "%FF"):  # surrogate, NUL, overlong, invalid
        r = client.get(f"/api/v1/sessions/search?q=mobile{raw_bad}")
        assert r.status_code in (200, 422), r.text
        r = client.get(f"/api/v1/sessions?event=IGF{raw_bad}")
        assert r.status_code in (200, 422), r.text
        r = client.get(f"/sessions?q=mobile{raw_bad}&event=IGF{raw_bad}")
        assert r.status_code in (200, 422) and "text/html" in r.headers["content-type"]
    assert list_sessions(store) == []


def test_a_bad_path_parameter_on_a_page_is_an_html_page(web: tuple[TestClient, Store]) -> None:
    client, _ = web
    for path in ("/sessions/abc", "/sessions/0", "/sessions/99999999999999999999"):
        r = client.get(path)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"], path


def test_cli_search_of_a_hundred_terms_is_exit_2(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'cli.db'}"]
    runner = CliRunner()
    runner.invoke(cli_app, ["sessions", "file", str(EXAMPLE), "--year", "2016", *db])
    q = " ".join(f"w{i}" for i in range(100))
    res = runner.invoke(cli_app, ["sessions", "search", q, *db])
    assert res.exit_code == 2 and "at most 32" in res.output


# -- unbounded work -----------------------------------------------------------------------


def test_validate_needs_sign_in_and_has_limits(web: tuple[TestClient, Store]) -> None:
    client, store = web
    body = {"template": "igf-2016-workshop", "fields": {"title": "Draft"}}
    assert client.post("/api/v1/sessions/validate", json=body).status_code == 401
    h = bearer(store)
    assert client.post("/api/v1/sessions/validate", json=body, headers=h).status_code == 200
    big = {"template": "igf-2016-workshop", "fields": {"discussions": "x" * 100_001}}
    r = client.post("/api/v1/sessions/validate", json=big, headers=h)
    assert r.status_code == 422 and "discussions" in error(r)["message"]
    many = {"template": "igf-2016-workshop", "fields": {f"f{i}": "x" for i in range(200)}}
    assert client.post("/api/v1/sessions/validate", json=many, headers=h).status_code == 422
    total = {"template": "igf-2016-workshop",
             "fields": {f"f{i}": "x" * 90_000 for i in range(8)}}  # fmt: skip
    r = client.post("/api/v1/sessions/validate", json=total, headers=h)
    assert r.status_code in (413, 422) and error(r)
    huge = b'{"fields": {"title": "' + b"x" * 3_000_000 + b'"}}'
    r = client.post(
        "/api/v1/sessions/validate",
        content=huge,
        headers={**h, "Content-Type": "application/json"},
    )
    assert r.status_code == 413 and error(r)["code"] == "request-too-large"


def test_the_openapi_document_describes_every_sessions_body(
    web: tuple[TestClient, Store],
) -> None:
    client, _ = web
    doc = client.get("/api/v1/openapi.json").json()
    for path, ops in doc["paths"].items():
        if not path.startswith("/api/v1/sessions"):
            continue
        for method, op in ops.items():
            ok = op["responses"].get("200") or op["responses"].get("201")
            content = ok["content"]
            if "application/json" in content and not path.endswith("/export"):
                schema = content["application/json"]["schema"]
                assert schema != {} and (
                    "$ref" in schema or "items" in schema or "properties" in schema
                ), (method, path, schema)


def test_nul_and_surrogates_on_either_database(store: Store) -> None:
    """On PostgreSQL a NUL in a query parameter or a field used to be a 500."""
    create_user(store, "amina", "correct horse battery", roles=[Role.RAPPORTEUR])
    h = {"Authorization": f"Bearer {issue_token(store, 'amina')}"}
    with TestClient(create_app(Settings(db_url=store.url, init_on_start=False))) as client:
        assert (
            client.post(
                "/api/v1/sessions", json={"text": report_text("Fine title")}, headers=h
            ).status_code
            == 201
        )
        for raw in ("%00", "%ED%A0%80"):
            for url in (
                f"/api/v1/sessions?event=IGF{raw}",
                f"/api/v1/sessions?organization=itu{raw}",
                f"/api/v1/sessions/search?q=fine{raw}&event=IGF{raw}",
                f"/sessions?q=fine{raw}&event=IGF{raw}",
            ):
                r = client.get(url)
                assert r.status_code in (200, 422), (url, r.status_code, r.text[:200])
        for bad in ("\x00", "\ud800"):
            r = client.post(
                "/api/v1/sessions",
                content=json.dumps({"text": report_text(f"T{bad}"), "event": f"E{bad}"}),
                headers={**h, "Content-Type": "application/json"},
            )
            assert r.status_code == 422 and error(r)["code"] == "invalid-parameter"
        assert len(list_sessions(store)) == 1


def test_the_form_shows_a_conflict_with_both_texts(web: tuple[TestClient, Store]) -> None:
    client, store = web
    sid = _filed(client, store)
    login = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
    creds = {"name": "amina", "password": "correct horse battery", "csrf_token": token}
    assert client.post("/login", data=creds, follow_redirects=False).status_code == 303
    form = client.get(f"/sessions/{sid}/edit")
    assert form.status_code == 200 and 'name="version" value="1"' in form.text
    fields = dict(re.findall(r'<textarea id="field_(\w+)" name="field_\w+"[^>]*>([^<]*)</textarea>',
                             form.text))  # fmt: skip
    assert "Women need affordable access" in fields["key_issues"]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    # Someone else revises the report meanwhile (through the API, based on version 1).
    other = {"text": report_text("Mobile access for women", key_issues=["Their new issue."])}
    r = client.put(
        f"/api/v1/sessions/{sid}", json=other, headers={**bearer(store), "If-Match": '"v1"'}
    )
    assert r.status_code == 200
    mine = {
        "csrf_token": csrf, "template": "igf-2016-workshop", "version": "1",
        "field_title": "Mobile access for women", "field_date": "9 December 2016",
        "field_key_issues": "My own new issue.",
    }  # fmt: skip
    r = client.post(f"/sessions/{sid}/edit", data=mine, follow_redirects=False)
    assert r.status_code == 409 and "changed since you opened it" in r.text
    assert "My own new issue." in r.text and "Their new issue." in r.text
    assert 'name="version" value="2"' in r.text  # saving again is based on what is there now
    assert len(get_session(store, sid).revisions) == 2
    r = client.post(f"/sessions/{sid}/edit", data={**mine, "version": "2"}, follow_redirects=False)
    assert r.status_code == 303
    assert get_session(store, sid).report.key_issues == ("My own new issue.",)


def test_pages_answer_hostile_input_with_html_never_500(web: tuple[TestClient, Store]) -> None:
    from tests.web.test_api_fuzz import HOSTILE_VALUES

    client, store = web
    _filed(client, store)
    raw = ["%00", "%ED%A0%80", "%FF", "%C2%B2", "9" * 30, "-1", "1e999", "%25"]
    values = [quote(str(v), safe="") for v in HOSTILE_VALUES] + raw
    for v in values:
        for url in (
            *(f"/sessions?{p}={v}" for p in ("q", "event", "year", "area", "stakeholder")),
            f"/sessions/participation?by={v}&event={v}&year={v}",
            f"/sessions/{v or '%20'}",
            f"/sessions/{v or '%20'}/edit",
            f"/sessions/people/{v or '%20'}",
            f"/sessions/people?q={v}",
        ):
            r = client.get(url, follow_redirects=False)
            assert r.status_code < 500, (url, r.status_code)
            if r.status_code != 303:
                assert "text/html" in r.headers["content-type"], (url, r.status_code)


def test_editors_api_grant_list_revoke(web: tuple[TestClient, Store]) -> None:
    client, store = web
    sid = _filed(client, store)  # owner: amina
    url = f"/api/v1/sessions/{sid}/editors"
    r = client.post(url, json={"user": "bo"}, headers=bearer(store, "bo"))
    assert r.status_code == 403  # bo is not the owner
    r = client.post(url, json={"user": "bo"}, headers=bearer(store))
    assert r.status_code == 200 and [e["user"] for e in r.json()] == ["bo"]
    body = {"text": report_text("Mobile access for women", key_issues=["Bo's granted edit."])}
    h = {**bearer(store, "bo"), "If-Match": '"v1"'}
    assert client.put(f"/api/v1/sessions/{sid}", json=body, headers=h).status_code == 200
    assert client.post(url, json={"user": "nobody"}, headers=bearer(store)).status_code == 404
    assert client.post(url, json={"user": "b\x00o"}, headers=bearer(store)).status_code == 422
    r = client.delete(f"{url}/bo", headers=bearer(store))
    assert r.status_code == 200 and r.json() == []
    assert client.get(url, headers=bearer(store)).json() == []
    actions = [e.action for e in audit_entries(store, entity="session")]
    assert "session.grant" in actions and "session.revoke" in actions


@pytest.mark.parametrize("year", ["5", "²", "99999999999999999999", "2016\x00"])
def test_the_form_applies_the_same_year_rule(web: tuple[TestClient, Store], year: str) -> None:
    client, store = web
    login = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
    creds = {"name": "amina", "password": "correct horse battery", "csrf_token": token}
    assert client.post("/login", data=creds, follow_redirects=False).status_code == 303
    form = client.get("/sessions/new")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    data = {"csrf_token": csrf, "template": "igf-2016-workshop", "event": "IGF", "year": year,
            "field_title": "Year rule", "field_date": "9 December 2016"}  # fmt: skip
    r = client.post("/sessions/new", data=data, follow_redirects=False)
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    assert "1990" in r.text or "NUL" in r.text
    assert list_sessions(store) == []
