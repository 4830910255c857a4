"""``from_record``: a stored report record (``to_record``'s JSON) back to a :class:`ParsedReport`.

The store keeps each revision as its record; pages and exports (Markdown, DOCX) rebuild the
report from it. ``to_record(from_record(r)) == r`` for any record ``to_record`` produced.
"""

from __future__ import annotations

from typing import Any

from equals.core.vocabulary import StakeholderGroup
from equals.sessions.detect import Detection
from equals.sessions.entities import Organization
from equals.sessions.igf import IgfSession
from equals.sessions.messages import keys_at
from equals.sessions.model import ExtraField, ParsedReport, ParseWarning, Person
from equals.sessions.participation import Participation


def _org(name: str | None, org_id: str | None, full: dict[str, str]) -> Organization | None:
    if not name:
        return None
    return Organization(name=name, id=org_id, full_name=full.get(org_id or "", ""))


def from_record(record: dict[str, Any], messages: object = None) -> ParsedReport:
    """The report of ``record``; ``messages`` (stored beside it, see
    :func:`equals.sessions.validate.message_keys`) gives its warnings their message ids."""
    full = {o["id"]: o.get("full_name") or "" for o in record.get("organizations", []) if o["id"]}
    ids = {o["name"]: o["id"] for o in record.get("organizations", [])}
    roles: dict[str, list[Person]] = {
        "organizer": [],
        "moderator": [],
        "rapporteur": [],
        "speaker": [],
    }
    for p in sorted(record.get("people", []), key=lambda p: (p["role"], p["order"])):
        group = p.get("stakeholder_group")
        roles[p["role"]].append(
            Person(
                name=p.get("name") or "",
                organization=_org(p.get("organization"), p.get("organization_id"), full),
                stakeholder_group=StakeholderGroup(group) if group else None,
                title=p.get("title") or "",
                country=p.get("country") or "",
                region=p.get("region") or "",
                raw=p.get("raw") or "",
                role_label=p.get("role_label") or "",
            )
        )
    organizers = tuple(
        o for name in record.get("organizers", []) if (o := _org(name, ids.get(name), full))
    )
    extra = tuple(
        ExtraField(
            fid,
            e["label"],
            e["kind"],
            tuple(e["value"]) if isinstance(e["value"], list) else e["value"],
            e["text"],
        )
        for fid, e in record.get("extra", {}).items()
    )
    labels = tuple((k, v) for k, v in record.get("labels", {}).items())
    warnings = list(record.get("warnings", []))
    return ParsedReport(
        template=record["template"],
        title=record.get("title"),
        date=record.get("date"),
        start_time=record.get("start_time"),
        end_time=record.get("end_time"),
        organizers=organizers,
        moderators=tuple(roles["moderator"]),
        rapporteurs=tuple(roles["rapporteur"]),
        speakers=tuple(roles["speaker"]),
        key_issues=tuple(record.get("key_issues", [])),
        presentations=tuple(record.get("presentations", [])),
        discussions=tuple(record.get("discussions", [])),
        suggestions=tuple(record.get("suggestions", [])),
        extra=extra,
        date_text=record.get("date_text", ""),
        time_text=record.get("time_text", ""),
        organizers_text=record.get("organizers_text", ""),
        heading=record.get("heading", ""),
        present=tuple(k for k, _ in labels),
        labels=labels,
        unplaced=tuple(record.get("unplaced", [])),
        warnings=tuple(
            ParseWarning(w["code"], w["message"], w.get("field"), w.get("text", ""), *key)
            for w, key in zip(warnings, keys_at(messages, "warnings", len(warnings)), strict=True)
        ),
        source=record.get("source", ""),
        format=record.get("format", ""),
        layout=Detection.from_record(d) if (d := record.get("layout")) else None,
        igf=IgfSession.from_record(i) if (i := record.get("igf")) else None,
        participation=Participation.from_record(q) if (q := record.get("participation")) else None,
        organizer_people=tuple(roles["organizer"]),
    )
