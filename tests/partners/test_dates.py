"""Plausible dates: the one rule (``common.implausible_date``) for every date the registry takes
from a person or a file — 1900-01-01 to 50 years from today, and from EQUALS's founding
(2016-01-01) for a governance term. Each input model's date field refuses a date outside it,
naming the field and the range; the services, the API (422), the French web forms and the IATI
import all say so and write nothing. Real store, real app, real pydantic."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterator
from typing import Any

import pydantic
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from equals.auth import Role, audit_entries, create_user, issue_token
from equals.core.errors import ValidationError
from equals.core.i18n import use_language
from equals.partners import (
    add_progress,
    add_seat,
    common,
    create_initiative,
    create_partner,
    end_term,
    get_seat,
    list_initiatives,
)
from equals.partners import model as m
from equals.partners.common import EARLIEST, FOUNDED, implausible_date, latest_date, parse
from equals.partners.iati_import import import_iati
from equals.settings import Settings
from equals.store import Store
from equals.store.tables import partners as t
from equals.web.app import create_app
from tests.partners.conftest import CSRF, OPERATOR, PASSWORD, Registry, initiative_body, signed_in

NB = "\N{NO-BREAK SPACE}"
#: "Today" for every test here: the range moves at midnight (UTC), and a run that crosses it
#: must not compare a range computed before midnight with one computed after.
TODAY = dt.date(2026, 11, 29)
LATEST = latest_date(TODAY).isoformat()
FAR = (latest_date(TODAY) + dt.timedelta(days=1)).isoformat()
RANGE = f"1900-01-01 to {LATEST}"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "today", lambda: TODAY)


# -- the rule ---------------------------------------------------------------------------------
def test_the_range_is_1900_to_fifty_years_from_today() -> None:
    on = dt.date(2026, 11, 29)
    assert latest_date(on) == dt.date(2076, 11, 29)
    assert latest_date(dt.date(2024, 2, 29)) == dt.date(2074, 2, 28)  # no 29 February in 2074
    assert implausible_date(dt.date(1900, 1, 1), "joined", on=on) is None
    assert implausible_date(dt.date(2076, 11, 29), "joined", on=on) is None
    early = implausible_date(dt.date(1899, 12, 31), "joined", on=on)
    assert early == "joined 1899-12-31 is outside the accepted range, 1900-01-01 to 2076-11-29"
    late = implausible_date(dt.date(2076, 11, 30), "end_date", on=on)
    assert late == "end_date 2076-11-30 is outside the accepted range, 1900-01-01 to 2076-11-29"
    assert dt.date(1900, 1, 1) == EARLIEST and dt.date(2016, 1, 1) == FOUNDED


def test_a_governance_term_starts_with_the_partnership() -> None:
    on = dt.date(2026, 11, 29)
    assert implausible_date(dt.date(2016, 1, 1), "until", term=True, on=on) is None
    assert implausible_date(dt.date(2015, 12, 31), "until", term=True, on=on) == (
        "until 2015-12-31 is outside the accepted range for a governance term, 2016-01-01 "
        "(EQUALS was founded in 2016) to 2076-11-29"
    )
    assert implausible_date(dt.date(2076, 11, 30), "since", term=True, on=on) is not None


def test_the_messages_read_in_french_and_spanish() -> None:
    msg = implausible_date(dt.date(1899, 12, 31), "joined", on=dt.date(2026, 11, 29))
    assert msg is not None
    with use_language("fr"):
        assert msg.localised() == (
            "joined 1899-12-31 est hors de la plage acceptée, du 1900-01-01 au 2076-11-29"
        )
    with use_language("es"):
        assert msg.localised() == (
            "joined 1899-12-31 está fuera del intervalo aceptado, del 1900-01-01 al 2076-11-29"
        )


# -- every date field of every input model ------------------------------------------------------
def _date_fields() -> list[tuple[str, str]]:
    """(model, field) for every field of the registry's input models that holds a date."""
    found = []
    for name in dir(m):
        cls = getattr(m, name)
        if not (isinstance(cls, type) and issubclass(cls, pydantic.BaseModel)):
            continue
        if not name.endswith("In") or cls.__module__ != m.__name__:
            continue
        for field, info in cls.model_fields.items():
            kinds = {info.annotation, *typing.get_args(info.annotation)}
            if dt.date in kinds or any(
                dt.date in typing.get_args(k) for k in kinds if k is not None
            ):
                found.append((name, field))
    return sorted(found)


