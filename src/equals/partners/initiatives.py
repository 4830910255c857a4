"""Initiatives: create and update (versioned, audited, checked against the code lists, the
catalogue and the organisations), read one, list with filters.

Child rows (participants, areas, target groups, countries, regions, sectors, deliverables) are
replaced on update; targets are kept by id, because progress reports hold actual values against
them: a target with reported values cannot be removed (nothing reported is ever lost).
"""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import Connection, Table, select

from equals.auth import Actor, User, record_audit
from equals.auth.model import now
from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.partners import codes
from equals.partners.common import bump_version, iso, parse, today, touch
from equals.partners.initiative_read import (
    catalogue,
    read_initiative,
)
from equals.partners.model import (
    Initiative,
    InitiativeIn,
)
from equals.partners.organizations import canonical_id, get_org
from equals.partners.permissions import Action, require
from equals.store import Store
from equals.store.tables import partners as t

CHILDREN: tuple[tuple[Table, str, str], ...] = (
    (t.initiative_areas, "area", "action_areas"),
    (t.initiative_groups, "target_group", "target_groups"),
    (t.initiative_countries, "country", "countries"),
    (t.initiative_regions, "region", "regions"),
    (t.initiative_sectors, "sector", "sectors"),
)


def check(conn: Connection, data: InitiativeIn) -> dict[str, Any]:
    """Every check that needs the code lists, the catalogue or the database; the row to store."""
    lead = str(get_org(conn, data.lead_organization_id, "lead_organization_id")["id"])
    for i, p in enumerate(data.participants):
        get_org(conn, p.organization_id, f"participants[{i}].organization_id")
        codes.check_code("OrganisationRole", p.role, f"participants[{i}].role")
    for i, g in enumerate(data.target_groups):
        codes.check_code("TargetGroup", g, f"target_groups[{i}]")
    for i, c in enumerate(data.countries):
        codes.check_country(c, f"countries[{i}]")
    for i, r in enumerate(data.regions):
        codes.check_code("Region", r, f"regions[{i}]")
    for i, s in enumerate(data.sectors):
        codes.check_code("Sector", s, f"sectors[{i}]")
    codes.check_code("ActivityStatus", data.status, "status")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ValidationError(
            Msg(
                "end date %(end)s is before start date %(start)s",
                end=str(data.end_date),
                start=str(data.start_date),
            ),
            location="end_date",
            code="end-before-start",
        )
    if data.budget is not None and not data.currency:
        raise ValidationError(
            Msg("a budget needs its currency (ISO 4217, e.g. USD)"), location="currency"
        )
    if data.currency:
        codes.check_code("Currency", data.currency, "currency")
    if data.gender_marker is not None:
        codes.check_code("PolicySignificance", data.gender_marker, "gender_marker")
    cat = catalogue()
    for i, target in enumerate(data.targets):
        if target.indicator not in cat:
            close = difflib.get_close_matches(target.indicator, [x.id for x in cat], n=3)
            if close:
                message = Msg(
                    "unknown indicator %(value)s (did you mean: %(names)s?); "
                    "GET /api/v1/indicators lists the catalogue",
                    value=repr(target.indicator[:64]),
                    names=", ".join(close),
                )
            else:
                message = Msg(
                    "unknown indicator %(value)s; GET /api/v1/indicators lists the catalogue",
                    value=repr(target.indicator[:64]),
                )
            raise ValidationError(
                message,
                location=f"targets[{i}].indicator",
                code="unknown-indicator",
            )
        codes.check_country(target.country, f"targets[{i}].country")
        if target.baseline_year is not None and target.baseline_year > target.target_year:
            raise ValidationError(
                Msg("the target year is before the baseline year"),
                location=f"targets[{i}].target_year",
            )
    return {
        "title": data.title,
        "description": data.description,
        "lead_organization_id": lead,
        "status": data.status,
        "start_date": iso(data.start_date),
        "end_date": iso(data.end_date),
        "budget": data.budget,
        "currency": data.currency.upper() if data.currency else None,
        "gender_marker": data.gender_marker,
        "iati_identifier": data.iati_identifier or None,
        "website": data.website,
        "as_of": iso(data.as_of or today()),
    }


def _write_children(conn: Connection, iid: int, data: InitiativeIn, *, new: bool) -> None:
    values = {
        "action_areas": sorted({a.value for a in data.action_areas}),
        "target_groups": sorted(set(data.target_groups)),
        "countries": sorted({c.strip().upper() for c in data.countries}),
        "regions": sorted(set(data.regions)),
        "sectors": sorted(set(data.sectors)),
    }
    for table, column, field in CHILDREN:
        if not new:
            conn.execute(table.delete().where(table.c.initiative_id == iid))
        rows = [{"initiative_id": iid, column: v} for v in values[field]]
        if rows:
            conn.execute(table.insert(), rows)
    p = t.initiative_participants
    if not new:
        conn.execute(p.delete().where(p.c.initiative_id == iid))
    parts = {(canonical_id(conn, x.organization_id), x.role) for x in data.participants}
    if parts:
        conn.execute(
            p.insert(), [{"initiative_id": iid, "organization_id": o, "role": r} for o, r in parts]
        )
    d = t.deliverables
    if not new:
        conn.execute(d.delete().where(d.c.initiative_id == iid))
    if data.deliverables:
        conn.execute(
            d.insert(),
            [
                {
                    "initiative_id": iid,
                    "position": i,
                    "title": x.title,
                    "measure": x.measure,
                    "due": iso(x.due),
                    "done": x.done,
                }
                for i, x in enumerate(data.deliverables)
            ],
        )
    _write_targets(conn, iid, data)


