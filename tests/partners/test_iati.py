"""IATI 2.03: exports validate against the official activity schema (the XSD in the shared
data), and export → import → export keeps everything both models hold; what an import cannot
map is reported with its line; hostile XML is refused without expanding anything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from equals.core.errors import ValidationError
from equals.partners import add_progress, create_initiative, create_partner, get_initiative
from equals.partners.iati import export_iati, export_xml
from equals.partners.iati_import import import_iati
from equals.store import Store
from tests.partners.conftest import OPERATOR, initiative_body

IATI = Path("/work/shared/data/iati")


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(IATI / "iati-activities-schema.xsd"), parser))


def _partners(store: Store) -> None:
    for name, group, ref, kind in (
        ("GSMA", "private_sector", "XI-IATI-GSMA", "60"),
        ("APC", "civil_society", "XI-IATI-APC", "22"),
        ("UN Women", "intergovernmental", "XM-DAC-41146", "40"),
    ):
        create_partner(
            store,
            {"name": name, "stakeholder_group": group, "iati_org_id": ref, "iati_org_type": kind},
            actor=OPERATOR,
        )


def _full(store: Store) -> int:
    _partners(store)
    body = initiative_body(
        "gsma",
        participants=[
            {"organization_id": "apc", "role": "4"},
            {"organization_id": "un-women", "role": "1"},
        ],
        action_areas=["skills", "access"],
        target_groups=["girls_in_school", "rural_women"],
        countries=["KEN", "MEX"],
        regions=["298"],
        sectors=["22040", "11330"],
        website="https://example.org/coding-clubs",
        deliverables=[
            {
                "title": "40 coding clubs open",
                "measure": "clubs open",
                "due": "2025-06-30",
                "done": True,
            },
            {"title": "Teacher guide published", "measure": "", "due": "2026-03-31"},
        ],
    )
    body["targets"].append(
        {
            "indicator": "ict_skill_programming",
            "country": "MEX",
            "sex": "female",
            "target_value": 12.5,
            "target_year": 2026,
        }
    )
    ini = create_initiative(store, body, actor=OPERATOR)
    t0, t1 = (t.id for t in ini.targets)
    add_progress(
        store,
        ini.id,
        {
            "date": "2025-01-15",
            "narrative": "Year one.",
            "values": [{"target_id": t0, "value": 27.25, "year": 2024}],
        },
        actor=OPERATOR,
    )
    add_progress(
        store,
        ini.id,
        {
            "date": "2026-01-15",
            "narrative": "Year two.",
            "values": [
                {"target_id": t0, "value": 31.0, "year": 2025},
                {"target_id": t1, "value": 6.0, "year": 2025},
            ],
        },
        actor=OPERATOR,
    )
    return ini.id


def _same_xml(a: bytes) -> bytes:
    root = etree.fromstring(a)
    root.set("generated-datetime", "x")
    return etree.tostring(root, method="c14n")


def _comparable(store: Store, iid: int) -> dict[str, Any]:
    rec = get_initiative(store, iid).model_dump(mode="json")
    for key in ("id", "version", "url", "as_of", "freshness", "example", "source_note"):
        rec.pop(key)
    for t in rec["targets"]:
        t.pop("id")
    return rec


def test_export_is_schema_valid(store: Store, schema: etree.XMLSchema) -> None:
    _full(store)
    out = export_iati(store)
    doc = etree.fromstring(out.xml)
    assert schema.validate(doc), schema.error_log
    act = doc.find("iati-activity")
    assert act.findtext("iati-identifier") == "XI-IATI-GSMA-1"
    assert [c.get("code") for c in act.findall("recipient-country")] == ["KE", "MX"]
    assert {(p.get("ref"), p.get("role")) for p in act.findall("participating-org")} == {
        ("XI-IATI-GSMA", "2"),
        ("XI-IATI-APC", "4"),
        ("XM-DAC-41146", "1"),
    }
    assert act.find("policy-marker").attrib == {"vocabulary": "1", "code": "1", "significance": "2"}
    assert act.find("budget/value").text == "250000"


def test_round_trip_keeps_everything(store: Store, tmp_path: Path, schema: etree.XMLSchema) -> None:
    iid = _full(store)
    first = export_iati(store)
    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    other.migrate()
    _partners(other)
    rep = import_iati(other, first.xml, actor=OPERATOR, name="first.xml")
    assert rep.unmapped == [] and len(rep.created) == 1 and rep.progress_reports == 2
    assert _comparable(other, rep.created[0]) == {
        **_comparable(store, iid),
        "iati_identifier": "XI-IATI-GSMA-1",
    }
    second = export_iati(other)
    assert schema.validate(etree.fromstring(second.xml))
    assert _same_xml(second.xml) == _same_xml(first.xml)
    again = import_iati(other, first.xml, actor=OPERATOR, name="first.xml")  # idempotent
    assert again.created == [] and again.updated == rep.created and again.progress_reports == 0
    other.dispose()


def test_unmapped_items_are_reported(store: Store) -> None:
    _partners(store)
    data = (IATI / "samples" / "worked-example.xml").read_bytes()
    with pytest.raises(ValidationError) as err:  # it names no organisation to lead it
        import_iati(store, data, actor=OPERATOR, name="worked-example.xml")
    assert "--lead" in str(err.value) and "worked-example.xml:3" in str(err.value)
    rep = import_iati(store, data, actor=OPERATOR, name="worked-example.xml", lead="gsma")
    ini = get_initiative(store, rep.created[0])
    assert ini.title == "Worked example of an activity report"
    assert [c.code for c in ini.countries] == ["HTI"]
    assert (ini.start_date, ini.end_date) == ("2010-04-01", "2011-03-31")
    kinds = sorted(u.split("<")[1].split(">")[0] for u in rep.unmapped)
    assert kinds == [
        "budget-planned",
        "budget-planned",
        "description",
        "iati-activity",  # no activity-status: recorded as 2 and said so
        "other-identifier",
        "related-activity",
        "title",
        "total-cost",
        "transaction",
        "transaction",
    ]
    assert all(u.startswith("worked-example.xml:") for u in rep.unmapped)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<iati-activities><iati-activity><title>&b;</title></iati-activity></iati-activities>",
            "DOCTYPE",
        ),
        (b'<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><iati-activities/>', "DOCTYPE"),
        (b"<iati-activities><iati-activity>", "not well-formed"),
        (b"<html/>", "root element"),
    ],
)
def test_hostile_or_broken_xml_is_refused(store: Store, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        import_iati(store, data, actor=OPERATOR, name="bad.xml")
    assert message in str(err.value)


def test_bad_activity_writes_nothing(store: Store) -> None:
    _partners(store)
    good = export_iati(store).xml  # no initiatives yet: an empty, valid file
    assert etree.fromstring(good).findall("iati-activity") == []
    xml = (
        b"<iati-activities version='2.03'>"
        b"<iati-activity><iati-identifier>A-1</iati-identifier><reporting-org ref='XI-IATI-GSMA'>"
        b"<narrative>GSMA</narrative></reporting-org><title><narrative>Good</narrative></title>"
        b"<activity-status code='2'/><activity-date type='1' iso-date='2024-01-01'/>"
        b"</iati-activity>"
        b"<iati-activity><iati-identifier>A-2</iati-identifier><reporting-org ref='XI-IATI-GSMA'>"
        b"<narrative>GSMA</narrative></reporting-org><title><narrative>Bad</narrative></title>"
        b"<activity-status code='2'/><activity-date type='1' iso-date='2024-01-01'/>"
        b"<activity-date type='3' iso-date='2023-01-01'/></iati-activity></iati-activities>"
    )
    with pytest.raises(ValidationError) as err:
        import_iati(store, xml, actor=OPERATOR, name="two.xml")
    assert "end_date" in str(err.value) and "two.xml:1 (activity 2)" in str(err.value)
    assert export_iati(store).exported == []


def test_skipped_without_start_date() -> None:
    out = export_xml([], {}, {}, generated=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert b'generated-datetime="2026-01-01T00:00:00+00:00"' in out.xml