def test_the_date_fields_are_the_ones_this_file_covers() -> None:
    assert _date_fields() == sorted(
        [
            ("PartnerIn", "joined"),
            ("DeliverableIn", "due"),
            ("InitiativeIn", "start_date"),
            ("InitiativeIn", "end_date"),
            ("InitiativeIn", "as_of"),
            ("ProgressIn", "date"),
            ("MemberIn", "since"),
            ("SeatIn", "since"),
            ("SeatIn", "until"),
            ("SeatEndIn", "until"),
        ]
    )


@pytest.mark.parametrize(("model", "field"), _date_fields())
@pytest.mark.parametrize("value", ["1899-12-31", "0001-01-01", FAR, "9999-12-31"])
def test_every_date_field_refuses_an_implausible_date(model: str, field: str, value: str) -> None:
    annotation = getattr(m, model).model_fields[field].rebuild_annotation()
    with pytest.raises(pydantic.ValidationError) as caught:
        pydantic.TypeAdapter(annotation).validate_python(value)
    assert "is outside the accepted range" in str(caught.value)
    assert pydantic.TypeAdapter(annotation).validate_python("2020-01-01") == dt.date(2020, 1, 1)


@pytest.mark.parametrize(
    ("model", "body", "location"),
    [
        (m.PartnerIn, {"name": "X", "stakeholder_group": "academia", "joined": "{d}"}, "joined"),
        (m.InitiativeIn, initiative_body("gsma", start_date="{d}"), "start_date"),
        (m.InitiativeIn, initiative_body("gsma", end_date="{d}"), "end_date"),
        (m.InitiativeIn, initiative_body("gsma", as_of="{d}"), "as_of"),
        (
            m.InitiativeIn,
            initiative_body("gsma", deliverables=[{"title": "T", "due": "{d}"}]),
            "deliverables.0.due",
        ),
        (m.ProgressIn, {"date": "{d}", "narrative": "N"}, "date"),
        (
            m.CoalitionIn,
            {
                "id": "c",
                "name": "C",
                "action_area": "skills",
                "members": [{"organization_id": "gsma", "since": "{d}"}],
            },
            "members.0.since",
        ),
        (m.SeatIn, {"body": "secretariat", "organization_id": "itu", "since": "{d}"}, "since"),
        (m.SeatEndIn, {"until": "{d}"}, "until"),
    ],
)
def test_the_error_names_the_field_and_the_range(
    model: type[pydantic.BaseModel], body: dict[str, Any], location: str
) -> None:
    def filled(day: str, x: Any = body) -> Any:
        if isinstance(x, dict):
            return {k: filled(day, v) for k, v in x.items()}
        if isinstance(x, list):
            return [filled(day, v) for v in x]
        return day if x == "{d}" else x

    field = location.rsplit(".", 1)[-1]
    term = model in (m.SeatIn, m.SeatEndIn)
    earliest = "2016-01-01" if term else "1900-01-01"
    for day in ("1899-12-31", FAR):
        with pytest.raises(ValidationError) as caught:
            parse(model, filled(day))
        assert caught.value.location == location
        assert f"Value error, {field} {day} is outside the accepted range" in caught.value.message
        assert f"{earliest}" in caught.value.message and LATEST in caught.value.message
    parse(model, filled("2016-01-01" if term else "1900-01-01"))  # the first day is accepted
    parse(model, filled(LATEST))  # and so is the last


