"""Coalitions (by action area, with a lead and member partners) and governance seats
(co-founders, steering committee with terms, secretariat): who holds what, since when and until
when.

A seat row is one term: an organisation (and the person sitting for it) holding a seat from
``since`` to ``until``. Ending a term sets its ``until`` and keeps the row, so the history of who
held a seat stays; the next holder is a new row. Editing corrects a term (versioned: a stale edit
gets :class:`EditConflictError`); every write is audited with before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select

from equals.auth import Actor, User, record_audit
from equals.auth.model import now
from equals.core.errors import NotFoundError, ValidationError
from equals.core.i18n import Msg
from equals.partners.codes import GOVERNANCE_BODIES
from equals.partners.common import bump_version, iso, parse, today, touch
from equals.partners.model import (
    Coalition,
    CoalitionIn,
    CodeLabel,
    Member,
    OrgRef,
    Seat,
    SeatEndIn,
    SeatIn,
)
from equals.partners.organizations import canonical_id, get_org
from equals.partners.permissions import Action, require
from equals.store import Store
from equals.store.tables import partners as t
from equals.store.tables.sessions import organizations


class UnknownCoalitionError(NotFoundError):
    code = "unknown-coalition"

    def __init__(self, value: str) -> None:
        super().__init__("coalition", value)


class UnknownSeatError(NotFoundError):
    code = "unknown-governance-seat"

    def __init__(self, value: int) -> None:
        super().__init__("governance seat", str(value))


def _ref(conn: Connection, oid: str) -> OrgRef:
    o, p = organizations, t.partners
    row = conn.execute(
        select(o.c.id, o.c.name, p.c.organization_id.is_not(None))
        .outerjoin(p, p.c.organization_id == o.c.id)
        .where(o.c.id == oid)
    ).first()
    return (
        OrgRef(id=oid, name=str(row[1]), partner=bool(row[2])) if row else OrgRef(id=oid, name=oid)
    )


def _members(conn: Connection, cid: str, data: CoalitionIn) -> None:
    m = t.coalition_members
    conn.execute(m.delete().where(m.c.coalition_id == cid))
    seen: set[str] = set()
    for i, member in enumerate(data.members):
        oid = str(get_org(conn, member.organization_id, f"members[{i}].organization_id")["id"])
        if oid not in seen:
            seen.add(oid)
            conn.execute(
                m.insert().values(coalition_id=cid, organization_id=oid, since=iso(member.since))
            )


def _coalition_row(conn: Connection, data: CoalitionIn) -> dict[str, Any]:
    lead = data.lead_organization_id
    return {
        "name": data.name,
        "action_area": data.action_area,
        "description": data.description,
        "lead_organization_id": (
            str(get_org(conn, lead, "lead_organization_id")["id"]) if lead else None
        ),
    }


def create_coalition(
    store: Store,
    data: CoalitionIn | dict[str, Any],
    *,
    actor: Actor,
    user: User | None = None,
    example: bool = False,
    source_note: str = "",
) -> Coalition:
    data = parse(CoalitionIn, data)
    require(user, Action.WRITE_COALITION, None)
    with store.transaction() as conn:
        if conn.execute(select(t.coalitions.c.id).where(t.coalitions.c.id == data.id)).first():
            raise ValidationError(
                Msg("coalition %(id)s exists; update it", id=repr(data.id)), location="id"
            )
        stamp = now()
        conn.execute(
            t.coalitions.insert().values(
                id=data.id,
                **_coalition_row(conn, data),
                example=example,
                source_note=source_note,
                version=1,
                created_at=stamp,
                updated_at=stamp,
            )
        )
        _members(conn, data.id, data)
        after = _coalition(conn, data.id)
        touch(conn)
        record_audit(
            conn,
            actor,
            "coalition.create",
            "coalition",
            data.id,
            {"before": None, "after": after.model_dump(mode="json")},
        )
    return after


def update_coalition(
    store: Store,
    coalition_id: str,
    data: CoalitionIn | dict[str, Any],
    *,
    based_on: int,
    actor: Actor,
    user: User | None = None,
) -> Coalition:
    data = parse(CoalitionIn, data)
    require(user, Action.WRITE_COALITION, None)
    if data.id != coalition_id:
        raise ValidationError(Msg("a coalition's id cannot change"), location="id")
    with store.transaction() as conn:
        before = _coalition(conn, coalition_id)
        bump_version(conn, t.coalitions, "id", coalition_id, based_on, f"coalition {coalition_id}")
        conn.execute(
            t.coalitions.update()
            .where(t.coalitions.c.id == coalition_id)
            .values(_coalition_row(conn, data))
        )
        _members(conn, coalition_id, data)
        after = _coalition(conn, coalition_id)
        touch(conn)
        record_audit(
            conn,
            actor,
            "coalition.update",
            "coalition",
            coalition_id,
            {"before": before.model_dump(mode="json"), "after": after.model_dump(mode="json")},
        )
    return after


def _coalition(conn: Connection, cid: str) -> Coalition:
    row = conn.execute(select(t.coalitions).where(t.coalitions.c.id == cid)).mappings().first()
    if row is None:
        raise UnknownCoalitionError(cid)
    m = t.coalition_members
    members = [
        Member(organization=_ref(conn, str(oid)), since=since)
        for oid, since in conn.execute(
            select(m.c.organization_id, m.c.since).where(m.c.coalition_id == cid)
        )
    ]
    members.sort(key=lambda x: x.organization.name.casefold())
    lead = row["lead_organization_id"]
    return Coalition(
        id=cid,
        name=row["name"],
        action_area=row["action_area"],
        description=row["description"],
        lead=_ref(conn, lead) if lead else None,
        members=members,
        example=bool(row["example"]),
        source_note=row["source_note"],
        version=int(row["version"]),
    )


def get_coalition(store: Store, coalition_id: str) -> Coalition:
    with store.connect() as conn:
        return _coalition(conn, coalition_id)


def list_coalitions(store: Store) -> list[Coalition]:
    with store.connect() as conn:
        ids = conn.execute(
            select(t.coalitions.c.id).order_by(t.coalitions.c.action_area, t.coalitions.c.id)
        ).scalars()
        return [_coalition(conn, str(c)) for c in list(ids)]


def add_seat(
    store: Store,
    data: SeatIn | dict[str, Any],
    *,
    actor: Actor,
    user: User | None = None,
    example: bool = False,
    source_note: str = "",
) -> Seat:
    data = parse(SeatIn, data)
    require(user, Action.WRITE_GOVERNANCE, None)
    _check_term(data.since, data.until)
    with store.transaction() as conn:
        sid = int(
            conn.execute(
                t.governance_seats.insert().values(
                    **_seat_row(conn, data),
                    example=example,
                    source_note=source_note,
                    version=1,
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        seat = _seats(conn, sid)[0]
        touch(conn)
        record_audit(
            conn,
            actor,
            "governance.create",
            "governance_seat",
            sid,
            {"before": None, "after": seat.model_dump(mode="json")},
        )
    return seat


def _check_term(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and until < since:
        raise ValidationError(
            Msg(
                "the term ends (%(until)s) before it starts (%(since)s)",
                until=str(until),
                since=str(since),
            ),
            location="until",
        )


def _seat_row(conn: Connection, data: SeatIn) -> dict[str, Any]:
    return {
        "body": data.body,
        "seat": data.seat,
        "organization_id": str(get_org(conn, data.organization_id)["id"]),
        "holder": data.holder,
        "since": iso(data.since),
        "until": iso(data.until),
    }


def _seat(conn: Connection, seat_id: int) -> Seat:
    found = _seats(conn, seat_id)
    if not found:
        raise UnknownSeatError(seat_id)
    return found[0]


def get_seat(store: Store, seat_id: int) -> Seat:
    """One governance seat (one term of one holder)."""
    with store.connect() as conn:
        return _seat(conn, seat_id)


def update_seat(
    store: Store,
    seat_id: int,
    data: SeatIn | dict[str, Any],
    *,
    based_on: int,
    actor: Actor,
    user: User | None = None,
) -> Seat:
    """Correct a seat's record (body, seat, organisation, holder, term dates) from version
    ``based_on``; :class:`EditConflictError` when someone saved it meanwhile, nothing written.
    To record a new holder, end this term (:func:`end_term`) and add the next one."""
    data = parse(SeatIn, data)
    require(user, Action.WRITE_GOVERNANCE, None)
    _check_term(data.since, data.until)
    with store.transaction() as conn:
        before = _seat(conn, seat_id)
        row = _seat_row(conn, data)
        g = t.governance_seats
        bump_version(conn, g, "id", seat_id, based_on, f"governance seat {seat_id}")
        conn.execute(g.update().where(g.c.id == seat_id).values(row))
        after = _seat(conn, seat_id)
        touch(conn)
        record_audit(
            conn,
            actor,
            "governance.update",
            "governance_seat",
            seat_id,
            {"before": before.model_dump(mode="json"), "after": after.model_dump(mode="json")},
        )
    return after


def end_term(
    store: Store,
    seat_id: int,
    data: SeatEndIn | dict[str, Any],
    *,
    based_on: int,
    actor: Actor,
    user: User | None = None,
) -> Seat:
    """End a holder's term on ``data.until`` (the row stays, as the seat's history). The end is
    not before the start; a term that has already ended is corrected with :func:`update_seat`
    instead. Versioned and audited like every registry write."""
    data = parse(SeatEndIn, data)
    require(user, Action.WRITE_GOVERNANCE, None)
    with store.transaction() as conn:
        before = _seat(conn, seat_id)
        since = dt.date.fromisoformat(before.since) if before.since else None
        _check_term(since, data.until)
        if before.until is not None and before.until < today().isoformat():
            raise ValidationError(
                Msg(
                    "this term already ended on %(date)s; edit the seat to correct the date",
                    date=before.until,
                ),
                location="until",
            )
        g = t.governance_seats
        bump_version(conn, g, "id", seat_id, based_on, f"governance seat {seat_id}")
        conn.execute(g.update().where(g.c.id == seat_id).values(until=iso(data.until)))
        after = _seat(conn, seat_id)
        touch(conn)
        record_audit(
            conn,
            actor,
            "governance.end",
            "governance_seat",
            seat_id,
            {"before": before.model_dump(mode="json"), "after": after.model_dump(mode="json")},
        )
    return after


def _seats(conn: Connection, only: int | None = None) -> list[Seat]:
    g = t.governance_seats
    q = select(g).order_by(g.c.body, g.c.since, g.c.id)
    if only is not None:
        q = q.where(g.c.id == only)
    return [
        Seat(
            id=int(r["id"]),
            body=CodeLabel(code=r["body"], label=GOVERNANCE_BODIES[r["body"]]),
            seat=r["seat"],
            organization=_ref(conn, canonical_id(conn, r["organization_id"])),
            holder=r["holder"],
            since=r["since"],
            until=r["until"],
            example=bool(r["example"]),
            source_note=r["source_note"],
            version=int(r["version"]),
        )
        for r in conn.execute(q).mappings()
    ]


def governance(store: Store) -> list[Seat]:
    with store.connect() as conn:
        return _seats(conn)
