"""People as identities (issue 11): namesakes are not merged, one person across years and
spellings is offered for merging with a confidence, and an admin's merges and splits are
audited and reversible — on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from equals.archive.filing import EventRef, file_report
from equals.archive.people import (
    get_person,
    list_people,
    mark_distinct,
    merge_candidates,
    merge_people,
    name_similarity,
    split_person,
)
from equals.archive.repository import get_session
from equals.auth import Actor, Role, audit_entries, create_user, issue_token
from equals.core.errors import PermissionDeniedError
from equals.sessions import parse_report
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app

from .conftest import report_text


def _file(store: Store, title: str, year: int, speakers: list[str], moderator: str) -> int:
    text = report_text(title, date=f"9 December {year}", speakers=speakers, moderator=moderator)
    return file_report(
        store, parse_report(text), actor=Actor.cli(), event=EventRef("IGF", year)
    ).session_id


def _ids(store: Store, sid: int, name: str) -> list[int | None]:
    return [r.person_id for r in get_session(store, sid).roles if r.name == name]


def test_namesakes_stay_apart_and_one_person_is_one_identity(store: Store) -> None:
    a = _file(store, "Access", 2016, ["Ana Souza, UNESCO – Intergovernmental Organization"],
              "Doreen Bogdan-Martin, ITU")  # fmt: skip
    b = _file(store, "Skills", 2018, ["Ana Souza, Microsoft – Private Sector"],
              "Doreen Bogdan-Martin, ITU")  # fmt: skip
    (ana_a,), (ana_b,) = _ids(store, a, "Ana Souza"), _ids(store, b, "Ana Souza")
    assert ana_a != ana_b  # same name, different organisations: two people
    (d_a,), (d_b,) = _ids(store, a, "Doreen Bogdan-Martin"), _ids(store, b, "Doreen Bogdan-Martin")
    assert d_a == d_b  # same name and organisation in 2016 and 2018: one identity
    doreen = get_person(store, d_a)  # type: ignore[arg-type]
    assert doreen.years == (2016, 2018) and [x.session_id for x in doreen.appearances] == [a, b]
    # A revision of the same session keeps its people's ids (stable ids in the API).
    text = report_text("Access", date="9 December 2016", key_issues=["Changed."],
                       speakers=["Ana Souza, UNESCO – Intergovernmental Organization"])  # fmt: skip
    file_report(store, parse_report(text), actor=Actor.cli(), session_id=a)
    assert _ids(store, a, "Ana Souza") == [ana_a]
    # Namesakes are offered, with a low confidence: name 1.0 x evidence 0.35 (different
    # organisations, different stakeholder groups) = 0.35.
    (c,) = [c for c in merge_candidates(store) if {c.a.id, c.b.id} == {ana_a, ana_b}]
    assert c.confidence == pytest.approx(0.35)
    assert any("different organisations" in r for r in c.reasons)


def test_a_spelling_variant_is_offered_and_an_admin_merges_and_splits(store: Store) -> None:
    a = _file(store, "Leadership", 2016, ["Paul Mitchell, Microsoft – Private Sector"],
              "Doreen Bogdan-Martin, ITU")  # fmt: skip
    b = _file(store, "Leadership two", 2019, ["P. Mitchell, Microsoft – Private Sector"],
              "Doreen Bogdan-Martin, ITU")  # fmt: skip
    (full,), (short,) = _ids(store, a, "Paul Mitchell"), _ids(store, b, "P. Mitchell")
    assert full != short  # never merged silently
    (c,) = [c for c in merge_candidates(store) if {c.a.id, c.b.id} == {full, short}]
    # Hand computation: an initial for the first name (0.8) x evidence (same organisation 1.0,
    # + same stakeholder group 0.1, capped at 1.0) = 0.8.
    assert c.confidence == pytest.approx(0.8)
    assert c.reasons[0] == "an initial for the first name, same surname"
    assert "same organisation: Microsoft" in c.reasons

    rapporteur = create_user(store, "amina", "correct horse battery", roles=[Role.RAPPORTEUR])
    admin = create_user(store, "root", "correct horse battery", roles=[Role.ADMIN])
    with pytest.raises(PermissionDeniedError):
        merge_people(store, short, full, actor=Actor.of(rapporteur), by=rapporteur)
    merged = merge_people(store, short, full, actor=Actor.of(admin), by=admin)
    assert merged.id == full and merged.names == ("Paul Mitchell", "P. Mitchell")
    assert merged.years == (2016, 2019)
    assert get_person(store, short).id == full  # the old id still answers
    assert not [c for c in merge_candidates(store) if {c.a.id, c.b.id} == {full, short}]
    assert [p.id for p in list_people(store, "mitchell")] == [full]

    back = split_person(store, short, actor=Actor.of(admin), by=admin)
    assert back.id == short and back.years == (2019,)
    assert get_person(store, full).years == (2016,)
    actions = [(e.action, e.entity_id) for e in audit_entries(store, entity="person")]
    assert actions == [("person.split", str(short)), ("person.merge", str(short))]

    assert mark_distinct(store, full, short, actor=Actor.of(admin), by=admin)
    assert not [c for c in merge_candidates(store) if {c.a.id, c.b.id} == {full, short}]


def test_name_similarity() -> None:
    assert name_similarity("li wei", "li wei") == (1.0, "the same name")
    assert name_similarity("wei li", "li wei")[0] == 0.95
    assert name_similarity("d bogdan martin", "doreen bogdan martin")[0] == 0.8
    assert name_similarity("nanjira sambuli", "nanjira sambulli")[0] > 0.85
    assert name_similarity("li wei", "wang fang")[0] == 0.0


def test_people_api_stable_ids_candidates_and_admin_merge(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'people.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", "correct horse battery", roles=[Role.RAPPORTEUR])
    create_user(store, "root", "correct horse battery", roles=[Role.ADMIN])
    a = _file(store, "One", 2016, ["Paul Mitchell, Microsoft – Private Sector"], "Doreen B, ITU")
    b = _file(store, "Two", 2019, ["P. Mitchell, Microsoft – Private Sector"], "Doreen B, ITU")
    (full,), (short,) = _ids(store, a, "Paul Mitchell"), _ids(store, b, "P. Mitchell")
    amina = {"Authorization": f"Bearer {issue_token(store, 'amina')}"}
    root = {"Authorization": f"Bearer {issue_token(store, 'root')}"}
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        rec = client.get(f"/api/v1/sessions/{a}").json()
        assert [r["person_id"] for r in rec["roles"] if r["name"] == "Paul Mitchell"] == [full]
        cands = client.get("/api/v1/sessions/people/candidates").json()
        assert {(c["a"]["id"], c["b"]["id"]) for c in cands} >= {(full, short)}
        r = client.post(
            f"/api/v1/sessions/people/{short}/merge", json={"into": full}, headers=amina
        )
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        r = client.post(f"/api/v1/sessions/people/{short}/merge", json={"into": full}, headers=root)
        assert r.status_code == 200 and r.json()["id"] == full and r.json()["merged_ids"] == [short]
        p = client.get(f"/api/v1/sessions/people/{short}").json()
        assert p["id"] == full and p["years"] == [2016, 2019]
        assert [s["session_id"] for s in p["sessions"]] == [a, b]
        r = client.post(f"/api/v1/sessions/people/{short}/merge", json={"into": full}, headers=root)
        assert r.status_code == 422 and r.json()["error"]["code"] == "already-merged"
        assert (
            client.post(f"/api/v1/sessions/people/{short}/split", headers=root).status_code == 200
        )
        assert client.get(f"/api/v1/sessions/people/{short}").json()["id"] == short
        r = client.post("/api/v1/sessions/people/distinct", json={"a": full, "b": short},
                        headers=root)  # fmt: skip
        assert r.status_code == 200 and r.json()["recorded"] is True
        assert client.get("/api/v1/sessions/people/999").status_code == 404
        assert client.get("/api/v1/sessions/people/abc").status_code == 422
        assert [x["name"] for x in client.get("/api/v1/sessions/people?q=mitch").json()] == [
            "P. Mitchell", "Paul Mitchell",
        ]  # fmt: skip
        assert client.get("/api/v1/sessions/people?q=%00").status_code == 422
    store.dispose()


def test_people_pages_and_admin_merge_form(tmp_path: Path) -> None:
    import re

    url = f"sqlite:///{tmp_path / 'pages.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "root", "correct horse battery", roles=[Role.ADMIN])
    a = _file(store, "One", 2016, ["Paul Mitchell, Microsoft – Private Sector"], "Doreen B, ITU")
    b = _file(store, "Two", 2019, ["P. Mitchell, Microsoft – Private Sector"], "Doreen B, ITU")
    (full,), (short,) = _ids(store, a, "Paul Mitchell"), _ids(store, b, "P. Mitchell")
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        page = client.get("/sessions/people?q=mitchell")
        assert (
            page.status_code == 200 and "Paul Mitchell" in page.text and "P. Mitchell" in page.text
        )
        assert "Possibly the same person" not in page.text  # candidates: admins only
        assert f'href="/sessions/people/{full}"' in client.get(f"/sessions/{a}").text
        assert client.get("/sessions/people/abc").status_code == 404
        assert client.get("/sessions/people?q=%00").status_code == 422
        login = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
        creds = {"name": "root", "password": "correct horse battery", "csrf_token": token}
        client.post("/login", data=creds)
        page = client.get("/sessions/people")
        assert "Possibly the same person" in page.text and "80&nbsp;%" in page.text
        person = client.get(f"/sessions/people/{short}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', person.text).group(1)  # type: ignore[union-attr]
        r = client.post(
            f"/sessions/people/{short}",
            data={"csrf_token": csrf, "action": "merge", "other": str(full)},
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == f"/sessions/people/{full}"
        merged = client.get(f"/sessions/people/{short}").text
        assert "was merged into this identity" in merged and "2016, 2019" in merged
        r = client.post(f"/sessions/people/{short}", data={"csrf_token": csrf, "action": "split"},
                        follow_redirects=False)  # fmt: skip
        assert r.status_code == 303 and get_person(store, short).id == short
        r = client.post(f"/sessions/people/{short}", data={"action": "split"})
        assert r.status_code == 403  # no CSRF token
    store.dispose()


def test_namesakes_in_one_report_keep_their_ids_across_revisions(store: Store) -> None:
    speakers = ["Ana Souza, UNESCO – Intergovernmental Organization",
                "Ana Souza, Microsoft – Private Sector"]  # fmt: skip
    sid = _file(store, "Two Anas", 2016, speakers, "Doreen B, ITU")
    first = _ids(store, sid, "Ana Souza")
    assert len(set(first)) == 2  # two people, one name
    text = report_text("Two Anas", key_issues=["Revised."], speakers=speakers,
                       moderator="Doreen B, ITU")  # fmt: skip
    file_report(store, parse_report(text), actor=Actor.cli(), session_id=sid)
    assert _ids(store, sid, "Ana Souza") == first
