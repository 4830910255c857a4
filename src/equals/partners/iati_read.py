"""Reading IATI activity XML (2.03, and the 1.x spellings of dates and titles) into the
registry's input shapes, without a database: what an activity says, which organisations it
names (resolved to ids by :mod:`equals.partners.iati_import`), and what the registry cannot hold
(element, line) in the :class:`ImportReport`.

The parser expands no entities, loads no DTD and fetches nothing from the network; a file with a
DOCTYPE is refused.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.partners import codes
from equals.partners.iati import (
    AREA_URI,
    DONE,
    GROUP_URI,
    XML_LANG,
)

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
class ParsedActivity:
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
        raise ValidationError(
            Msg("%(value)s is not an ISO date", value=repr(value[:40])), location=where
        ) from exc


def _float(value: str | None, where: str) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        x = float(value.strip().replace(",", ""))
    except ValueError as exc:
        raise ValidationError(
            Msg("%(value)s is not a number", value=repr(value[:40])), location=where
        ) from exc
    if x != x or x in (float("inf"), float("-inf")):
        raise ValidationError(
            Msg("%(value)s is not a finite number", value=repr(value[:40])), location=where
        )
    return x


def parse_activities(data: bytes, name: str, report: ImportReport) -> list[ParsedActivity]:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValidationError(
            Msg("not well-formed XML: %(error)s", error=exc.msg), location=f"{name}:{exc.lineno}"
        ) from exc
    doc = root.getroottree().docinfo
    if doc.doctype or doc.internalDTD is not None:
        raise ValidationError(Msg("a DOCTYPE is not allowed in an IATI file"), location=f"{name}:1")
    if root.tag == "iati-activity":
        acts = [root]
    elif root.tag == "iati-activities":
        acts = root.findall("iati-activity")
    else:
        raise ValidationError(
            Msg("the root element is <%(tag)s>, not <iati-activities>", tag=root.tag),
            location=f"{name}:{root.sourceline}",
        )
    return [_activity(a, name, k, report) for k, a in enumerate(acts, 1)]


def _activity(a: etree._Element, name: str, k: int, report: ImportReport) -> ParsedActivity:
    where = f"{name}:{a.sourceline} (activity {k})"

    def note(el: etree._Element, why: Msg) -> None:
        where = f"{name}:{el.sourceline}"
        report.unmapped.append(
            Msg("%(where)s: <%(tag)s> %(why)s", where=where, tag=el.tag, why=why)
        )

    for el in a:
        if isinstance(el.tag, str) and el.tag not in MAPPED:
            note(el, Msg("is not held by the registry"))
    ident = (a.findtext("iati-identifier") or "").strip()
    title = _text(a.find("title"))
    for extra in a.findall("title")[1:] + a.findall("description")[1:]:
        note(extra, Msg("in another language is not kept"))
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
        line = f"{name}:{a.sourceline}"
        report.unmapped.append(
            Msg(
                "%(where)s: <iati-activity> has no activity-status: recorded as 2 "
                "(Implementation); check it",
                where=line,
            )
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
            note(
                c,
                Msg(
                    "code %(code)s is not an ISO 3166-1 alpha-2 country",
                    code=repr(c.get("code")),
                ),
            )
        else:
            body["countries"].append(iso3)
    for r in a.findall("recipient-region"):
        if r.get("vocabulary", "1") == "1":
            body["regions"].append(r.get("code", ""))
        else:
            note(
                r,
                Msg(
                    "vocabulary %(vocabulary)s is not the OECD DAC region list",
                    vocabulary=str(r.get("vocabulary")),
                ),
            )
    for s in a.findall("sector"):
        if s.get("vocabulary", "1") == "1":
            body["sectors"].append(s.get("code", ""))
        else:
            note(
                s,
                Msg(
                    "vocabulary %(vocabulary)s is not DAC 5-digit",
                    vocabulary=str(s.get("vocabulary")),
                ),
            )
    for tag in a.findall("tag"):
        uri = tag.get("vocabulary-uri")
        if uri == AREA_URI:
            body["action_areas"].append(tag.get("code", ""))
        elif uri == GROUP_URI:
            body["target_groups"].append(tag.get("code", ""))
        else:
            note(tag, Msg("is not an EQUALS Hub action area or target group"))
    for pm in a.findall("policy-marker"):
        if pm.get("vocabulary", "1") == "1" and pm.get("code") == codes.GENDER_MARKER:
            body["gender_marker"] = pm.get("significance")
        else:
            note(
                pm,
                Msg(
                    "policy marker %(code)s is not the gender-equality marker",
                    code=repr(pm.get("code")),
                ),
            )
    _budget(a, body, where, note)
    for link in a.findall("document-link"):
        cat = link.find("category")
        if cat is not None and cat.get("code") == "A12" and not body.get("website"):
            body["website"] = link.get("url", "")
        else:
            note(link, Msg("is not the activity web page (category A12)"))
    actuals = _results(a, body, where, note)
    return ParsedActivity(a.sourceline or 0, ident, body, lead, parts, actuals)


def _budget(a: etree._Element, body: dict[str, Any], where: str, note: Any) -> None:
    total: dict[str, float] = defaultdict(float)
    for b in a.findall("budget"):
        v = b.find("value")
        if v is None:
            note(b, Msg("has no value"))
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
            note(
                b,
                Msg(
                    "budgets in several currencies: only the %(currency)s total is kept",
                    currency=first,
                ),
            )


def _dims(el: etree._Element) -> dict[str, str]:
    return {d.get("name", ""): d.get("value", "") for d in el.findall("dimension")}


def _results(
    a: etree._Element, body: dict[str, Any], where: str, note: Any
) -> list[tuple[int, int, float, str]]:
    actuals: list[tuple[int, int, float, str]] = []
    for res in a.findall("result"):
        ind = res.find("indicator")
        if ind is None:
            note(res, Msg("has no indicator"))
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
            note(res, Msg("has no indicator reference (vocabulary 99) to the EQUALS catalogue"))
            continue
        base = ind.find("baseline")
        targets = [(p, x) for p in ind.findall("period") for x in p.findall("target")]
        if not targets:
            note(res, Msg("has no target value"))
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