def _write_targets(conn: Connection, iid: int, data: InitiativeIn) -> None:
    tg = t.targets
    existing = {
        int(x) for x in conn.execute(select(tg.c.id).where(tg.c.initiative_id == iid)).scalars()
    }
    kept = set()
    for i, x in enumerate(data.targets):
        row = {
            "initiative_id": iid,
            "position": i,
            "indicator_id": x.indicator,
            "country": x.country.strip().upper(),
            "sex": x.sex,
            "baseline_value": x.baseline_value,
            "baseline_year": x.baseline_year,
            "target_value": x.target_value,
            "target_year": x.target_year,
        }
        if x.id is not None:
            if x.id not in existing:
                raise ValidationError(
                    Msg("target %(id)s is not a target of this initiative", id=x.id),
                    location=f"targets[{i}].id",
                )
            conn.execute(tg.update().where(tg.c.id == x.id).values(row))
            kept.add(x.id)
        else:
            conn.execute(tg.insert().values(row))
    gone = existing - kept
    if gone:
        v = t.progress_values
        used = sorted(
            int(x)
            for x in conn.execute(
                select(v.c.target_id).where(v.c.target_id.in_(gone)).distinct()
            ).scalars()
        )
        if used:
            raise ValidationError(
                Msg(
                    "target(s) %(ids)s have reported values and cannot be removed; keep them "
                    "(send their id)",
                    ids=", ".join(map(str, used)),
                ),
                location="targets",
                code="target-in-use",
            )
        conn.execute(tg.delete().where(tg.c.id.in_(gone)))


def create_initiative(
    store: Store,
    data: InitiativeIn | dict[str, Any],
    *,
    actor: Actor,
    user: User | None = None,
    example: bool = False,
    source_note: str = "",
) -> Initiative:
    data = parse(InitiativeIn, data)
    with store.transaction() as conn:
        return insert_initiative(
            conn, data, actor=actor, user=user, example=example, source_note=source_note
        )


def insert_initiative(
    conn: Connection,
    data: InitiativeIn,
    *,
    actor: Actor,
    user: User | None = None,
    example: bool = False,
    source_note: str = "",
) -> Initiative:
    """:func:`create_initiative` inside the caller's transaction (e.g. a whole IATI file)."""
    row = check(conn, data)
    require(user, Action.CREATE_INITIATIVE, row["lead_organization_id"])
    stamp = now()
    iid = int(
        conn.execute(
            t.initiatives.insert().values(
                **row,
                example=example,
                source_note=source_note,
                version=1,
                created_at=stamp,
                updated_at=stamp,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )
    _write_children(conn, iid, data, new=True)
    touch(conn)
    after = read_initiative(conn, iid)
    record_audit(
        conn,
        actor,
        "initiative.create",
        "initiative",
        iid,
        {"before": None, "after": after.model_dump(mode="json")},
    )
    return after


def update_initiative(
    store: Store,
    initiative_id: int,
    data: InitiativeIn | dict[str, Any],
    *,
    based_on: int,
    actor: Actor,
    user: User | None = None,
) -> Initiative:
    data = parse(InitiativeIn, data)
    with store.transaction() as conn:
        return replace_initiative(
            conn, initiative_id, data, based_on=based_on, actor=actor, user=user
        )


def replace_initiative(
    conn: Connection,
    initiative_id: int,
    data: InitiativeIn,
    *,
    based_on: int,
    actor: Actor,
    user: User | None = None,
) -> Initiative:
    """:func:`update_initiative` inside the caller's transaction."""
    before = read_initiative(conn, initiative_id)
    require(user, Action.UPDATE_INITIATIVE, before.lead.id)
    row = check(conn, data)
    require(user, Action.UPDATE_INITIATIVE, row["lead_organization_id"])
    bump_version(conn, t.initiatives, "id", initiative_id, based_on, f"initiative {initiative_id}")
    conn.execute(t.initiatives.update().where(t.initiatives.c.id == initiative_id).values(row))
    _write_children(conn, initiative_id, data, new=False)
    touch(conn)
    after = read_initiative(conn, initiative_id)
    record_audit(
        conn,
        actor,
        "initiative.update",
        "initiative",
        initiative_id,
        {"before": before.model_dump(mode="json"), "after": after.model_dump(mode="json")},
    )
    return after
