"""IATI activity XML 2.03 export of initiatives.

Mapping (both directions; :mod:`equals.partners.iati_import` reads it back):

- ``iati-identifier``: the stored identifier, else ``<lead's IATI org id or EQUALS-HUB>-<id>``;
  ``reporting-org`` = the lead (ref = its IATI organisation identifier, type = its IATI type);
- ``participating-org``: the lead as role 2 (Accountable), then every participant with its role;
- ``activity-status``; ``activity-date`` type 1 (planned start) and 3 (planned end);
- ``recipient-country`` (ISO 3166-1 alpha-2), ``recipient-region`` (vocabulary 1, OECD DAC),
  ``sector`` (vocabulary 1, DAC 5-digit), ``policy-marker`` 1 (gender equality, vocabulary 1)
  with its significance;
- ``tag`` (vocabulary 99, the reporting organisation's own) for action areas
  (``urn:equals-hub:action-area``) and target groups (``urn:equals-hub:target-group``);
- ``budget`` (type 1, original) over start–end with the currency;
- ``document-link`` category A12 (activity web page) for the website;
- ``result`` type 2 (outcome) per indicator target: indicator measure 2 (percentage) or 1 (unit),
  reference vocabulary 99 = the catalogue id, baseline, dimensions ``country`` and ``sex``, one
  period per reported actual year and one for the target year;
- ``result`` type 1 (output) per SMART deliverable, indicator measure 5 (qualitative), its
  measure as description, the due date as the period end.

A deliverable that is done gets an actual with the comment "Done". Not exported (reported in
:attr:`IatiExport.notes`): progress narratives and links, contacts; initiatives without a
start date are skipped (IATI needs an activity date) and listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree
from sqlalchemy import select

from equals.core.i18n import Msg
from equals.indicators.catalogue import load_catalogue
from equals.partners import codes
from equals.partners.initiative_read import InitiativeFilter, initiative_ids, read_initiatives
from equals.partners.model import Initiative, ProgressReport
from equals.partners.progress import _reports
from equals.store import Store
from equals.store.tables import partners as tables
from equals.store.tables.sessions import organizations

VERSION = "2.03"
AREA_URI = "urn:equals-hub:action-area"
GROUP_URI = "urn:equals-hub:target-group"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DONE = "Done"


@dataclass(frozen=True, slots=True)
class OrgInfo:
    id: str
    name: str
    iati_org_id: str | None = None
    iati_org_type: str | None = None
    group: str | None = None  # stakeholder group, for partners


GROUP_TYPE = {
    "government": "10",  # Government
    "private_sector": "70",  # Private Sector
    "intergovernmental": "40",  # Multilateral
    "academia": "80",  # Academic, Training and Research
}
"""IATI OrganisationType by stakeholder group, used only when a partner has no type of its own
(civil society and the technical community are too broad to say: 90, Other)."""


@dataclass
class IatiExport:
    xml: bytes
    exported: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def identifier(ini: Initiative, lead: OrgInfo) -> str:
    if ini.iati_identifier:
        return ini.iati_identifier
    return f"{lead.iati_org_id or 'EQUALS-HUB'}-{ini.id}"


def _narrative(parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, "narrative").text = text


def _org(
    parent: etree._Element, tag: str, org: OrgInfo, *, required: bool = False, **attrs: str
) -> None:
    """An organisation element; ``required`` (reporting-org) fills in ``ref`` and ``type`` when
    the registry has none: ``EQUALS-HUB-<organisation id>`` and the type that follows from the
    stakeholder group (:data:`GROUP_TYPE`)."""
    el = etree.SubElement(parent, tag)
    ref = org.iati_org_id or (f"EQUALS-HUB-{org.id.replace(':', '-')}" if required else None)
    kind = org.iati_org_type or (GROUP_TYPE.get(org.group or "", "90") if required else None)
    if ref:
        el.set("ref", ref)
    if kind:
        el.set("type", kind)
    for k, v in attrs.items():
        el.set(k, v)
    _narrative(el, org.name)


def _period(parent: etree._Element, start: str, end: str) -> etree._Element:
    period = etree.SubElement(parent, "period")
    etree.SubElement(period, "period-start").set("iso-date", start)
    etree.SubElement(period, "period-end").set("iso-date", end)
    return period


def _dims(el: etree._Element, country: str, sex: str) -> None:
    for name, value in (("country", country), ("sex", sex)):
        d = etree.SubElement(el, "dimension")
        d.set("name", name)
        d.set("value", value)


def _num(x: float) -> str:
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def activity(
    ini: Initiative, orgs: dict[str, OrgInfo], reports: Sequence[ProgressReport]
) -> etree._Element:
    lead = orgs[ini.lead.id]
    act = etree.Element("iati-activity")
    act.set(XML_LANG, "en")
    act.set("hierarchy", "1")
    if ini.currency:
        act.set("default-currency", ini.currency)
    etree.SubElement(act, "iati-identifier").text = identifier(ini, lead)
    _org(act, "reporting-org", lead, required=True)
    _narrative(etree.SubElement(act, "title"), ini.title)
    desc = etree.SubElement(act, "description")
    desc.set("type", "1")
    _narrative(desc, ini.description or ini.title)
    _org(act, "participating-org", lead, role="2")
    for p in ini.participants:
        _org(act, "participating-org", orgs[p.organization.id], role=p.role.code)
    etree.SubElement(act, "activity-status").set("code", ini.status.code)
    for kind, value in (("1", ini.start_date), ("3", ini.end_date)):
        if value:
            d = etree.SubElement(act, "activity-date")
            d.set("type", kind)
            d.set("iso-date", value)
    for c in ini.countries:
        rc = etree.SubElement(act, "recipient-country")
        rc.set("code", codes.iso2(c.code))
        _narrative(rc, c.label)
    for r in ini.regions:
        rr = etree.SubElement(act, "recipient-region")
        rr.set("code", r.code)
        rr.set("vocabulary", "1")
    for s in ini.sectors:
        se = etree.SubElement(act, "sector")
        se.set("vocabulary", "1")
        se.set("code", s.code)
    for uri, values in (
        (AREA_URI, [(a, a.capitalize()) for a in ini.action_areas]),
        (GROUP_URI, [(g.code, g.label) for g in ini.target_groups]),
    ):
        for code, label in values:
            tag = etree.SubElement(act, "tag")
            tag.set("vocabulary", "99")
            tag.set("vocabulary-uri", uri)
            tag.set("code", code)
            _narrative(tag, label)
    if ini.gender_marker is not None:
        pm = etree.SubElement(act, "policy-marker")
        pm.set("vocabulary", "1")
        pm.set("code", codes.GENDER_MARKER)
        pm.set("significance", ini.gender_marker.code)
    if ini.budget is not None and ini.start_date and ini.end_date:
        b = etree.SubElement(act, "budget")
        b.set("type", "1")
        etree.SubElement(b, "period-start").set("iso-date", ini.start_date)
        etree.SubElement(b, "period-end").set("iso-date", ini.end_date)
        v = etree.SubElement(b, "value")
        v.set("currency", ini.currency or "USD")
        v.set("value-date", ini.start_date)
        v.text = _num(ini.budget)
    if ini.website:
        link = etree.SubElement(act, "document-link")
        link.set("format", "text/html")
        link.set("url", ini.website)
        _narrative(etree.SubElement(link, "title"), "Initiative web page")
        etree.SubElement(link, "category").set("code", "A12")
    _results(act, ini, reports)
    return act


def _results(act: etree._Element, ini: Initiative, reports: Sequence[ProgressReport]) -> None:
    cat = load_catalogue()
    actuals: dict[int, dict[int, float]] = {}
    for rep in sorted(reports, key=lambda r: (r.date, r.id)):
        for v in rep.values:
            actuals.setdefault(v.target_id, {})[v.year] = v.value  # the newest report wins
    for t in ini.targets:
        res = etree.SubElement(act, "result")
        res.set("type", "2")
        res.set("aggregation-status", "0")
        _narrative(etree.SubElement(res, "title"), f"{t.indicator_title}: {t.country.label}")
        ind = etree.SubElement(res, "indicator")
        unit = cat.get(t.indicator).unit if t.indicator in cat else ""
        ind.set("measure", "2" if unit.strip().startswith("%") else "1")
        _narrative(etree.SubElement(ind, "title"), t.indicator_title)
        ref = etree.SubElement(ind, "reference")
        ref.set("vocabulary", "99")
        ref.set("code", t.indicator)
        if t.baseline_year is not None and t.baseline_value is not None:
            base = etree.SubElement(ind, "baseline")
            base.set("year", str(t.baseline_year))
            base.set("value", _num(t.baseline_value))
            _dims(base, t.country.code, t.sex)
        for year, value in sorted(actuals.get(t.id, {}).items()):
            period = _period(ind, f"{year}-01-01", f"{year}-12-31")
            actual = etree.SubElement(period, "actual")
            actual.set("value", _num(value))
            _dims(actual, t.country.code, t.sex)
        period = _period(ind, f"{t.target_year}-01-01", f"{t.target_year}-12-31")
        target = etree.SubElement(period, "target")
        target.set("value", _num(t.target_value))
        _dims(target, t.country.code, t.sex)
    for d in ini.deliverables:
        res = etree.SubElement(act, "result")
        res.set("type", "1")
        _narrative(etree.SubElement(res, "title"), d.title)
        ind = etree.SubElement(res, "indicator")
        ind.set("measure", "5")
        _narrative(etree.SubElement(ind, "title"), d.title)
        if d.measure:
            _narrative(etree.SubElement(ind, "description"), d.measure)
        if d.due or d.done:
            due = d.due or ini.end_date or ini.start_date or ""
            period = _period(ind, min(ini.start_date or due, due), due)
            if d.done:
                comment = etree.SubElement(etree.SubElement(period, "actual"), "comment")
                _narrative(comment, DONE)


def export_xml(
    initiatives: Sequence[Initiative],
    orgs: dict[str, OrgInfo],
    reports: dict[int, list[ProgressReport]],
    *,
    generated: dt.datetime | None = None,
) -> IatiExport:
    root = etree.Element("iati-activities")
    root.set("version", VERSION)
    stamp = generated or dt.datetime.now(dt.UTC).replace(microsecond=0)
    root.set("generated-datetime", stamp.isoformat())
    result = IatiExport(b"")
    for ini in initiatives:
        if not ini.start_date:
            result.skipped.append(
                Msg("initiative %(id)s (%(title)s): no start date", id=ini.id, title=ini.title)
            )
            continue
        root.append(activity(ini, orgs, reports.get(ini.id, [])))
        result.exported.append(ini.id)
        if any(r.narrative for r in reports.get(ini.id, [])):
            result.notes.append(
                Msg("initiative %(id)s: progress narratives are not in IATI", id=ini.id)
            )
    result.xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def export_iati(store: Store, f: InitiativeFilter | None = None) -> IatiExport:
    """IATI 2.03 XML of the initiatives matching ``f`` (all by default)."""
    with store.connect() as conn:
        ids = initiative_ids(conn, f or InitiativeFilter(), 1_000_000, 0)
        inis = read_initiatives(conn, ids)
        o, p = organizations, tables.partners
        orgs = {
            str(r.id): OrgInfo(str(r.id), str(r.name), r.iati_org_id, r.iati_org_type, r.group)
            for r in conn.execute(
                select(
                    o.c.id,
                    o.c.name,
                    p.c.iati_org_id,
                    p.c.iati_org_type,
                    p.c.stakeholder_group.label("group"),
                ).outerjoin(p, p.c.organization_id == o.c.id)
            )
        }
        reports = {ini.id: _reports(conn, ini.id) for ini in inis}
    return export_xml(inis, orgs, reports)
