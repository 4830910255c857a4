"""File a parsed report in the store: the session (created or updated), a new revision, its
people, organisations, roles, stated counts, action areas and search document — all in ONE
transaction, with an audit entry. A failure anywhere writes nothing.

A session is identified within its event by its title (folded) and date, so filing a corrected
report again adds a revision to the same session; filing identical content again is a no-op.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

from equals.auth.audit import record_audit
from equals.auth.model import Actor, now
from equals.core.errors import EqualsError, NotFoundError
from equals.sessions.analysis import action_areas, gender_balance
from equals.sessions.entities import Organization
from equals.sessions.model import ParsedReport, Person, to_record
from equals.sessions.text import compact_key
from equals.sessions.validate import ValidationReport, validate_report
from equals.store import Store
from equals.store.tables.sessions import (
    events,
    organizations,
    people,
    report_revisions,
    session_areas,
    session_roles,
    session_search,
    session_stats,
    sessions,
)


class ReportNotFiledError(EqualsError):
    code = "report-not-filed"


class UnknownSessionError(NotFoundError):
    code = "unknown-session"

    def __init__(self, value: int | str) -> None:
        super().__init__("session", str(value))


@dataclass(frozen=True, slots=True)
class EventRef:
    name: str
    year: int
    kind: str = "igf"
    place: str = ""
    dates: str = ""


@dataclass(frozen=True, slots=True)
class FiledReport:
    session_id: int
    revision_id: int
    revision: int  # 1, 2, … within the session
    created: bool  # a new session
    unchanged: bool  # identical to the current revision: nothing written
    validation: ValidationReport


def session_key(title: str, date: str | None) -> str:
    return f"{compact_key(title)[:200]}|{date or ''}"


def org_id(org: Organization) -> str | None:
    if org.id:
        return org.id
    key = compact_key(org.name)
    return f"x:{key[:120]}" if key else None


def person_key(name: str) -> str:
    return " ".join(name.casefold().split())[:255]


def content_hash(report: ParsedReport, source: bytes | None) -> str:
    if source is not None:
        return hashlib.sha256(source).hexdigest()
    data = json.dumps(to_record(report), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def file_report(
    store: Store,
    report: ParsedReport,
    *,
    actor: Actor,
    event: EventRef | None = None,
    session_id: int | None = None,
    source: bytes | None = None,
    validation: ValidationReport | None = None,
    strict: bool = False,
) -> FiledReport:
    """File ``report`` under ``event`` (new or matching session), or as a new revision of
    ``session_id``. ``strict`` refuses a report with validation errors."""
    validation = validation or validate_report(report)
    if strict and not validation.valid:
        codes = ", ".join(sorted({f.code for f in validation.errors}))
        raise ReportNotFiledError(f"the report has validation errors: {codes}")
    if session_id is None and event is None:
        raise ReportNotFiledError("an event (or an existing session) is needed to file a report")
    if session_id is None and not (report.title or "").strip():
        raise ReportNotFiledError("the report has no session title, so it cannot be filed")
    for attempt in (1, 2):
        try:
            with store.transaction() as conn:
                return _file(conn, report, actor, event, session_id, source, validation)
        except IntegrityError:  # a concurrent writer added the same person/organisation
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _event_id(conn: Connection, event: EventRef) -> int:
    e = events
    found = conn.execute(
        select(e.c.id).where(e.c.name == event.name, e.c.year == event.year)
    ).scalar_one_or_none()
    if found is not None:
        return int(found)
    return int(
        conn.execute(
            e.insert().values(
                name=event.name,
                kind=event.kind,
                year=event.year,
                place=event.place,
                dates=event.dates,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )


def _extra_text(report: ParsedReport, field_id: str) -> str | None:
    e = report.extra_field(field_id)
    return (e.text or None) if e is not None else None


def _file(
    conn: Connection,
    report: ParsedReport,
    actor: Actor,
    event: EventRef | None,
    session_id: int | None,
    source: bytes | None,
    validation: ValidationReport,
) -> FiledReport:
    s, r = sessions, report_revisions
    sha = content_hash(report, source)
    stamp = now()
    created = False
    if session_id is not None:
        row = conn.execute(select(s.c.id).where(s.c.id == session_id)).first()
        if row is None:
            raise UnknownSessionError(session_id)
        sid = session_id
    else:
        assert event is not None
        eid = _event_id(conn, event)
        key = session_key(report.title or "", report.date)
        found = conn.execute(
            select(s.c.id).where(s.c.event_id == eid, s.c.key == key)
        ).scalar_one_or_none()
        if found is None:
            sid = int(
                conn.execute(
                    s.insert().values(
                        event_id=eid,
                        key=key,
                        template_id=report.template,
                        title=report.title or "",
                        created_at=stamp,
                        updated_at=stamp,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
            )
            created = True
        else:
            sid = int(found)
    if not created:
        current = conn.execute(
            select(r.c.id, r.c.number, r.c.source_sha256)
            .join(s, s.c.current_revision_id == r.c.id)
            .where(s.c.id == sid)
        ).first()
        if current is not None and current.source_sha256 == sha:
            return FiledReport(sid, current.id, current.number, False, True, validation)
    number = (
        conn.execute(select(func.max(r.c.number)).where(r.c.session_id == sid)).scalar() or 0
    ) + 1
    rid = int(
        conn.execute(
            r.insert().values(
                session_id=sid,
                number=number,
                record=json.dumps(to_record(report), ensure_ascii=False),
                template_id=report.template,
                source_format=report.format,
                source_name=report.source,
                source_sha256=sha,
                valid=validation.valid,
                validation=json.dumps(validation.to_record(), ensure_ascii=False),
                author_id=actor.user_id,
                actor=actor.name,
                created_at=stamp,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )
    conn.execute(
        s.update()
        .where(s.c.id == sid)
        .values(
            template_id=report.template,
            title=report.title or "",
            date=report.date,
            start_time=report.start_time,
            end_time=report.end_time,
            theme=_extra_text(report, "theme"),
            subtheme=_extra_text(report, "subtheme"),
            current_revision_id=rid,
            updated_at=stamp,
        )
    )
    _replace_derived(conn, sid, report)
    record_audit(
        conn,
        actor,
        "session.create" if created else "session.revise",
        "session",
        sid,
        {"revision": number, "source": report.source, "sha256": sha, "valid": validation.valid},
    )
    return FiledReport(sid, rid, number, created, False, validation)


def _ensure_org(conn: Connection, org: Organization | None) -> str | None:
    if org is None:
        return None
    oid = org_id(org)
    if oid is None:
        return None
    o = organizations
    if conn.execute(select(o.c.id).where(o.c.id == oid)).first() is None:
        conn.execute(
            o.insert().values(
                id=oid, name=org.name, full_name=org.full_name, known=org.id is not None
            )
        )
    return oid


def _ensure_person(conn: Connection, name: str) -> int | None:
    key = person_key(name)
    if not key:
        return None
    p = people
    found = conn.execute(select(p.c.id).where(p.c.key == key)).scalar_one_or_none()
    if found is not None:
        return int(found)
    return int(
        conn.execute(p.insert().values(name=name.strip(), key=key)).inserted_primary_key[0]  # type: ignore[index]
    )


def _role_row(conn: Connection, sid: int, role: str, i: int, p: Person) -> dict[str, Any]:
    return {
        "session_id": sid,
        "role": role,
        "position": i,
        "person_id": _ensure_person(conn, p.name),
        "organization_id": _ensure_org(conn, p.organization),
        "stakeholder_group": p.stakeholder_group.value if p.stakeholder_group else None,
        "title": p.title or None,
        "country": p.country or None,
        "region": p.region or None,
        "raw": p.raw,
    }


def search_document(report: ParsedReport) -> dict[str, str]:
    everyone = (*report.moderators, *report.rapporteurs, *report.speakers)
    names = [p.name for p in everyone if p.name]
    orgs = [o.name for o in report.organizations]
    body = [
        *report.key_issues,
        *report.presentations,
        *report.discussions,
        *report.suggestions,
        *(e.text for e in report.extra if e.text),
    ]
    return {
        "title": report.title or "",
        "people": " · ".join([*names, *orgs]),
        "body": "\n\n".join(body),
    }


def _replace_derived(conn: Connection, sid: int, report: ParsedReport) -> None:
    for table in (session_roles, session_stats, session_areas, session_search):
        conn.execute(table.delete().where(table.c.session_id == sid))
    rows: list[dict[str, Any]] = []
    for i, org in enumerate(report.organizers):
        rows.append(
            {
                "session_id": sid,
                "role": "organizer",
                "position": i,
                "person_id": None,
                "organization_id": _ensure_org(conn, org),
                "stakeholder_group": None,
                "title": None,
                "country": None,
                "region": None,
                "raw": org.raw or org.name,
            }
        )
    for role, group in (
        ("moderator", report.moderators),
        ("rapporteur", report.rapporteurs),
        ("speaker", report.speakers),
    ):
        rows += [_role_row(conn, sid, role, i, p) for i, p in enumerate(group)]
    if rows:
        conn.execute(session_roles.insert(), rows)
    stated = gender_balance(report)
    if stated.participants is not None or stated.women is not None:
        conn.execute(
            session_stats.insert().values(
                session_id=sid, participants=stated.participants, women=stated.women
            )
        )
    tags = action_areas(report)
    if tags:
        conn.execute(
            session_areas.insert(),
            [
                {
                    "session_id": sid,
                    "area": t.area.value,
                    "sentences": len(t.evidence),
                    "evidence": json.dumps(t.to_record()["evidence"], ensure_ascii=False),
                }
                for t in tags
            ],
        )
    conn.execute(session_search.insert().values(session_id=sid, **search_document(report)))
