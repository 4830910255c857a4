"""Reading filed sessions: list with filters (event, year, action area, stakeholder group,
organisation), one session in full (roles, areas with evidence, stated counts, revisions),
a stored revision back as a :class:`ParsedReport`, events, and diversity across an event.

Writing is :mod:`equals.archive.filing`; search is
:mod:`equals.archive.search`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, exists, func, select

from equals.archive.errors import UnknownSessionError
from equals.archive.rules import check_text, check_year
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.sessions.analysis import Diversity, diversity
from equals.sessions.model import ParsedReport
from equals.sessions.record_io import from_record
from equals.sessions.validate import Finding, stored_findings
from equals.store import Store
from equals.store.tables.sessions import (
    events,
    organizations,
    people,
    report_revisions,
    session_areas,
    session_roles,
    session_stats,
    sessions,
)

EXAMPLE_ACTOR_NAME = "example-content"  # the actor of example content's first revision


@dataclass(frozen=True, slots=True)
class SessionFilter:
    event: str | None = None  # event name, case-insensitive
    year: int | None = None  # the event's year
    area: Pillar | None = None
    stakeholder: StakeholderGroup | None = None  # a speaker/moderator of this group
    organization: str | None = None  # organisation id (an organiser or an affiliation)

    def __post_init__(self) -> None:
        check_text(self.event, "event")
        check_text(self.organization, "organization")
        check_year(self.year, "year")

    def apply(self, q: Select[Any]) -> Select[Any]:
        s, e, r = sessions, events, session_roles
        if self.event is not None:
            q = q.where(func.lower(e.c.name) == self.event.lower())
        if self.year is not None:
            q = q.where(e.c.year == self.year)
        if self.area is not None:
            a = session_areas
            q = q.where(exists().where(a.c.session_id == s.c.id, a.c.area == self.area.value))
        if self.stakeholder is not None:
            q = q.where(
                exists().where(
                    r.c.session_id == s.c.id, r.c.stakeholder_group == self.stakeholder.value
                )
            )
        if self.organization is not None:
            q = q.where(
                exists().where(r.c.session_id == s.c.id, r.c.organization_id == self.organization)
            )
        return q


@dataclass(frozen=True, slots=True)
class SessionSummary:
    id: int
    title: str
    event: str
    year: int
    date: str | None
    start_time: str | None
    end_time: str | None
    template_id: str
    theme: str | None
    updated_at: str
    areas: tuple[str, ...] = ()
    speakers: int = 0
    revisions: int = 0
    valid: bool = False
    version: int = 1  # raised by every revision: the ETag of the session
    example: bool = False  # labelled example content (filed by ``equals init``)

    def to_record(self) -> dict[str, Any]:
        rec = asdict(self)
        rec["areas"] = list(self.areas)
        return rec


@dataclass(frozen=True, slots=True)
class RoleEntry:
    role: str
    position: int
    name: str | None
    organization: str | None
    organization_id: str | None
    stakeholder_group: str | None
    title: str | None
    country: str | None
    raw: str
    person_id: int | None = None  # the identity (see equals.archive.people)
    region: str | None = None


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    id: int
    number: int
    actor: str
    author_id: int | None
    created_at: str
    valid: bool
    source_name: str
    source_format: str
    source_sha256: str


@dataclass(frozen=True, slots=True)
class SessionDetail:
    summary: SessionSummary
    roles: tuple[RoleEntry, ...]
    areas: tuple[dict[str, Any], ...]  # {area, sentences, evidence: [{field, sentence, terms}]}
    participants: int | None
    women: int | None
    revisions: tuple[RevisionInfo, ...]
    report: ParsedReport
    validation: dict[str, Any] = field(default_factory=dict)
    stated: dict[str, Any] = field(default_factory=dict)  # women speakers/moderators, reflection
    #: The message ids of the current revision's warnings and findings (NULL before 0011).
    messages: Any = None

    def findings(self) -> tuple[Finding, ...]:
        """The current revision's findings, each rendering in the reader's language
        (:meth:`Finding.text`; English when stored without a message id)."""
        return stored_findings(self.validation, self.messages)

    def people(self, role: str) -> tuple[RoleEntry, ...]:
        return tuple(r for r in self.roles if r.role == role)

    def to_record(self) -> dict[str, Any]:
        return {
            **self.summary.to_record(),
            "roles": [asdict(r) for r in self.roles],
            "action_areas": list(self.areas),
            "stated": {"participants": self.participants, "women": self.women, **self.stated},
            "diversity": diversity([self.report]).to_record(),
            "revisions": [asdict(r) for r in self.revisions],
            "validation": self.validation,
        }


def base_query() -> Select[Any]:
    s, e, r = sessions, events, report_revisions
    return (
        select(
            s.c.id,
            s.c.title,
            e.c.name.label("event"),
            e.c.year,
            s.c.date,
            s.c.start_time,
            s.c.end_time,
            s.c.template_id,
            s.c.theme,
            s.c.updated_at,
            s.c.version,
            r.c.valid,
        )
        .join(e, e.c.id == s.c.event_id)
        .outerjoin(r, r.c.id == s.c.current_revision_id)
    )


def _summaries(conn: Connection, rows: Sequence[Any]) -> list[SessionSummary]:
    ids = [row.id for row in rows]
    if not ids:
        return []
    a, ro, rv = session_areas, session_roles, report_revisions
    areas: dict[int, list[str]] = {}
    for sid, area in conn.execute(
        select(a.c.session_id, a.c.area).where(a.c.session_id.in_(ids))
    ).all():
        areas.setdefault(sid, []).append(area)
    order = {p.value: i for i, p in enumerate(Pillar)}
    speakers: dict[int, int] = dict(
        conn.execute(
            select(ro.c.session_id, func.count())
            .where(ro.c.session_id.in_(ids), ro.c.role == "speaker")
            .group_by(ro.c.session_id)
        ).all()
    )
    revisions: dict[int, int] = dict(
        conn.execute(
            select(rv.c.session_id, func.count())
            .where(rv.c.session_id.in_(ids))
            .group_by(rv.c.session_id)
        ).all()
    )
    examples = set(
        conn.execute(
            select(rv.c.session_id).where(
                rv.c.session_id.in_(ids), rv.c.number == 1, rv.c.actor == EXAMPLE_ACTOR_NAME
            )
        ).scalars()
    )
    return [
        SessionSummary(
            id=row.id,
            title=row.title,
            event=row.event,
            year=row.year,
            date=row.date,
            start_time=row.start_time,
            end_time=row.end_time,
            template_id=row.template_id,
            theme=row.theme,
            updated_at=row.updated_at,
            areas=tuple(sorted(areas.get(row.id, []), key=order.__getitem__)),
            speakers=int(speakers.get(row.id, 0)),
            revisions=int(revisions.get(row.id, 0)),
            valid=bool(row.valid),
            version=int(row.version),
            example=row.id in examples,
        )
        for row in rows
    ]


def list_sessions(
    store: Store, filters: SessionFilter | None = None, *, limit: int = 200, offset: int = 0
) -> list[SessionSummary]:
    """Sessions matching ``filters``, newest event first, then by date and time."""
    s, e = sessions, events
    q = (filters or SessionFilter()).apply(base_query())
    q = q.order_by(e.c.year.desc(), e.c.name, s.c.date, s.c.start_time, s.c.id)
    with store.connect() as conn:
        return _summaries(conn, conn.execute(q.limit(limit).offset(offset)).all())


def summaries_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, SessionSummary]:
    rows = conn.execute(base_query().where(sessions.c.id.in_(list(ids)))).all()
    return {s.id: s for s in _summaries(conn, rows)}


def session_report(store: Store, session_id: int, revision: int | None = None) -> ParsedReport:
    """The report of the current revision (or of revision ``number``)."""
    r, s = report_revisions, sessions
    q = select(r.c.record, r.c.messages).where(r.c.session_id == session_id)
    if revision is None:
        q = q.join(s, s.c.current_revision_id == r.c.id)
    else:
        q = q.where(r.c.number == revision)
    with store.connect() as conn:
        row = conn.execute(q).one_or_none()
    if row is None:
        raise UnknownSessionError(session_id if revision is None else f"{session_id}@{revision}")
    return from_record(json.loads(row.record), _messages(row.messages))


def _messages(stored: str | None) -> Any:
    """The stored message ids of a revision (None before migration 0011)."""
    return json.loads(stored) if stored else None


def get_session(store: Store, session_id: int) -> SessionDetail:
    ro, p, o, r = session_roles, people, organizations, report_revisions
    with store.connect() as conn:
        found = summaries_by_id(conn, [session_id])
        if session_id not in found:
            raise UnknownSessionError(session_id)
        roles = tuple(
            RoleEntry(
                x.role,
                x.position,
                x.name,
                x.org_name,
                x.organization_id,
                x.stakeholder_group,
                x.title,
                x.country,
                x.raw,
                x.person_id,
                x.region,
            )
            for x in conn.execute(
                select(
                    ro.c.role,
                    ro.c.position,
                    p.c.name,
                    o.c.name.label("org_name"),
                    ro.c.organization_id,
                    ro.c.stakeholder_group,
                    ro.c.title,
                    ro.c.country,
                    ro.c.raw,
                    ro.c.person_id,
                    ro.c.region,
                )
                .outerjoin(p, p.c.id == ro.c.person_id)
                .outerjoin(o, o.c.id == ro.c.organization_id)
                .where(ro.c.session_id == session_id)
                .order_by(ro.c.id)
            ).all()
        )
        order = {a.value: i for i, a in enumerate(Pillar)}
        areas = sorted(
            (
                {"area": x.area, "sentences": x.sentences, "evidence": json.loads(x.evidence)}
                for x in conn.execute(
                    select(session_areas).where(session_areas.c.session_id == session_id)
                ).all()
            ),
            key=lambda d: order[d["area"]],
        )
        stats = conn.execute(
            select(session_stats).where(session_stats.c.session_id == session_id)
        ).first()
        revisions = tuple(
            RevisionInfo(
                x.id,
                x.number,
                x.actor,
                x.author_id,
                x.created_at,
                bool(x.valid),
                x.source_name,
                x.source_format,
                x.source_sha256,
            )
            for x in conn.execute(
                select(r).where(r.c.session_id == session_id).order_by(r.c.number)
            ).all()
        )
        current = conn.execute(
            select(r.c.record, r.c.validation, r.c.messages)
            .join(sessions, sessions.c.current_revision_id == r.c.id)
            .where(sessions.c.id == session_id)
        ).one()
    messages = _messages(current.messages)
    return SessionDetail(
        summary=found[session_id],
        roles=roles,
        areas=tuple(areas),
        participants=stats.participants if stats else None,
        women=stats.women if stats else None,
        revisions=revisions,
        report=from_record(json.loads(current.record), messages),
        validation=json.loads(current.validation),
        messages=messages,
        stated={
            "women_speakers": stats.women_speakers if stats else None,
            "women_moderators": stats.women_moderators if stats else None,
            "gender_reflection": stats.gender_reflection if stats else None,
        },
    )


@dataclass(frozen=True, slots=True)
class EventSummary:
    id: int
    name: str
    kind: str
    year: int
    sessions: int


def list_events(store: Store) -> list[EventSummary]:
    e, s = events, sessions
    q = (
        select(e.c.id, e.c.name, e.c.kind, e.c.year, func.count(s.c.id))
        .outerjoin(s, s.c.event_id == e.c.id)
        .group_by(e.c.id, e.c.name, e.c.kind, e.c.year)
        .order_by(e.c.year.desc(), e.c.name)
    )
    with store.connect() as conn:
        return [EventSummary(*row) for row in conn.execute(q).all()]


def event_diversity(store: Store, filters: SessionFilter) -> Diversity:
    """Panel diversity across every session matching ``filters`` (e.g. one event)."""
    r, s = report_revisions, sessions
    q = filters.apply(
        select(r.c.record)
        .select_from(s)
        .join(events, events.c.id == s.c.event_id)
        .join(r, r.c.id == s.c.current_revision_id)
    )
    with store.connect() as conn:
        records = conn.execute(q).scalars().all()
    return diversity([from_record(json.loads(x)) for x in records])
