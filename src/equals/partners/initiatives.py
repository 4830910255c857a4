"""Initiatives: create and update (versioned, audited, checked against the code lists, the
catalogue and the organisations), read one, list with filters.

Child rows (participants, areas, target groups, countries, regions, sectors, deliverables) are
replaced on update; targets are kept by id, because progress reports hold actual values against
them: a target with reported values cannot be removed (nothing reported is ever lost).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, func, select

from equals.auth import Actor, User, record_audit
from equals.auth.model import now
from equals.core.errors import NotFoundError, ValidationError
from equals.core.vocabulary import Pillar
from equals.indicators.catalogue import Catalogue, load_catalogue
from equals.partners import codes
from equals.partners.common import bump_version, iso, parse, today
from equals.partners.freshness import FreshnessRule, freshness
from equals.partners.model import (
    CodeLabel,
    Deliverable,
    Initiative,
    InitiativeIn,
    OrgRef,
    Participant,
    Target,
)
from equals.partners.organizations import canonical_id, get_org
from equals.partners.permissions import Action, require
from equals.store import Store
from equals.store.tables import partners as t
from equals.store.tables.sessions import organizations

CHILDREN: tuple[tuple[Table, str, str], ...] = (
    (t.initiative_areas, "area", "action_areas"),
    (t.initiative_groups, "target_group", "target_groups"),
    (t.initiative_countries, "country", "countries"),
    (t.initiative_regions, "region", "regions"),
    (t.initiative_sectors, "sector", "sectors"),
)


class UnknownInitiativeError(NotFoundError):
    code = "unknown-initiative"

    def __init__(self, value: int | str) -> None:
        super().__init__("initiative", str(value))


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


@dataclass(frozen=True, slots=True)
class InitiativeFilter:
    organization: str | None = None  # lead or participant
    country: str | None = None
    area: Pillar | None = None
    target_group: str | None = None
    status: str | None = None
    q: str | None = None
    examples: bool = True


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
            f"end date {data.end_date} is before start date {data.start_date}",
            location="end_date",
            code="end-before-start",
        )
    if data.budget is not None and not data.currency:
        raise ValidationError(
            "a budget needs its currency (ISO 4217, e.g. USD)", location="currency"
        )
    if data.currency:
        codes.check_code("Currency", data.currency, "currency")
    if data.gender_marker is not None:
        codes.check_code("PolicySignificance", data.gender_marker, "gender_marker")
    cat = catalogue()
    for i, target in enumerate(data.targets):
        if target.indicator not in cat:
            close = difflib.get_close_matches(target.indicator, [x.id for x in cat], n=3)
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            raise ValidationError(
                f"unknown indicator {target.indicator[:64]!r}{hint}; GET /api/v1/indicators "
                "lists the catalogue",
                location=f"targets[{i}].indicator",
                code="unknown-indicator",
            )
        codes.check_country(target.country, f"targets[{i}].country")
        if target.baseline_year is not None and target.baseline_year > target.target_year:
            raise ValidationError(
                "the target year is before the baseline year", location=f"targets[{i}].target_year"
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
                    f"target {x.id} is not a target of this initiative", location=f"targets[{i}].id"
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
                f"target(s) {', '.join(map(str, used))} have reported values and cannot be "
                "removed; keep them (send their id)",
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
        before = read_initiative(conn, initiative_id)
        require(user, Action.UPDATE_INITIATIVE, before.lead.id)
        row = check(conn, data)
        require(user, Action.UPDATE_INITIATIVE, row["lead_organization_id"])
        bump_version(
            conn, t.initiatives, "id", initiative_id, based_on, f"initiative {initiative_id}"
        )
        conn.execute(t.initiatives.update().where(t.initiatives.c.id == initiative_id).values(row))
        _write_children(conn, initiative_id, data, new=False)
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


def get_initiative(store: Store, initiative_id: int) -> Initiative:
    with store.connect() as conn:
        return read_initiative(conn, initiative_id)


def _org_refs(conn: Connection, ids: set[str]) -> dict[str, OrgRef]:
    if not ids:
        return {}
    o, p = organizations, t.partners
    rows = conn.execute(
        select(o.c.id, o.c.name, p.c.organization_id.is_not(None))
        .outerjoin(p, p.c.organization_id == o.c.id)
        .where(o.c.id.in_(ids))
    ).all()
    return {str(i): OrgRef(id=str(i), name=str(n), partner=bool(x)) for i, n, x in rows}


def read_initiative(conn: Connection, initiative_id: int) -> Initiative:
    rows = read_initiatives(conn, [initiative_id])
    if not rows:
        raise UnknownInitiativeError(initiative_id)
    return rows[0]


def read_initiatives(
    conn: Connection, ids: Sequence[int], rule: FreshnessRule | None = None
) -> list[Initiative]:
    """Full records of these initiatives (in this order), with a fixed number of queries."""
    if not ids:
        return []
    ids = list(ids)
    i = t.initiatives
    base = {r["id"]: r for r in conn.execute(select(i).where(i.c.id.in_(ids))).mappings()}
    kids: dict[str, dict[int, list[str]]] = {}
    for table, column, field in CHILDREN:
        got: dict[int, list[str]] = {}
        for iid, value in conn.execute(
            select(table.c.initiative_id, table.c[column])
            .where(table.c.initiative_id.in_(ids))
            .order_by(table.c[column])
        ):
            got.setdefault(int(iid), []).append(str(value))
        kids[field] = got
    p = t.initiative_participants
    parts: dict[int, list[tuple[str, str]]] = {}
    for iid, oid, role in conn.execute(
        select(p.c.initiative_id, p.c.organization_id, p.c.role)
        .where(p.c.initiative_id.in_(ids))
        .order_by(p.c.role, p.c.organization_id)
    ):
        parts.setdefault(int(iid), []).append((str(oid), str(role)))
    orgs = _org_refs(
        conn,
        {str(r["lead_organization_id"]) for r in base.values()}
        | {o for v in parts.values() for o, _ in v},
    )
    d = t.deliverables
    dels: dict[int, list[Deliverable]] = {}
    for r in conn.execute(
        select(d).where(d.c.initiative_id.in_(ids)).order_by(d.c.initiative_id, d.c.position)
    ).mappings():
        dels.setdefault(int(r["initiative_id"]), []).append(
            Deliverable(title=r["title"], measure=r["measure"], due=r["due"], done=bool(r["done"]))
        )
    targets = _targets(conn, ids)
    last = _last_reports(conn, ids)
    out = []
    for iid in ids:
        if iid not in base:
            continue
        r = base[iid]
        info = max(filter(None, [r["as_of"], last.get(iid)]))
        countries = kids["countries"].get(iid, [])
        marker = r["gender_marker"]
        out.append(
            Initiative(
                id=iid,
                title=r["title"],
                description=r["description"],
                lead=orgs[str(r["lead_organization_id"])],
                participants=[
                    Participant(
                        organization=orgs[o],
                        role=CodeLabel(code=role, label=codes.label("OrganisationRole", role)),
                    )
                    for o, role in parts.get(iid, [])
                ],
                action_areas=kids["action_areas"].get(iid, []),
                target_groups=[
                    CodeLabel(code=g, label=codes.label("TargetGroup", g))
                    for g in kids["target_groups"].get(iid, [])
                ],
                countries=[CodeLabel(code=c, label=codes.country_name(c)) for c in countries],
                regions=[
                    CodeLabel(code=x, label=codes.label("Region", x))
                    for x in kids["regions"].get(iid, [])
                ],
                status=CodeLabel(
                    code=r["status"], label=codes.label("ActivityStatus", r["status"])
                ),
                freshness=freshness(r["status"], info, rule),
                start_date=r["start_date"],
                end_date=r["end_date"],
                budget=r["budget"],
                currency=r["currency"],
                gender_marker=(
                    CodeLabel(code=marker, label=codes.label("PolicySignificance", marker))
                    if marker is not None
                    else None
                ),
                sectors=[
                    CodeLabel(code=s, label=codes.label("Sector", s))
                    for s in kids["sectors"].get(iid, [])
                ],
                deliverables=dels.get(iid, []),
                targets=targets.get(iid, []),
                iati_identifier=r["iati_identifier"],
                website=r["website"],
                as_of=r["as_of"],
                example=bool(r["example"]),
                source_note=r["source_note"],
                version=int(r["version"]),
                url=f"/initiatives/{iid}",
            )
        )
    return out


def _last_reports(conn: Connection, ids: list[int]) -> dict[int, str]:
    pr = t.progress_reports
    q = (
        select(pr.c.initiative_id, func.max(pr.c.date))
        .where(pr.c.initiative_id.in_(ids))
        .group_by(pr.c.initiative_id)
    )
    return {int(a): str(b) for a, b in conn.execute(q)}


def _targets(conn: Connection, ids: list[int]) -> dict[int, list[Target]]:
    tg, v, pr = t.targets, t.progress_values, t.progress_reports
    latest: dict[int, tuple[str, int, float]] = {}
    for tid, value, year, date in conn.execute(
        select(v.c.target_id, v.c.value, v.c.year, pr.c.date)
        .join(pr, pr.c.id == v.c.report_id)
        .where(pr.c.initiative_id.in_(ids))
    ):
        key = (str(date), int(year), float(value))
        if tid not in latest or key[:2] > latest[tid][:2]:
            latest[int(tid)] = key
    cat = catalogue()
    out: dict[int, list[Target]] = {}
    for r in conn.execute(
        select(tg).where(tg.c.initiative_id.in_(ids)).order_by(tg.c.initiative_id, tg.c.position)
    ).mappings():
        act = latest.get(int(r["id"]))
        ind = r["indicator_id"]
        out.setdefault(int(r["initiative_id"]), []).append(
            Target(
                id=int(r["id"]),
                indicator=ind,
                indicator_title=cat.get(ind).title if ind in cat else ind,
                country=CodeLabel(code=r["country"], label=codes.country_name(r["country"])),
                sex=r["sex"],
                baseline_value=r["baseline_value"],
                baseline_year=r["baseline_year"],
                target_value=r["target_value"],
                target_year=r["target_year"],
                latest_actual=act[2] if act else None,
                latest_actual_year=act[1] if act else None,
            )
        )
    return out


def initiative_ids(conn: Connection, f: InitiativeFilter, limit: int, offset: int) -> list[int]:
    i = t.initiatives
    q = select(i.c.id)
    if f.organization:
        oid = canonical_id(conn, f.organization)
        p = t.initiative_participants
        q = q.where(
            (i.c.lead_organization_id == oid)
            | i.c.id.in_(select(p.c.initiative_id).where(p.c.organization_id == oid))
        )
    for table, column, value in (
        (t.initiative_countries, "country", f.country.upper() if f.country else None),
        (t.initiative_areas, "area", f.area.value if f.area else None),
        (t.initiative_groups, "target_group", f.target_group),
    ):
        if value:
            q = q.where(i.c.id.in_(select(table.c.initiative_id).where(table.c[column] == value)))
    if f.status:
        q = q.where(i.c.status == f.status)
    if f.q and f.q.strip():
        like = f"%{f.q.strip()[:200]}%"
        q = q.where(i.c.title.ilike(like) | i.c.description.ilike(like))
    if not f.examples:
        q = q.where(i.c.example.is_(False))
    q = q.order_by(i.c.title, i.c.id).limit(limit).offset(offset)
    return [int(x) for x in conn.execute(q).scalars()]


def list_initiatives(
    store: Store, f: InitiativeFilter | None = None, *, limit: int = 200, offset: int = 0
) -> list[Initiative]:
    with store.connect() as conn:
        return read_initiatives(conn, initiative_ids(conn, f or InitiativeFilter(), limit, offset))
