"""File a parsed report in the store: the session (created or updated), a new revision, its
people, organisations, roles, stated counts, action areas and search document — all in ONE
transaction, with an audit entry. A failure anywhere writes nothing.

A session is identified within its event by its title (folded) and date, so filing a corrected
report again adds a revision to the same session; filing identical content again is a no-op.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DBAPIError

from equals.archive.access import check_may_revise
from equals.archive.derived import org_id, replace_derived, search_document
from equals.archive.errors import ArchiveBusyError, ReportNotFiledError, UnknownSessionError
from equals.archive.rules import check_text, check_texts, check_year
from equals.archive.sql import insert_ignore, is_transient
from equals.auth.audit import record_audit
from equals.auth.model import Actor, User, now
from equals.core.errors import EditConflictError
from equals.core.i18n import Msg
from equals.sessions.model import ParsedReport, to_record
from equals.sessions.text import compact_key
from equals.sessions.validate import ValidationReport, message_keys, validate_report
from equals.store import Store
from equals.store.tables.sessions import (
    events,
    report_revisions,
    sessions,
)

__all__ = [
    "ArchiveBusyError",
    "EventRef",
    "FiledReport",
    "ReportNotFiledError",
    "UnknownSessionError",
    "file_report",
    "org_id",
    "search_document",
]


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
    version: int = 1  # the session's version after this filing (its ETag)


def session_key(title: str, date: str | None) -> str:
    return f"{compact_key(title)[:200]}|{date or ''}"


def content_hash(report: ParsedReport, source: bytes | None) -> str:
    if source is not None:
        return hashlib.sha256(source).hexdigest()
    data = json.dumps(to_record(report), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


ATTEMPTS = 6


def _check_input(report: ParsedReport, event: EventRef | None) -> None:
    check_texts(to_record(report), "report")
    if event is not None:
        check_text(event.name, "event")
        check_year(event.year, "year")


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
    user: User | None = None,
    expected_version: int | None = None,
    dry_run: bool = False,
) -> FiledReport:
    """File ``report`` under ``event`` (new or matching session), or as a new revision of
    ``session_id``. ``strict`` refuses a report with validation errors.

    ``user`` is checked against the session's owner and editors when the filing revises an
    existing session (None: the command-line operator, who may revise any). With
    ``expected_version`` the revision is refused (:class:`EditConflictError`, nothing written)
    unless the session is still at that version — checked under the session's row lock.
    ``dry_run`` does all of it and rolls back: the result says what filing would do.
    """
    validation = validation or validate_report(report)
    if strict and not validation.valid:
        codes = ", ".join(sorted({f.code for f in validation.errors}))
        raise ReportNotFiledError(Msg("the report has validation errors: %(codes)s", codes=codes))
    if session_id is None and event is None:
        raise ReportNotFiledError(
            Msg("an event (or an existing session) is needed to file a report")
        )
    if session_id is None and not (report.title or "").strip():
        raise ReportNotFiledError(Msg("the report has no session title, so it cannot be filed"))
    _check_input(report, event)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with store.transaction() as conn:
                if conn.dialect.name == "sqlite":
                    # Take the write lock first: a read-then-write transaction would fail
                    # at once (a busy snapshot) when another writer commits in between.
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                filed = _file(
                    conn, report, actor, event, session_id, source, validation, user,
                    expected_version,
                )  # fmt: skip
                if dry_run:
                    conn.rollback()
                return filed
        except DBAPIError as exc:
            # A concurrent writer won a race (SQLite: a busy snapshot; PostgreSQL: a
            # serialisation failure or a unique key): try again from the start.
            if not is_transient(exc):
                raise
            if attempt == ATTEMPTS:
                raise ArchiveBusyError(
                    Msg(
                        "the archive is busy with other writers and this report could not be "
                        "filed; nothing was written, try again"
                    )
                ) from exc
            time.sleep(0.02 * attempt * random.random())
    raise AssertionError("unreachable")


def _session_ref(sid: int) -> Msg:
    return Msg("session %(session)s", session=sid)


def _event_id(conn: Connection, event: EventRef) -> int:
    e = events
    values = {
        "name": event.name,
        "kind": event.kind,
        "year": event.year,
        "place": event.place,
        "dates": event.dates,
    }
    insert_ignore(conn, e, values, ["name", "year"])
    found = conn.execute(
        select(e.c.id).where(e.c.name == event.name, e.c.year == event.year)
    ).scalar_one()
    return int(found)


def _extra_text(report: ParsedReport, field_id: str) -> str | None:
    e = report.extra_field(field_id)
    return (e.text or None) if e is not None else None


def _locked(conn: Connection, sid: int) -> Any:
    s = sessions
    return conn.execute(
        select(s.c.id, s.c.version, s.c.owner_id, s.c.current_revision_id)
        .where(s.c.id == sid)
        .with_for_update()
    ).first()


def _session(
    conn: Connection,
    report: ParsedReport,
    actor: Actor,
    event: EventRef | None,
    session_id: int | None,
    stamp: str,
) -> tuple[int, bool]:
    """The session to file into (created if new) and whether it was created."""
    if session_id is not None:
        return session_id, False
    assert event is not None
    s = sessions
    eid = _event_id(conn, event)
    key = session_key(report.title or "", report.date)
    values = {
        "event_id": eid,
        "key": key,
        "template_id": report.template,
        "title": report.title or "",
        "created_at": stamp,
        "updated_at": stamp,
        "version": 0,
        "owner_id": actor.user_id,
    }
    created = insert_ignore(conn, s, values, ["event_id", "key"])
    sid = conn.execute(select(s.c.id).where(s.c.event_id == eid, s.c.key == key)).scalar_one()
    return int(sid), created


def _file(
    conn: Connection,
    report: ParsedReport,
    actor: Actor,
    event: EventRef | None,
    session_id: int | None,
    source: bytes | None,
    validation: ValidationReport,
    user: User | None,
    expected_version: int | None,
) -> FiledReport:
    s, r = sessions, report_revisions
    sha = content_hash(report, source)
    stamp = now()
    sid, created = _session(conn, report, actor, event, session_id, stamp)
    row = _locked(conn, sid)
    if row is None:
        raise UnknownSessionError(sid)
    if not created:
        check_may_revise(conn, user, sid)
        current = conn.execute(
            select(r.c.id, r.c.number, r.c.source_sha256).where(r.c.id == row.current_revision_id)
        ).first()
        if current is not None and current.source_sha256 == sha:
            return FiledReport(
                sid, current.id, current.number, False, True, validation, int(row.version)
            )
        if expected_version is not None and expected_version != row.version:
            raise EditConflictError(
                _session_ref(sid), based_on=expected_version, current=int(row.version)
            )
    version = int(row.version) + 1
    bumped = conn.execute(
        s.update().where(s.c.id == sid, s.c.version == row.version).values(version=version)
    ).rowcount
    if bumped != 1:  # cannot happen under the row lock; never write on a lost race
        raise EditConflictError(_session_ref(sid), based_on=int(row.version), current=-1)
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
                messages=json.dumps(message_keys(report, validation), ensure_ascii=False),
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
    replace_derived(conn, sid, report)
    record_audit(
        conn,
        actor,
        "session.create" if created else "session.revise",
        "session",
        sid,
        {
            "revision": number,
            "version": version,
            "based_on": expected_version,
            "source": report.source,
            "sha256": sha,
            "valid": validation.valid,
        },
    )
    return FiledReport(sid, rid, number, created, False, validation, version)
