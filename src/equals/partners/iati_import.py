"""IATI activity XML import (2.03, and the 1.x spellings of dates and titles), and the store-level
export. What the registry cannot hold is reported (element, line), never dropped silently.

The parser expands no entities, loads no DTD and fetches nothing from the network; a file with a
DOCTYPE is refused. A whole file is one transaction: any bad activity writes nothing. An
activity whose ``iati-identifier`` is already in the registry updates that initiative (its
targets kept by indicator, country and sex) instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from sqlalchemy import Connection, select

from equals.auth import Actor, User
from equals.core.errors import ValidationError
from equals.partners import codes
from equals.partners.common import parse
from equals.partners.iati import (
    AREA_URI,
    DONE,
    GROUP_URI,
    XML_LANG,
)
from equals.partners.initiative_read import read_initiatives
from equals.partners.initiatives import insert_initiative, replace_initiative
from equals.partners.model import InitiativeIn, ProgressIn
from equals.partners.organizations import ensure_org
from equals.partners.progress import _reports, insert_progress
from equals.store import Store
from equals.store.tables import partners as t
from equals.store.tables.sessions import organizations

START = {"1", "2", "start", "start-planned", "start-actual"}
END = {"3", "4", "end", "end-planned", "end-actual", "completion"}
# Elements the mapping reads (children of iati-activity); anything else is reported.
MAPPED = {
    "iati-identifier",
    "reporting-org",
    "title",
    "description",
    "participating-org",
    "activity-status",
    "activity-date",
    "recipient-country",
    "recipient-region",
    "sector",
    "tag",
    "policy-marker",
    "budget",
    "document-link",
    "result",
}


@dataclass
class ImportReport:
    activities: int = 0
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    progress_reports: int = 0
    organizations_created: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


@dataclass
class _Activity:
    line: int
    identifier: str
    body: dict[str, Any]
    lead: tuple[str | None, str]  # (ref, name)
    participants: list[tuple[str | None, str, str]]  # (ref, name, role)
    actuals: list[tuple[int, int, float, str]]  # (target index, year, value, period end)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def _text(el: etree._Element | None) -> str:
    """The English (or first) narrative of an element, or its own text (IATI 1.x)."""
    if el is None:
        return ""
    narratives = el.findall("narrative")
    for n in narratives:
        if n.get(XML_LANG) in (None, "en"):
            return " ".join((n.text or "").split())
    if narratives:
        return " ".join((narratives[0].text or "").split())
    return " ".join((el.text or "").split())


def _date(value: str | None, where: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError as exc:
        raise ValidationError(f"{value[:40]!r} is not an ISO date", location=where) from exc


def _float(value: str | None, where: str) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        x = float(value.strip().replace(",", ""))
    except ValueError as exc:
        raise ValidationError(f"{value[:40]!r} is not a number", location=where) from exc
    if x != x or x in (float("inf"), float("-inf")):
        raise ValidationError(f"{value[:40]!r} is not a finite number", location=where)
    return x


def parse_activities(data: bytes, name: str, report: ImportReport) -> list[_Activity]:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValidationError(
            f"not well-formed XML: {exc.msg}", location=f"{name}:{exc.lineno}"
        ) from exc
    doc = root.getroottree().docinfo
    if doc.doctype or doc.internalDTD is not None:
        raise ValidationError("a DOCTYPE is not allowed in an IATI file", location=f"{name}:1")
    if root.tag == "iati-activity":
        acts = [root]
    elif root.tag == "iati-activities":
        acts = root.findall("iati-activity")
    else:
        raise ValidationError(
            f"the root element is <{root.tag}>, not <iati-activities>",
            location=f"{name}:{root.sourceline}",
        )
    return [_activity(a, name, k, report) for k, a in enumerate(acts, 1)]


def _activity(a: etree._Element, name: str, k: int, report: ImportReport) -> _Activity:
    where = f"{name}:{a.sourceline} (activity {k})"

    def note(el: etree._Element, why: str) -> None:
        report.unmapped.append(f"{name}:{el.sourceline}: <{el.tag}> {why}")

    for el in a:
        if isinstance(el.tag, str) and el.tag not in MAPPED:
            note(el, "is not held by the registry")
    ident = (a.findtext("iati-identifier") or "").strip()
    title = _text(a.find("title"))
    for extra in a.findall("title")[1:] + a.findall("description")[1:]:
        note(extra, "in another language is not kept")
    rep = a.find("reporting-org")
    parts: list[tuple[str | None, str, str]] = []
    for p in a.findall("participating-org"):
        parts.append((p.get("ref") or None, _text(p) or (p.get("ref") or ""), p.get("role", "")))
    if rep is not None:
        lead = (rep.get("ref") or None, _text(rep) or (rep.get("ref") or ""))
        parts = [x for x in parts if not (x[2] == "2" and (x[0], x[1]) == lead)]
    elif parts:
        lead = (parts[0][0], parts[0][1])
    else:
        lead = (None, "")
    status = a.find("activity-status")
    if status is None:
        report.unmapped.append(
            f"{name}:{a.sourceline}: <iati-activity> has no activity-status: recorded as 2 "
            "(Implementation); check it"
        )
    body: dict[str, Any] = {
        "title": title or ident,
        "description": _text(a.find("description")),
        "iati_identifier": ident or None,
        "status": status.get("code", "") if status is not None else "2",
        "countries": [],
        "regions": [],
        "sectors": [],
        "action_areas": [],
        "target_groups": [],
        "targets": [],
        "deliverables": [],
    }
    for d in a.findall("activity-date"):
        kind = d.get("type", "")
        value = _date(d.get("iso-date"), f"{where} activity-date")
        if kind in START and (kind in ("2", "start-actual") or not body.get("start_date")):
            body["start_date"] = value
        elif kind in END and (kind in ("4", "end-actual") or not body.get("end_date")):
            body["end_date"] = value
    for c in a.findall("recipient-country"):
        iso3 = codes.iso3_of_iso2(c.get("code", ""))
        if iso3 is None:
            note(c, f"code {c.get('code')!r} is not an ISO 3166-1 alpha-2 country")
        else:
            body["countries"].append(iso3)
    for r in a.findall("recipient-region"):
        if r.get("vocabulary", "1") == "1":
            body["regions"].append(r.get("code", ""))
        else:
            note(r, f"vocabulary {r.get('vocabulary')} is not the OECD DAC region list")
    for s in a.findall("sector"):
        if s.get("vocabulary", "1") == "1":
            body["sectors"].append(s.get("code", ""))
        else:
            note(s, f"vocabulary {s.get('vocabulary')} is not DAC 5-digit")
    for tag in a.findall("tag"):
        uri = tag.get("vocabulary-uri")
        if uri == AREA_URI:
            body["action_areas"].append(tag.get("code", ""))
        elif uri == GROUP_URI:
            body["target_groups"].append(tag.get("code", ""))
        else:
            note(tag, "is not an EQUALS Hub action area or target group")
    for pm in a.findall("policy-marker"):
        if pm.get("vocabulary", "1") == "1" and pm.get("code") == codes.GENDER_MARKER:
            body["gender_marker"] = pm.get("significance")
        else:
            note(pm, f"policy marker {pm.get('code')!r} is not the gender-equality marker")
    _budget(a, body, where, note)
    for link in a.findall("document-link"):
        cat = link.find("category")
        if cat is not None and cat.get("code") == "A12" and not body.get("website"):
            body["website"] = link.get("url", "")
        else:
            note(link, "is not the activity web page (category A12)")
    actuals = _results(a, body, where, note)
    return _Activity(a.sourceline or 0, ident, body, lead, parts, actuals)


def _budget(a: etree._Element, body: dict[str, Any], where: str, note: Any) -> None:
    total: dict[str, float] = defaultdict(float)
    for b in a.findall("budget"):
        v = b.find("value")
        if v is None:
            note(b, "has no value")
            continue
        cur = v.get("currency") or a.get("default-currency") or ""
        amount = _float(v.text, f"{where} budget value")
        if amount is not None:
            total[cur] += amount
    if len(total) == 1:
        ((cur, amount),) = total.items()
        body["budget"], body["currency"] = amount, cur or None
    elif len(total) > 1:
        first = sorted(total)[0]
        body["budget"], body["currency"] = total[first], first
        for b in a.findall("budget")[1:]:
            note(b, f"budgets in several currencies: only the {first} total is kept")


def _dims(el: etree._Element) -> dict[str, str]:
    return {d.get("name", ""): d.get("value", "") for d in el.findall("dimension")}


def _results(
    a: etree._Element, body: dict[str, Any], where: str, note: Any
) -> list[tuple[int, int, float, str]]:
    actuals: list[tuple[int, int, float, str]] = []
    for res in a.findall("result"):
        ind = res.find("indicator")
        if ind is None:
            note(res, "has no indicator")
            continue
        if res.get("type") == "1" and ind.get("measure") == "5":
            done = any(_text(c) == DONE for c in ind.iterfind("period/actual/comment"))
            ends = [p.get("iso-date") for p in ind.iterfind("period/period-end")]
            body["deliverables"].append(
                {
                    "title": _text(res.find("title")) or _text(ind.find("title")),
                    "measure": _text(ind.find("description")),
                    "due": _date(ends[-1], f"{where} result period") if ends else None,
                    "done": done,
                }
            )
            continue
        ref = next((r for r in ind.findall("reference") if r.get("vocabulary") == "99"), None)
        if ref is None:
            note(res, "has no indicator reference (vocabulary 99) to the EQUALS catalogue")
            continue
        base = ind.find("baseline")
        targets = [(p, x) for p in ind.findall("period") for x in p.findall("target")]
        if not targets:
            note(res, "has no target value")
            continue
        period, tgt = targets[-1]
        dims = _dims(tgt)
        end = period.find("period-end")
        year = int((end.get("iso-date") if end is not None else "0")[:4] or 0)
        target: dict[str, Any] = {
            "indicator": ref.get("code", ""),
            "country": dims.get("country", ""),
            "sex": dims.get("sex", "total"),
            "target_value": _float(tgt.get("value"), f"{where} result target"),
            "target_year": year,
        }
        if base is not None:
            target["baseline_value"] = _float(base.get("value"), f"{where} result baseline")
            target["baseline_year"] = int(base.get("year", "0"))
        index = len(body["targets"])
        body["targets"].append(target)
        for p in ind.findall("period"):
            pend = p.find("period-end")
            for act in p.findall("actual"):
                value = _float(act.get("value"), f"{where} result actual")
                if value is not None and pend is not None:
                    iso = pend.get("iso-date", "")
                    actuals.append((index, int(iso[:4]), value, iso))
    return actuals


def _org_id(conn: Connection, ref: str | None, name: str, report: ImportReport, where: str) -> str:
    if ref:
        p = t.partners
        hit = conn.execute(
            select(p.c.organization_id).where(p.c.iati_org_id == ref)
        ).scalar_one_or_none()
        if hit is not None:
            return str(hit)
    if not name:
        raise ValidationError("an organisation without a name or a known ref", location=where)
    before = {str(x) for x in conn.execute(select(organizations.c.id)).scalars()}
    oid = ensure_org(conn, name)
    if oid not in before:
        report.organizations_created.append(oid)
    return oid


def import_iati(
    store: Store,
    data: bytes,
    *,
    actor: Actor,
    user: User | None = None,
    name: str = "<file>",
    lead: str | None = None,
) -> ImportReport:
    """Import every activity of an IATI file (one transaction); ``lead`` is the organisation id
    to use for activities that name no reporting or participating organisation."""
    report = ImportReport()
    acts = parse_activities(data, name, report)
    report.activities = len(acts)
    with store.transaction() as conn:
        for k, act in enumerate(acts, 1):
            where = f"{name}:{act.line} (activity {k})"
            if act.lead[0] is None and not act.lead[1]:
                if lead is None:
                    raise ValidationError(
                        "no reporting-org or participating-org to lead the initiative; give a "
                        "lead organisation (--lead)",
                        location=where,
                    )
                act.body["lead_organization_id"] = lead
            else:
                act.body["lead_organization_id"] = _org_id(conn, *act.lead, report, where)
            act.body["participants"] = [
                {"organization_id": _org_id(conn, ref, nm, report, where), "role": role}
                for ref, nm, role in act.participants
            ]
            try:
                _one(conn, act, parse(InitiativeIn, act.body, where), actor, user, report, where)
            except ValidationError as exc:
                if exc.location.startswith(name):
                    raise
                raise _located(exc, where) from exc
    return report


def _located(exc: ValidationError, where: str) -> ValidationError:
    """The service's error, with the file, line and activity in front of its field."""
    msg = exc.message
    if exc.location and msg.startswith(f"{exc.location}: "):
        msg = msg[len(exc.location) + 2 :]
    loc = f"{where}: {exc.location}" if exc.location else where
    return ValidationError(msg, location=loc, code=exc.code)


