"""Progress reports: a dated narrative with links and actual values against the initiative's
targets (appended, audited; a report is never rewritten, a newer one supersedes it)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from equals.auth import Actor, User, record_audit
from equals.auth.model import now
from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.partners.common import parse, touch
from equals.partners.initiative_read import UnknownInitiativeError, read_initiative
from equals.partners.model import Actual, ProgressIn, ProgressReport
from equals.partners.permissions import Action, require
from equals.store import Store
from equals.store.tables import partners as t


def add_progress(
    store: Store,
    initiative_id: int,
    data: ProgressIn | dict[str, Any],
    *,
    actor: Actor,
    user: User | None = None,
) -> ProgressReport:
    data = parse(ProgressIn, data)
    with store.transaction() as conn:
        return insert_progress(conn, initiative_id, data, actor=actor, user=user)


def insert_progress(
    conn: Connection,
    initiative_id: int,
    data: ProgressIn,
    *,
    actor: Actor,
    user: User | None = None,
) -> ProgressReport:
    """:func:`add_progress` inside the caller's transaction."""
    ini = read_initiative(conn, initiative_id)
    require(user, Action.REPORT_PROGRESS, ini.lead.id)
    own = {x.id for x in ini.targets}
    seen: set[int] = set()
    for i, v in enumerate(data.values):
        if v.target_id not in own:
            raise ValidationError(
                Msg(
                    "target %(target)s is not a target of initiative %(initiative)s",
                    target=v.target_id,
                    initiative=initiative_id,
                ),
                location=f"values[{i}].target_id",
            )
        if v.target_id in seen:
            raise ValidationError(Msg("one value per target"), location=f"values[{i}].target_id")
        seen.add(v.target_id)
    if ini.start_date and data.date.isoformat() < ini.start_date:
        raise ValidationError(
            Msg(
                "the report date is before the initiative's start (%(date)s)",
                date=ini.start_date,
            ),
            location="date",
        )
    rid = int(
        conn.execute(
            t.progress_reports.insert().values(
                initiative_id=initiative_id,
                date=data.date.isoformat(),
                narrative=data.narrative,
                links=json.dumps(data.links),
                actor=actor.name,
                created_at=now(),
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )
    touch(conn)
    ti = t.initiatives  # the freshness of the record moves with its newest report
    conn.execute(
        ti.update()
        .where(ti.c.id == initiative_id, ti.c.as_of < data.date.isoformat())
        .values(as_of=data.date.isoformat())
    )
    if data.values:
        conn.execute(
            t.progress_values.insert(),
            [
                {"report_id": rid, "target_id": v.target_id, "value": v.value, "year": v.year}
                for v in data.values
            ],
        )
    report = _reports(conn, initiative_id, rid)[0]
    record_audit(
        conn,
        actor,
        "progress.create",
        "initiative",
        initiative_id,
        {"before": None, "after": report.model_dump(mode="json")},
    )
    return report


def list_progress(store: Store, initiative_id: int) -> list[ProgressReport]:
    """Newest first (raises 404 for an unknown initiative)."""
    with store.connect() as conn:
        i = t.initiatives
        if conn.execute(select(i.c.id).where(i.c.id == initiative_id)).first() is None:
            raise UnknownInitiativeError(initiative_id)
        return _reports(conn, initiative_id)


def _reports(conn: Connection, initiative_id: int, only: int | None = None) -> list[ProgressReport]:
    pr, v = t.progress_reports, t.progress_values
    q = select(pr).where(pr.c.initiative_id == initiative_id)
    if only is not None:
        q = q.where(pr.c.id == only)
    rows = conn.execute(q.order_by(pr.c.date.desc(), pr.c.id.desc())).mappings().all()
    ids = [int(r["id"]) for r in rows]
    values: dict[int, list[Actual]] = {}
    for rid, tid, value, year in conn.execute(
        select(v.c.report_id, v.c.target_id, v.c.value, v.c.year)
        .where(v.c.report_id.in_(ids))
        .order_by(v.c.target_id)
    ):
        values.setdefault(int(rid), []).append(Actual(target_id=tid, value=value, year=year))
    return [
        ProgressReport(
            id=int(r["id"]),
            initiative_id=initiative_id,
            date=r["date"],
            narrative=r["narrative"],
            links=json.loads(r["links"]),
            values=values.get(int(r["id"]), []),
            actor=r["actor"],
        )
        for r in rows
    ]
