"""Reading initiatives: one or many full records with a fixed number of queries (whatever their
count), filtered lists, and the catalogue the targets refer to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, func, literal, select, union_all

from equals.core.errors import NotFoundError
from equals.core.vocabulary import Pillar
from equals.indicators.catalogue import Catalogue, load_catalogue
from equals.partners import codes
from equals.partners.freshness import FreshnessRule, freshness
from equals.partners.model import CodeLabel, Deliverable, Initiative, OrgRef, Participant, Target
from equals.partners.organizations import canonical_id
from equals.store import Store
from equals.store.tables import partners as t
from equals.store.tables.sessions import organizations

CHILDREN_READ = (
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
    kids: dict[str, dict[int, list[str]]] = {field: {} for _, _, field in CHILDREN_READ}
    children = union_all(
        *(
            select(
                literal(field).label("field"),
                table.c.initiative_id.label("iid"),
                table.c[column].label("value"),
            ).where(table.c.initiative_id.in_(ids))
            for table, column, field in CHILDREN_READ
        )
    ).subquery()
    for field, iid, value in conn.execute(select(children).order_by(children.c.value)):
        kids[str(field)].setdefault(int(iid), []).append(str(value))
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


def _filtered(conn: Connection, f: InitiativeFilter) -> Select[Any]:
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
    return q


def initiative_ids(conn: Connection, f: InitiativeFilter, limit: int, offset: int) -> list[int]:
    """One page of the initiatives that match ``f`` (by title, then id), paged in SQL."""
    i = t.initiatives
    q = _filtered(conn, f).order_by(i.c.title, i.c.id).limit(limit).offset(offset)
    return [int(x) for x in conn.execute(q).scalars()]


def count_initiatives(conn: Connection, f: InitiativeFilter) -> int:
    """How many initiatives match ``f`` (all pages)."""
    sub = _filtered(conn, f).subquery()
    return int(conn.execute(select(func.count()).select_from(sub)).scalar_one())


def list_initiatives(
    store: Store, f: InitiativeFilter | None = None, *, limit: int = 200, offset: int = 0
) -> list[Initiative]:
    with store.connect() as conn:
        return read_initiatives(conn, initiative_ids(conn, f or InitiativeFilter(), limit, offset))
