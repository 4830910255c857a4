"""The administration forms (coalition add/edit, governance seat, organisation merge) through
TestClient on a copy of the loaded database with the example content: admins only (sign-in
redirect, 403 page for an editor), CSRF on every form, 422 naming the field with the input kept
and nothing written, 409 on a stale coalition edit with the input kept, audit entries for each
write, and a merge that moves the merged organisation's partner-editor grants."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from equals.auth import Grant, Role, audit_entries, create_user, get_user
from equals.partners import add_seat, get_coalition, get_seat, update_coalition, update_seat
from equals.partners.admin_forms import seat_values
from equals.partners.organizations import ensure_org
from equals.settings import Settings
from equals.store import Store
from equals.store.tables import partners as t
from tests.partners.conftest import OPERATOR

PASSWORD = "a long enough passphrase 42"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def site(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path = tmp_path_factory.mktemp("partners-admin-forms") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    from equals.web.app import create_app

    with TestClient(create_app(Settings(db_url=url))) as client:  # startup adds the examples
        store = Store(url)
        create_user(store, "admin-1", PASSWORD, roles=[Role.ADMIN])
        create_user(store, "gsma-ed", PASSWORD, roles=[Grant(Role.PARTNER_EDITOR, "gsma")])
        yield {"client": client, "store": store}
        store.dispose()


def _signed_in(site: dict[str, Any], name: str = "admin-1") -> TestClient:
    c = TestClient(site["client"].app)
    token = CSRF.search(c.get("/login").text).group(1)  # type: ignore[union-attr]
    r = c.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/coalitions"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return c


def _token(c: TestClient, url: str) -> str:
    return CSRF.search(c.get(url).text).group(1)  # type: ignore[union-attr]


def _count(store: Store, table: Any) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize("url", ["/coalitions/new", "/governance/new", "/organizations/merge"])
def test_admins_only(site: dict[str, Any], url: str) -> None:
    anonymous = TestClient(site["client"].app)
    r = anonymous.get(url, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = anonymous.post(url, data={"csrf_token": "x"}, follow_redirects=False)
    assert r.status_code == 303  # to the sign-in page, nothing read or written
    editor = _signed_in(site, "gsma-ed")
    r = editor.get(url)
    assert r.status_code == 403 and "Only administrators" in r.text
    admin = _signed_in(site)
    page = admin.get(url)
    assert page.status_code == 200 and 'class="guidance"' in page.text
    # the inline checks' messages come from the page (so they follow its language)
    assert 'data-msg-required="This field is required"' in page.text
    assert admin.post(url, data={"csrf_token": "forged"}).status_code == 403  # CSRF


def test_coalitions_page_offers_admin_links_to_admins_only(site: dict[str, Any]) -> None:
    assert "/coalitions/new" not in TestClient(site["client"].app).get("/coalitions").text
    text = _signed_in(site).get("/coalitions").text
    assert "/coalitions/new" in text and "/coalitions/access/edit" in text
    assert "/governance/new?body=steering-committee" in text


def test_add_a_coalition_with_field_errors_then_saved_and_audited(site: dict[str, Any]) -> None:
    c, store = _signed_in(site), site["store"]
    token = _token(c, "/coalitions/new")
    before = _count(store, t.coalitions)
    bad = {
        "csrf_token": token,
        "id": "Bad Id!",
        "name": "Gender <b>data</b> coalition",
        "action_area": "research",
        "member": ["apc", "gsma"],
        "since_apc": "2017-03-01",
    }
    r = c.post("/coalitions/new", data=bad)
    assert r.status_code == 422
    assert 'id="err-id"' in r.text and 'aria-invalid="true" aria-describedby="err-id"' in r.text
    assert "Gender &lt;b&gt;data&lt;/b&gt; coalition" in r.text  # kept, escaped
    assert 'value="2017-03-01"' in r.text and r.text.count("checked") >= 2  # members kept
    assert _count(store, t.coalitions) == before
    r = c.post("/coalitions/new", data={**bad, "id": "data"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/coalitions#coalition-data"
    saved = get_coalition(store, "data")
    assert [m.organization.id for m in saved.members] == ["apc", "gsma"]
    assert [m.since for m in saved.members] == ["2017-03-01", None]
    entry = audit_entries(store, entity="coalition", entity_id="data")[0]
    assert entry.action == "coalition.create" and entry.actor == "admin-1"
    # an unknown lead names its field, nothing written
    r = c.post(
        "/coalitions/new",
        data={**bad, "id": "other", "lead_organization_id": "nobody-at-all"},
    )
    assert r.status_code == 422 and 'id="err-lead_organization_id"' in r.text
    assert _count(store, t.coalitions) == before + 1


def test_stale_coalition_edit_is_409_and_keeps_the_input(site: dict[str, Any]) -> None:
    c, store = _signed_in(site), site["store"]
    edit = c.get("/coalitions/skills/edit").text
    version = int(re.search(r'name="version" value="(\d+)"', edit).group(1))  # type: ignore[union-attr]
    token = CSRF.search(edit).group(1)  # type: ignore[union-attr]
    current = get_coalition(store, "skills")
    update_coalition(  # someone else saves first
        store,
        "skills",
        {
            "id": "skills",
            "name": "Skills (renamed elsewhere)",
            "action_area": "skills",
            "members": [{"organization_id": m.organization.id} for m in current.members],
        },
        based_on=version,
        actor=OPERATOR,
    )
    form = {
        "csrf_token": token,
        "version": str(version),
        "name": "My skills coalition name",
        "action_area": "skills",
        "member": ["apc"],
    }
    r = c.post("/coalitions/skills/edit", data=form)
    assert r.status_code == 409 and "Someone saved this coalition meanwhile" in r.text
    assert 'value="My skills coalition name"' in r.text
    assert f'name="version" value="{version + 1}"' in r.text  # saving again is based on it
    assert get_coalition(store, "skills").name == "Skills (renamed elsewhere)"
    r = c.post(
        "/coalitions/skills/edit",
        data={**form, "version": str(version + 1)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    after = get_coalition(store, "skills")
    assert after.name == "My skills coalition name"
    assert [m.organization.id for m in after.members] == ["apc"]
    assert audit_entries(store, entity="coalition", entity_id="skills")[0].action == (
        "coalition.update"
    )


def test_add_a_governance_seat(site: dict[str, Any]) -> None:
    c, store = _signed_in(site), site["store"]
    token = _token(c, "/governance/new")
    before = _count(store, t.governance_seats)
    form = {
        "csrf_token": token,
        "body": "steering-committee",
        "seat": "Chair",
        "organization_id": "apc",
        "holder": "A. Person",
        "since": "2024-01-01",
        "until": "2023-12-31",
    }
    r = c.post("/governance/new", data=form)
    assert r.status_code == 422 and 'id="err-until"' in r.text and "before it starts" in r.text
    assert 'value="A. Person"' in r.text
    r = c.post(
        "/governance/new", data={**form, "organization_id": "no-such-org", "until": "2026-12-31"}
    )
    assert r.status_code == 422 and 'id="err-organization_id"' in r.text
    assert _count(store, t.governance_seats) == before
    r = c.post("/governance/new", data={**form, "until": "2026-12-31"}, follow_redirects=False)
    assert r.status_code == 303
    assert _count(store, t.governance_seats) == before + 1
    page = c.get("/coalitions").text
    assert "A. Person" in page and "2026-12-31" in page
    entry = audit_entries(store, entity="governance_seat")[0]
    assert entry.action == "governance.create" and entry.actor == "admin-1"
    assert entry.detail["after"]["holder"] == "A. Person"


def test_merge_form(site: dict[str, Any]) -> None:
    c, store = _signed_in(site), site["store"]
    with store.transaction() as conn:
        dup = ensure_org(conn, "APC duplicate spelling for the form")
    create_user(store, "dup-ed", PASSWORD, roles=[Grant(Role.PARTNER_EDITOR, dup)])
    token = _token(c, "/organizations/merge")
    form = {"csrf_token": token, "merged": dup, "into": "apc"}
    r = c.post("/organizations/merge", data=form)  # not confirmed
    assert r.status_code == 422 and 'id="err-confirm"' in r.text
    assert f'value="{dup}"' in r.text
    r = c.post("/organizations/merge", data={**form, "into": "", "confirm": "yes"})
    assert r.status_code == 422 and 'id="err-into"' in r.text
    r = c.post("/organizations/merge", data={**form, "into": dup, "confirm": "yes"})
    assert r.status_code == 422 and 'id="err-into"' in r.text  # into itself
    assert get_user(store, "dup-ed").grants == (Grant(Role.PARTNER_EDITOR, dup),)
    r = c.post("/organizations/merge", data={**form, "confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/partners/apc"
    assert get_user(store, "dup-ed").grants == (Grant(Role.PARTNER_EDITOR, "apc"),)
    entry = audit_entries(store, entity="organization", entity_id="apc")[0]
    assert entry.action == "organization.merge" and entry.actor == "admin-1"
    assert entry.detail["grants"][0]["change"] == "moved"
    assert dup not in c.get("/organizations/merge").text  # merged away: no longer offered


def test_edit_a_seat_and_end_its_term(site: dict[str, Any]) -> None:
    store = site["store"]
    seat = add_seat(
        store,
        {
            "body": "steering-committee",
            "seat": "Treasurer",
            "organization_id": "gsma",
            "holder": "C. Person",
            "since": "2020-01-01",
        },
        actor=OPERATOR,
    )
    edit, end = f"/governance/{seat.id}/edit", f"/governance/{seat.id}/end"
    anonymous = TestClient(site["client"].app)
    assert anonymous.get(edit, follow_redirects=False).status_code == 303
    editor = _signed_in(site, "gsma-ed")
    assert editor.get(edit).status_code == 403 and editor.get(end).status_code == 403
    assert "/governance/new" not in editor.get("/coalitions").text
    c = _signed_in(site)
    page = c.get("/coalitions").text
    assert f'href="{edit}"' in page and f'href="{end}"' in page
    form_page = c.get(edit).text
    assert 'value="C. Person"' in form_page and 'name="version" value="1"' in form_page
    token = CSRF.search(form_page).group(1)  # type: ignore[union-attr]
    form = {
        "csrf_token": token,
        "version": "1",
        "body": "steering-committee",
        "seat": "Treasurer",
        "organization_id": "gsma",
        "holder": "C. Person-Jones",
        "since": "2020-01-01",
        "until": "",
    }
    assert c.post(edit, data={**form, "csrf_token": "forged"}).status_code == 403
    r = c.post(edit, data={**form, "until": "2019-12-31"})
    assert r.status_code == 422 and 'id="err-until"' in r.text
    assert 'value="C. Person-Jones"' in r.text
    # someone else saves first: the stale form comes back with the input and the new version
    update_seat(
        store,
        seat.id,
        {**seat_values(seat), "until": None, "since": "2020-01-01", "holder": "Other edit"},
        based_on=1,
        actor=OPERATOR,
    )
    r = c.post(edit, data=form)
    assert r.status_code == 409 and 'class="conflict"' in r.text
    assert 'value="C. Person-Jones"' in r.text and 'name="version" value="2"' in r.text
    assert get_seat(store, seat.id).holder == "Other edit"
    r = c.post(edit, data={**form, "version": "2"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/coalitions#seat-{seat.id}"
    assert get_seat(store, seat.id).holder == "C. Person-Jones"
    # end the term: the end form, its checks, then the record among the past terms
    end_page = c.get(end).text
    assert 'name="version" value="3"' in end_page and "C. Person-Jones" in end_page
    token = CSRF.search(end_page).group(1)  # type: ignore[union-attr]
    r = c.post(end, data={"csrf_token": token, "version": "3", "until": "2019-06-30"})
    assert r.status_code == 422 and 'id="err-until"' in r.text and 'value="2019-06-30"' in r.text
    r = c.post(end, data={"csrf_token": token, "version": "2", "until": "2023-12-31"})
    assert r.status_code == 409 and 'value="2023-12-31"' in r.text
    assert get_seat(store, seat.id).until is None
    r = c.post(
        end,
        data={"csrf_token": token, "version": "3", "until": "2023-12-31"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert get_seat(store, seat.id).until == "2023-12-31"
    page = c.get("/coalitions").text
    past = page[page.index("Past terms") :]
    assert f'id="seat-{seat.id}"' in past and "C. Person-Jones" in past
    assert "/governance/new?body=steering-committee&amp;seat=Treasurer&amp;after=2023-12-31" in past
    prefilled = c.get("/governance/new?body=steering-committee&seat=Treasurer&after=2023-12-31")
    assert 'value="Treasurer"' in prefilled.text and 'value="2024-01-01"' in prefilled.text
    for odd in ("9999-12-31", "not-a-date", "2023-02-30"):
        r = c.get(f"/governance/new?after={odd}")
        assert r.status_code == 200 and 'id="since" name="since" type="date" value=""' in r.text
    entries = audit_entries(store, entity="governance_seat", entity_id=str(seat.id))
    assert [e.action for e in entries] == [
        "governance.end",
        "governance.update",
        "governance.update",
        "governance.create",
    ]
    ended = entries[0]
    assert ended.actor == "admin-1" and ended.detail["before"]["until"] is None
