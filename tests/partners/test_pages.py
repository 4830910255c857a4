"""The registry's pages through TestClient on a copy of the loaded database with the example
content: every page renders (and says what is example data), user text is escaped, e-mail
addresses never show, forms need a sign-in and a CSRF token, a stale form is a 409."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from equals.auth import Grant, Role, create_user
from equals.partners import update_partner
from equals.settings import Settings
from equals.store import Store
from tests.partners.conftest import OPERATOR

PASSWORD = "a long enough passphrase 42"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def site(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path = tmp_path_factory.mktemp("partners-pages") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    from equals.web.app import create_app

    with TestClient(create_app(Settings(db_url=url))) as client:
        store = Store(url)
        create_user(store, "gsma-editor", PASSWORD, roles=[Grant(Role.PARTNER_EDITOR, "gsma")])
        cur = client.get("/api/v1/partners/gsma").json()
        update_partner(
            store,
            "gsma",
            {
                "organization_id": "gsma",
                "stakeholder_group": "private_sector",
                "contacts": [{"name": "Focal Point", "email": "secret@gsma.example"}],
            },
            based_on=cur["version"],
            actor=OPERATOR,
        )
        yield {"client": client, "store": store}
        store.dispose()


def _login(c: TestClient, name: str = "gsma-editor") -> None:
    token = CSRF.search(c.get("/login").text).group(1)  # type: ignore[union-attr]
    r = c.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/partners"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


@pytest.mark.parametrize(
    ("url", "expect"),
    [
        ("/partners", "Association for Progressive Communications"),
        ("/partners?group=government", "Government of Mexico"),
        ("/partners/apc", "Speaker Jac SM Kee"),
        ("/coalitions", "EQUALS Access Coalition"),
        ("/initiatives", "Pink Cloud Initiative"),
        ("/initiatives?area=skills", "Youth SPARK"),
        ("/action", "Where is action missing? Access"),
        ("/action?pillar=leadership", "women_share_ict_professionals"),
        ("/action/MEX", "Digital Government Unit"),
    ],
)
def test_pages_render(site: dict[str, Any], url: str, expect: str) -> None:
    r = site["client"].get(url)
    assert r.status_code == 200 and expect in r.text
    assert "<script>" not in r.text.split("</footer>")[0]  # no inline scripts (CSP)


def test_example_records_are_labelled(site: dict[str, Any]) -> None:
    html = site["client"].get("/partners/microsoft").text
    assert "Example data" in html and "equals partners remove-examples" in html


def test_unknown_things_are_404_pages(site: dict[str, Any]) -> None:
    c: TestClient = site["client"]
    for url in ("/partners/nobody", "/initiatives/99999", "/action/ZZZ", "/partners/%00"):
        assert c.get(url).status_code == 404


def test_emails_never_on_pages(site: dict[str, Any]) -> None:
    c: TestClient = site["client"]
    html = c.get("/partners/gsma").text
    assert "Focal Point" in html and "secret@gsma.example" not in html
    assert "secret@gsma.example" not in c.get("/partners").text


def test_forms_need_sign_in_and_csrf(site: dict[str, Any]) -> None:
    c = TestClient(site["client"].app)
    r = c.get("/initiatives/new", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    _login(c)
    form = c.get("/initiatives/new").text
    assert "Save initiative" in form and "SMART" in form  # guidance beside the fields
    data = {"title": "No token", "lead_organization_id": "gsma", "action_areas": "access"}
    assert c.post("/initiatives/new", data=data, follow_redirects=False).status_code == 403
    data["csrf_token"] = "forged"
    assert c.post("/initiatives/new", data=data, follow_redirects=False).status_code == 403
    for url in (
        "/initiatives/1/progress",
        "/initiatives/1/sessions/1",
        "/initiatives/1/edit",
        "/partners/gsma/edit",
        "/partners/new",
    ):
        assert c.post(url, data={"csrf_token": "forged"}, follow_redirects=False).status_code == 403


def test_form_saves_escapes_and_reports_field_errors(site: dict[str, Any]) -> None:
    c = TestClient(site["client"].app)
    _login(c)
    token = CSRF.search(c.get("/initiatives/new").text).group(1)  # type: ignore[union-attr]
    base = {
        "csrf_token": token,
        "lead_organization_id": "gsma",
        "action_areas": ["access"],
        "countries": "KEN",
        "status": "2",
        "start_date": "2025-01-01",
    }
    bad = {**base, "title": "Dates wrong", "end_date": "2024-01-01"}
    r = c.post("/initiatives/new", data=bad)
    assert r.status_code == 422 and 'id="err-end_date"' in r.text and "before start date" in r.text
    assert 'value="Dates wrong"' in r.text  # what was typed is kept
    r = c.post(
        "/initiatives/new",
        data={
            **base,
            "title": "<script>alert(1)</script>",
            "target_indicator_0": "internet_use",
            "target_country_0": "KEN",
            "target_value_0": "40",
            "target_year_0": "2027",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    other = {**base, "title": "For APC", "lead_organization_id": "apc"}
    assert c.post("/initiatives/new", data=other).status_code == 403


def test_stale_edit_form_is_409_and_keeps_the_input(site: dict[str, Any]) -> None:
    c = TestClient(site["client"].app)
    _login(c)
    token = CSRF.search(c.get("/initiatives/new").text).group(1)  # type: ignore[union-attr]
    r = c.post(
        "/initiatives/new",
        data={
            "csrf_token": token,
            "title": "Edit me",
            "lead_organization_id": "gsma",
            "action_areas": ["skills"],
        },
        follow_redirects=False,
    )
    iid = int(r.headers["location"].rsplit("/", 1)[1])
    edit = c.get(f"/initiatives/{iid}/edit").text
    assert 'name="version" value="1"' in edit
    form = {
        "csrf_token": token,
        "version": "1",
        "lead_organization_id": "gsma",
        "action_areas": ["skills"],
    }
    assert (
        c.post(
            f"/initiatives/{iid}/edit", data={**form, "title": "First"}, follow_redirects=False
        ).status_code
        == 303
    )
    r = c.post(f"/initiatives/{iid}/edit", data={**form, "title": "Second, stale"})
    assert r.status_code == 409 and "Someone saved this initiative meanwhile" in r.text
    assert 'value="Second, stale"' in r.text
    assert c.get(f"/api/v1/initiatives/{iid}").json()["title"] == "First"


def test_partner_form_own_only_and_private_emails(site: dict[str, Any]) -> None:
    c = TestClient(site["client"].app)
    _login(c)
    page = c.get("/partners/gsma").text
    assert (
        'href="/partners/gsma/edit"' in page
        and 'href="/partners/apc/edit"' not in c.get("/partners/apc").text
    )
    assert c.get("/partners/apc/edit").status_code == 403
    form = c.get("/partners/gsma/edit").text
    assert "secret@gsma.example" in form  # the partner's own editor sees the e-mail
    token = CSRF.search(form).group(1)  # type: ignore[union-attr]
    version = re.search(r'name="version" value="(\d+)"', form).group(1)  # type: ignore[union-attr]
    data = {
        "csrf_token": token,
        "version": version,
        "organization_id": "gsma",
        "name": "GSMA",
        "stakeholder_group": "private_sector",
        "country": "GBR",
        "contact_name_0": "Focal Point",
        "contact_email_0": "not-an-email",
    }
    r = c.post("/partners/gsma/edit", data=data)
    assert r.status_code == 422 and 'id="err-contact_email_0"' in r.text
    data["contact_email_0"] = "focal@gsma.example"
    assert c.post("/partners/gsma/edit", data=data, follow_redirects=False).status_code == 303
    public = TestClient(site["client"].app).get("/partners/gsma").text
    assert "United Kingdom" in public and "focal@gsma.example" not in public
    r = c.post("/partners/gsma/edit", data=data)  # the same version again: stale
    assert r.status_code == 409 and "Someone saved this partner meanwhile" in r.text
    r = c.post(
        "/partners/new",
        data={"csrf_token": token, "name": "New Org", "stakeholder_group": "academia"},
    )
    assert r.status_code == 403  # only admins add partners


def test_initiatives_page_is_paged(site: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from equals.web import partners_pages

    c: TestClient = site["client"]
    everything = c.get("/api/v1/initiatives", params={"limit": 1000}).json()
    total = len(everything)
    assert total >= 3
    monkeypatch.setattr(partners_pages, "PAGE_SIZE", 2)
    seen: list[str] = []
    pages = -(-total // 2)
    for n in range(1, pages + 1):
        html = c.get("/initiatives", params={"page": n}).text
        assert f"Page {n} of {pages}" in html
        assert f"of {total} initiatives" in html
        seen += re.findall(r'<tr><td><a href="/initiatives/(\d+)"', html)
        assert ('rel="next"' in html) == (n < pages) and ('rel="prev"' in html) == (n > 1)
    assert [int(x) for x in seen] == [i["id"] for i in everything]  # every one, once, in order
    last = c.get("/initiatives", params={"page": 999}).text  # past the end: the last page
    assert f"Page {pages} of {pages}" in last
    assert "Page 1 of" in c.get("/initiatives", params={"page": "x"}).text


def test_partner_page_links_to_all_its_initiatives_when_more(
    site: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from equals.web import partners_pages

    c: TestClient = site["client"]
    mine = c.get("/api/v1/initiatives", params={"organization": "microsoft"}).json()
    assert len(mine) >= 2
    assert "Showing" not in c.get("/partners/microsoft").text
    monkeypatch.setattr(partners_pages, "PARTNER_INITIATIVES", 1)
    html = c.get("/partners/microsoft", params={"v": "2"}).text  # (not the cached page)
    assert f"Showing 1 of {len(mine)} initiatives." in html
    assert 'href="/initiatives?organization=microsoft"' in html
    listed = c.get("/initiatives", params={"organization": "microsoft"}).text
    assert f"{len(mine)} initiatives" in listed
    assert all(f'href="/initiatives/{i["id"]}"' in listed for i in mine)