def _one(
    conn: Connection,
    act: _Activity,
    data: InitiativeIn,
    actor: Actor,
    user: User | None,
    report: ImportReport,
    where: str,
) -> None:
    i = t.initiatives
    existing = None
    if act.identifier:
        existing = conn.execute(
            select(i.c.id, i.c.version).where(i.c.iati_identifier == act.identifier)
        ).first()
    if existing is not None:
        current = read_initiatives(conn, [int(existing.id)])[0]
        keys = {(x.indicator, x.country.code, x.sex): x.id for x in current.targets}
        for tg in data.targets:
            tg.id = keys.get((tg.indicator, tg.country.upper(), tg.sex))
        ini = replace_initiative(
            conn, int(existing.id), data, based_on=int(existing.version), actor=actor, user=user
        )
        report.updated.append(ini.id)
    else:
        ini = insert_initiative(conn, data, actor=actor, user=user)
        report.created.append(ini.id)
    have = {(v.target_id, v.year, v.value) for r in _reports(conn, ini.id) for v in r.values}
    by_end: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for index, year, value, end in act.actuals:
        tid = ini.targets[index].id
        if (tid, year, value) not in have:
            by_end[end].append({"target_id": tid, "value": value, "year": year})
    for end, values in sorted(by_end.items()):
        body = {
            "date": end,
            "narrative": f"Actual values from IATI activity {act.identifier or where}.",
            "values": values,
        }
        insert_progress(conn, ini.id, parse(ProgressIn, body, where), actor=actor, user=user)
        report.progress_reports += 1