# -- services: refused with the field named, nothing written -----------------------------------
def test_ending_a_term_with_an_unknown_start_in_1900_is_refused(registry: Registry) -> None:
    store = registry.store
    seat = add_seat(
        store, {"body": "steering-committee", "organization_id": registry.own}, actor=OPERATOR
    )
    assert seat.since is None
    for day in ("1900-01-01", "1899-12-31", "2015-12-31", FAR):
        with pytest.raises(ValidationError) as caught:
            end_term(store, seat.id, {"until": day}, based_on=1, actor=OPERATOR)
        assert caught.value.location == "until"
        assert f"until {day} is outside the accepted range for a governance term" in str(
            caught.value
        )
    assert get_seat(store, seat.id) == seat  # nothing written, version still 1
    assert len(audit_entries(store, entity="governance_seat", entity_id=str(seat.id))) == 1
    ended = end_term(store, seat.id, {"until": "2016-01-01"}, based_on=1, actor=OPERATOR)
    assert (ended.until, ended.version) == ("2016-01-01", 2)


def test_a_seat_cannot_start_before_the_partnership(registry: Registry) -> None:
    body = {"body": "co-founder", "organization_id": registry.own, "since": "2015-12-31"}
    with pytest.raises(ValidationError) as caught:
        add_seat(registry.store, body, actor=OPERATOR)
    assert caught.value.location == "since"
    with registry.store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.governance_seats)).scalar() == 0


def test_an_initiative_from_1900_is_kept_and_one_from_1899_is_not(registry: Registry) -> None:
    store = registry.store
    before = len(list_initiatives(store))
    old = create_initiative(
        store,
        initiative_body(registry.own, title="An old commitment", start_date="1900-01-01"),
        actor=OPERATOR,
    )
    assert old.start_date == "1900-01-01"
    for over in ({"start_date": "1899-12-31"}, {"end_date": FAR}):
        with pytest.raises(ValidationError) as caught:
            create_initiative(store, initiative_body(registry.own, **over), actor=OPERATOR)
        assert caught.value.location == next(iter(over))
    assert len(list_initiatives(store)) == before + 1


def test_a_progress_report_far_in_the_future_is_refused(registry: Registry) -> None:
    body = {"date": FAR, "narrative": "Clubs opened."}
    with pytest.raises(ValidationError) as caught:
        add_progress(registry.store, registry.own_initiative, body, actor=OPERATOR)
    assert caught.value.location == "date" and RANGE in str(caught.value)
    with registry.store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.progress_reports)).scalar() == 0


# -- IATI import: the activity is refused, naming file, line, activity and field --------------
def _activity(ident: str, start: str) -> bytes:
    return (
        f"<iati-activity><iati-identifier>{ident}</iati-identifier>"
        "<reporting-org ref='XI-IATI-GSMA'><narrative>GSMA</narrative></reporting-org>"
        f"<title><narrative>{ident}</narrative></title><activity-status code='2'/>"
        f"<activity-date type='1' iso-date='{start}'/></iati-activity>"
    ).encode()


@pytest.mark.parametrize("start", ["1899-12-31", "2999-01-01"])
def test_an_iati_activity_with_an_implausible_date_is_refused(store: Store, start: str) -> None:
    create_partner(
        store,
        {"name": "GSMA", "stakeholder_group": "private_sector", "iati_org_id": "XI-IATI-GSMA"},
        actor=OPERATOR,
    )
    xml = (
        b"<iati-activities version='2.03'>"
        + _activity("A-1", "1900-01-01")
        + _activity("A-2", start)
        + b"</iati-activities>"
    )
    with pytest.raises(ValidationError) as caught:
        import_iati(store, xml, actor=OPERATOR, name="dates.xml")
    assert caught.value.location == "dates.xml:1 (activity 2): start_date"
    assert f"start_date {start} is outside the accepted range, {RANGE}" in str(caught.value)
    assert list_initiatives(store) == []  # one transaction: the good activity is not kept
    good = (
        b"<iati-activities version='2.03'>" + _activity("A-1", "1900-01-01") + b"</iati-activities>"
    )
    assert import_iati(store, good, actor=OPERATOR, name="dates.xml").created


# -- API (422, English) and the French web forms -------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('partners-dates') / 'equals.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "root", PASSWORD, roles=[Role.ADMIN])
    lead = create_partner(
        store, {"name": "Tech Sisters", "stakeholder_group": "civil_society"}, actor=OPERATOR
    )
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as client:
        yield client, store, lead.organization_id
    store.dispose()


