"""The registry's JSON API on a loaded database (a copy of the session's, plus the example
content): public reads, 401/403/422/409/428 on writes, ETags, action-gaps, CSV with labels, and
odd input that must never give a 5xx."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from equals.auth import Grant, Role, create_user, issue_token
from equals.settings import Settings
from equals.store import Store
from tests.partners.conftest import initiative_body

PASSWORD = "a long enough passphrase 42"


@pytest.fixture(scope="module")
def api(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path = tmp_path_factory.mktemp("partners-api") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    from equals.web.app import create_app

    with TestClient(create_app(Settings(db_url=url))) as client:  # startup adds the examples
        store = Store(url)
        create_user(store, "root", PASSWORD, roles=[Role.ADMIN])
        create_user(store, "gsma-ed", PASSWORD, roles=[Grant(Role.PARTNER_EDITOR, "gsma")])
        create_user(store, "rap", PASSWORD, roles=[Role.RAPPORTEUR])
        tokens = {n: issue_token(store, n) for n in ("root", "gsma-ed", "rap")}
        yield {"client": client, "store": store, "tokens": tokens}
        store.dispose()


def auth(api: dict[str, Any], who: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api['tokens'][who]}", **extra}


def test_examples_are_listed_and_labelled(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    partners = c.get("/api/v1/partners").json()
    ids = {p["organization_id"] for p in partners}
    assert {"itu", "un-women", "gsma", "microsoft", "apc", "government-of-mexico"} <= ids
    assert all(p["example"] and p["source_note"] for p in partners)
    apc = c.get("/api/v1/partners/apc").json()
    assert apc["stakeholder_group"] == {"code": "civil_society", "label": "Civil society"}
    titles = {i["title"] for i in c.get("/api/v1/initiatives").json()}
    assert {"Pink Cloud Initiative", "Youth SPARK"} <= titles
    groups = c.get("/api/v1/partners", params={"stakeholder_group": "private_sector"}).json()
    assert {p["organization_id"] for p in groups} == {"gsma", "microsoft"}
    assert [
        p["organization_id"] for p in c.get("/api/v1/partners", params={"q": "progressive"}).json()
    ] == ["apc"]
    seats = c.get("/api/v1/governance").json()
    assert {s["organization"]["id"] for s in seats if s["body"]["code"] == "co-founder"} == {
        "itu",
        "un-women",
        "gsma",
        "x:itc",
        "unu",
    }
    assert {x["id"] for x in c.get("/api/v1/coalitions").json()} == {
        "access",
        "skills",
        "leadership",
        "research",
    }


def test_writes_need_a_token_and_the_right_organisation(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    body = initiative_body("gsma")
    r = c.post("/api/v1/initiatives", json=body)
    assert r.status_code == 401 and r.json()["error"]["code"]
    r = c.post("/api/v1/initiatives", json=body, headers={"Authorization": "Bearer eqh_nope"})
    assert r.status_code == 401
    r = c.post("/api/v1/initiatives", json=initiative_body("apc"), headers=auth(api, "gsma-ed"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = c.post("/api/v1/initiatives", json=body, headers=auth(api, "rap"))
    assert r.status_code == 403
    r = c.post("/api/v1/initiatives", json=body, headers=auth(api, "gsma-ed"))
    assert r.status_code == 201, r.text
    assert r.headers["ETag"] == '"v1"' and r.json()["lead"]["id"] == "gsma"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"countries": ["KEN", "QQQ"]}, "countries[1]"),
        ({"start_date": "2025-01-01", "end_date": "2024-01-01"}, "end_date"),
        ({"budget": -5}, "budget"),
        (
            {
                "targets": [
                    {"indicator": "nope", "country": "KEN", "target_value": 1, "target_year": 2030}
                ]
            },
            "targets[0].indicator",
        ),
    ],
)
def test_bad_writes_are_422_naming_the_field(
    api: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    c: TestClient = api["client"]
    before = len(c.get("/api/v1/initiatives", params={"limit": 1000}).json())
    r = c.post(
        "/api/v1/initiatives", json=initiative_body("gsma", **change), headers=auth(api, "root")
    )
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert field in err["message"]
    assert len(c.get("/api/v1/initiatives", params={"limit": 1000}).json()) == before


def test_update_needs_if_match_and_a_stale_one_conflicts(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    made = c.post(
        "/api/v1/initiatives",
        json=initiative_body("gsma", title="Versioned"),
        headers=auth(api, "gsma-ed"),
    ).json()
    url = f"/api/v1/initiatives/{made['id']}"
    body = initiative_body("gsma", title="Versioned, edited")
    body["targets"][0]["id"] = made["targets"][0]["id"]
    assert c.put(url, json=body, headers=auth(api, "gsma-ed")).status_code == 428
    r = c.put(url, json=body, headers=auth(api, "gsma-ed", **{"If-Match": '"v1"'}))
    assert r.status_code == 200 and r.headers["ETag"] == '"v2"'
    r = c.put(
        url,
        json=initiative_body("gsma", title="Lost?"),
        headers=auth(api, "gsma-ed", **{"If-Match": '"v1"'}),
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "edit-conflict"
    assert c.get(url).json()["title"] == "Versioned, edited"


def test_progress_and_target_series(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    made = c.post(
        "/api/v1/initiatives",
        json=initiative_body("gsma", title="With progress"),
        headers=auth(api, "gsma-ed"),
    ).json()
    tid = made["targets"][0]["id"]
    url = f"/api/v1/initiatives/{made['id']}/progress"
    assert c.post(url, json={"date": "2025-05-01", "narrative": "x"}).status_code == 401
    r = c.post(
        url,
        json={
            "date": "2025-05-01",
            "narrative": "Clubs running.",
            "values": [{"target_id": tid, "value": 31.5, "year": 2024}],
        },
        headers=auth(api, "gsma-ed"),
    )
    assert r.status_code == 201, r.text
    reports = c.get(url).json()
    assert reports[0]["values"] == [{"target_id": tid, "value": 31.5, "year": 2024}]
    series = c.get(f"/api/v1/initiatives/{made['id']}/targets/{tid}/series").json()
    kinds = {p["series"] for p in series["points"]}
    assert kinds == {"published", "baseline", "actual", "target"}
    published = [p for p in series["points"] if p["series"] == "published"]
    assert all(p["source"] and p["licence"] for p in published)


def test_contact_emails_only_for_own_editors(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    cur = c.get("/api/v1/partners/gsma")
    body = {
        "organization_id": "gsma",
        "stakeholder_group": "private_sector",
        "contacts": [{"name": "Claire", "role": "Focal point", "email": "c@gsma.example"}],
    }
    r = c.put(
        "/api/v1/partners/gsma",
        json=body,
        headers=auth(api, "gsma-ed", **{"If-Match": cur.headers["ETag"]}),
    )
    assert r.status_code == 200, r.text
    assert "c@gsma.example" not in r.text
    assert "c@gsma.example" not in c.get("/api/v1/partners/gsma").text
    assert "c@gsma.example" not in c.get("/api/v1/partners").text
    assert "c@gsma.example" not in c.get("/api/v1/partners?format=csv").text
    assert "c@gsma.example" in c.get("/api/v1/partners/gsma", headers=auth(api, "gsma-ed")).text
    r = c.put(
        "/api/v1/partners/apc",
        json={"organization_id": "apc", "stakeholder_group": "academia"},
        headers=auth(api, "gsma-ed", **{"If-Match": '"v1"'}),
    )
    assert r.status_code == 403


def test_action_gaps(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    rows = c.get("/api/v1/action-gaps", params={"pillar": "access"}).json()
    assert rows and {"country", "pillar", "gap", "initiatives", "score"} <= set(rows[0])
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    for r in rows:  # the documented formula, recomputed from the row's own published values
        assert r["gap"] == pytest.approx(1 - r["female"] / r["male"], rel=1e-12)
        assert r["score"] == pytest.approx(max(r["gap"], 0) / (1 + r["initiatives"]), rel=1e-12)
        assert r["source"] and r["licence"] and r["year"]
    assert c.get("/api/v1/action-gaps", params={"pillar": "money"}).status_code == 422
    assert c.get("/api/v1/action-gaps").status_code == 422


def test_csv_exports_carry_labels(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    r = c.get("/api/v1/initiatives", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    pink = next(x for x in rows if x["title"] == "Pink Cloud Initiative")
    assert (pink["status"], pink["status_label"]) == ("2", "Implementation")
    partners = list(csv.DictReader(io.StringIO(c.get("/api/v1/partners?format=csv").text)))
    mx = next(x for x in partners if x["organization_id"] == "government-of-mexico")
    assert (mx["stakeholder_group"], mx["stakeholder_group_label"]) == ("government", "Government")


def _q(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


ODD = ["x" * 5000, "a\x00b", "\ud800", "💥", "-1", "99999999999999999999999", "[]", "KEN%00"]


@pytest.mark.parametrize("value", ODD)
def test_odd_input_never_5xx(api: dict[str, Any], value: str) -> None:
    c: TestClient = api["client"]
    for url, params in [
        ("/api/v1/partners", {"q": value}),
        ("/api/v1/partners", {"country": value}),
        ("/api/v1/initiatives", {"q": value, "organization": value}),
        ("/api/v1/action-gaps", {"pillar": "access", "target_group": value}),
        ("/api/v1/who-does-what", {"country": value}),
    ]:
        query = "&".join(f"{k}={_q(v)}" for k, v in params.items())
        r = c.get(f"{url}?{query}")
        assert r.status_code < 500, (url, value, r.text)
    for path in ("/api/v1/partners/", "/api/v1/initiatives/", "/api/v1/coalitions/"):
        r = c.get(path + _q(value))
        assert r.status_code < 500, (path, value)
    bodies: list[Any] = [
        initiative_body("gsma", title=value),
        initiative_body("gsma", budget=value),
        initiative_body("gsma", countries=[value]),
        initiative_body("gsma", lead_organization_id=value),
        {"title": 5, "action_areas": "skills"},
        [value],
        value,
    ]
    for body in bodies:
        r = c.post(
            "/api/v1/initiatives",
            content=json.dumps(body),  # ASCII escapes: lone surrogates travel as \\udxxx
            headers=auth(api, "root", **{"Content-Type": "application/json"}),
        )
        assert r.status_code < 500, (body, r.text)
    r = c.post(
        "/api/v1/initiatives",
        content=b"\xff\xfe{",
        headers=auth(api, "root", **{"Content-Type": "application/json"}),
    )
    assert r.status_code < 500


def test_coalitions_and_governance_writes(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    body = {
        "id": "skills",
        "name": "EQUALS Skills Coalition",
        "action_area": "skills",
        "members": [{"organization_id": "gsma", "since": "2018-01-01"}],
    }
    cur = c.get("/api/v1/coalitions/skills")
    assert (
        c.put(
            "/api/v1/coalitions/skills",
            json=body,
            headers=auth(api, "gsma-ed", **{"If-Match": cur.headers["ETag"]}),
        ).status_code
        == 403
    )
    r = c.put(
        "/api/v1/coalitions/skills",
        json=body,
        headers=auth(api, "root", **{"If-Match": cur.headers["ETag"]}),
    )
    assert r.status_code == 200 and [m["organization"]["id"] for m in r.json()["members"]] == [
        "gsma"
    ]
    seat = {"body": "secretariat", "organization_id": "itu", "since": "2016-09-01"}
    assert c.post("/api/v1/governance", json=seat).status_code == 401
    assert c.post("/api/v1/governance", json=seat, headers=auth(api, "gsma-ed")).status_code == 403
    r = c.post("/api/v1/governance", json=seat, headers=auth(api, "root"))
    assert r.status_code == 201 and r.json()["body"] == {
        "code": "secretariat",
        "label": "Secretariat",
    }
    bad = {**seat, "until": "2015-01-01"}
    assert c.post("/api/v1/governance", json=bad, headers=auth(api, "root")).status_code == 422


def test_initiative_lists_are_paged_with_a_total(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    everything = c.get("/api/v1/initiatives", params={"limit": 1000})
    total = int(everything.headers["X-Total-Count"])
    assert total == len(everything.json()) >= 3
    ids = [i["id"] for i in everything.json()]
    paged: list[int] = []
    for offset in range(0, total, 2):
        r = c.get("/api/v1/initiatives", params={"limit": 2, "offset": offset})
        assert r.headers["X-Total-Count"] == str(total)
        paged += [i["id"] for i in r.json()]
    assert paged == ids
    past = c.get("/api/v1/initiatives", params={"limit": 2, "offset": total + 5})
    assert past.json() == [] and past.headers["X-Total-Count"] == str(total)
    as_csv = c.get("/api/v1/initiatives", params={"limit": 1, "format": "csv"})
    assert as_csv.headers["X-Total-Count"] == str(total)
    spec = c.get("/api/v1/openapi.json").json()
    headers = spec["paths"]["/api/v1/initiatives"]["get"]["responses"]["200"]["headers"]
    assert "X-Total-Count" in headers


def test_governance_seat_edit_and_end_of_term(api: dict[str, Any]) -> None:
    c: TestClient = api["client"]
    new = {"body": "steering-committee", "seat": "Vice-chair", "organization_id": "apc"}
    sid = c.post("/api/v1/governance", json=new, headers=auth(api, "root")).json()["id"]
    cur = c.get(f"/api/v1/governance/{sid}")
    assert cur.status_code == 200 and cur.headers["ETag"] == '"v1"'
    edit = {**new, "holder": "B. Person", "since": "2022-01-01"}
    tag = {"If-Match": cur.headers["ETag"]}
    # the permission rows of the new writes: anonymous 401, partner-editor 403, admin ok
    writes = [
        (c.put, f"/api/v1/governance/{sid}", edit),
        (c.post, f"/api/v1/governance/{sid}/end", {"until": "2024-06-30"}),
    ]
    for method, url, body in writes:
        assert method(url, json=body, headers=tag).status_code == 401
        assert method(url, json=body, headers=auth(api, "gsma-ed", **tag)).status_code == 403
    assert c.get(f"/api/v1/governance/{sid}").headers["ETag"] == '"v1"'  # nothing written
    assert c.put(f"/api/v1/governance/{sid}", json=edit, headers=auth(api, "root")).status_code == (
        428
    )
    r = c.put(f"/api/v1/governance/{sid}", json=edit, headers=auth(api, "root", **tag))
    assert (
        r.status_code == 200 and r.headers["ETag"] == '"v2"' and r.json()["holder"] == ("B. Person")
    )
    stale = c.put(f"/api/v1/governance/{sid}", json=edit, headers=auth(api, "root", **tag))
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "edit-conflict"
    v2 = {"If-Match": '"v2"'}
    end = f"/api/v1/governance/{sid}/end"
    bad = c.post(end, json={"until": "2021-12-31"}, headers=auth(api, "root", **v2))
    assert bad.status_code == 422 and "until" in bad.json()["error"]["message"]
    assert c.get(f"/api/v1/governance/{sid}").json()["until"] is None  # nothing written
    r = c.post(end, json={"until": "2024-06-30"}, headers=auth(api, "root", **v2))
    assert r.status_code == 200 and r.json()["until"] == "2024-06-30"
    assert r.headers["ETag"] == '"v3"'
    held = [s for s in c.get("/api/v1/governance").json() if s["id"] == sid]
    assert held[0]["until"] == "2024-06-30" and held[0]["holder"] == "B. Person"  # history kept
    assert c.get("/api/v1/governance/99999").status_code == 404