def test_the_api_answers_422_naming_the_field(site: tuple[TestClient, Store, str]) -> None:
    client, store, lead = site
    headers = {"Authorization": f"Bearer {issue_token(store, 'root')}"}
    body = initiative_body(lead, start_date="1899-12-31")
    body.update(countries=[], targets=[], target_groups=[])
    r = client.post("/api/v1/initiatives", json=body, headers=headers)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["message"] == (
        f"start_date: Value error, start_date 1899-12-31 is outside the accepted range, {RANGE}"
    )
    seat = client.post(
        "/api/v1/governance",
        json={"body": "secretariat", "organization_id": lead},
        headers=headers,
    )
    assert seat.status_code == 201, seat.text
    end = f"/api/v1/governance/{seat.json()['id']}/end"
    r = client.post(end, json={"until": "1900-01-01"}, headers={**headers, "If-Match": '"v1"'})
    assert r.status_code == 422
    assert r.json()["error"]["message"].startswith(
        "until: Value error, until 1900-01-01 is outside the accepted range for a governance term"
    )
    assert client.get(f"/api/v1/governance/{seat.json()['id']}").json()["until"] is None


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'id="err-{field}"[^>]*>([^<]*)<', html)
    assert found, f"no error shown for {field}"
    return found.group(1).strip()


def test_the_french_initiative_form_says_so_under_the_field(
    site: tuple[TestClient, Store, str],
) -> None:
    client, _, lead = site
    c = signed_in(client, "/fr")
    token = CSRF.search(c.get("/fr/initiatives/new").text).group(1)  # type: ignore[union-attr]
    data = {
        "csrf_token": token,
        "title": "Une date de 1899",
        "lead_organization_id": lead,
        "action_areas": ["skills"],
        "status": "2",
        "start_date": "1899-12-31",
    }
    r = c.post("/fr/initiatives/new", data=data)
    assert r.status_code == 422, r.text
    assert _field_error(r.text, "start_date") == (
        f"Valeur non valide{NB}: start_date 1899-12-31 est hors de la plage acceptée, "
        f"du 1900-01-01 au {LATEST}"
    )


def test_the_french_end_of_term_form_says_so_under_the_field(
    site: tuple[TestClient, Store, str],
) -> None:
    client, store, lead = site
    seat = add_seat(store, {"body": "secretariat", "organization_id": lead}, actor=OPERATOR)
    c = signed_in(client, "/fr")
    url = f"/fr/governance/{seat.id}/end"
    token = CSRF.search(c.get(url).text).group(1)  # type: ignore[union-attr]
    r = c.post(url, data={"csrf_token": token, "version": "1", "until": "1900-01-01"})
    assert r.status_code == 422, r.text
    assert _field_error(r.text, "until") == (
        f"Valeur non valide{NB}: until 1900-01-01 est hors de la plage acceptée pour un mandat, "
        f"du 2016-01-01 (EQUALS a été fondé en 2016) au {LATEST}"
    )
    assert 'value="1900-01-01"' in r.text  # what was typed is kept
    assert get_seat(store, seat.id).until is None


def test_the_forms_offer_only_dates_in_the_range(site: tuple[TestClient, Store, str]) -> None:
    """Every date input of the registry's forms carries the accepted range as ``min``/``max``
    (the server still checks: a browser without them, or a script, gets the error)."""
    client, _, _ = site
    c = signed_in(client, "")
    latest = latest_date().isoformat()
    general = f'min="{EARLIEST.isoformat()}" max="{latest}"'
    term = f'min="{FOUNDED.isoformat()}" max="{latest}"'
    for path, bounds in (
        ("/partners/new", general),
        ("/initiatives/new", general),
        ("/governance/new", term),
    ):
        page = c.get(path)
        assert page.status_code == 200, path
        dates = re.findall(r'<input[^>]*type="date"[^>]*>', page.text)
        assert dates, path
        assert all(bounds in tag for tag in dates), (path, dates)
