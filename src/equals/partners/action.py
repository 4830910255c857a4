"""Evidence to action: where the gender gap is largest and the fewest initiatives work.

**Under-served ranking** (one row per country with data, per action area):

- ``gap`` = 1 − parity, where parity is ITU's gender parity score F/M of the action area's
  *headline indicator* (``GapMethod.headline``: Access → ``internet_use``, Skills →
  ``ict_graduates``, Leadership → ``women_share_ict_professionals``, whose F/M is women per man)
  at the country's latest year with a comparison (the evidence layer's gap table). Positive:
  women are behind; 0.25 means women's value is a quarter below men's.
- ``initiatives`` = active initiatives that name the country and the action area (and the target
  group, when filtered). Active: IATI status 2 (Implementation) and information no older than
  the freshness rule's inactive bound (two years by default). Region-level initiatives without
  countries are not counted.
- ``score`` = max(gap, 0) / (1 + initiatives): the gap, divided among the initiatives working
  on it. Most under-served first (score, then gap, descending; then country code). A country at
  or above parity scores 0. Countries without a comparison for the headline indicator are left
  out (the evidence pages show what is missing).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pydantic import BaseModel, Field
from sqlalchemy import Connection, and_, func, select

from equals.core.i18n import N_
from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence
from equals.partners import codes
from equals.partners.common import stamp
from equals.partners.freshness import FreshnessRule
from equals.store.tables import partners as t
from equals.store.tables.sessions import organizations

HEADLINE: Mapping[Pillar, str] = MappingProxyType(
    {
        Pillar.ACCESS: "internet_use",
        Pillar.SKILLS: "ict_graduates",
        Pillar.LEADERSHIP: "women_share_ict_professionals",
    }
)


@dataclass(frozen=True, slots=True)
class GapMethod:
    headline: Mapping[Pillar, str] = field(default_factory=lambda: HEADLINE)
    rule: FreshnessRule = field(default_factory=FreshnessRule)

    def cutoff(self) -> str:
        today = self.rule.today or dt.datetime.now(dt.UTC).date()
        return (today - dt.timedelta(days=self.rule.inactive_days)).isoformat()


class ActionGap(BaseModel):
    country: str = Field(description="ISO 3166-1 alpha-3.")
    pillar: str
    gap: float = Field(description="1 − parity (F/M) of the headline indicator; >0: women behind.")
    initiatives: int = Field(description="Active initiatives in this country and action area.")
    score: float = Field(description="max(gap, 0) / (1 + initiatives); higher = more under-served.")
    rank: int
    country_name: str
    parity: float
    indicator: str
    year: int
    female: float | None
    male: float | None
    source: str
    licence: str
    budgets: dict[str, float] = Field(description="Sum of active initiatives' budgets by currency.")


def score(gap: float, initiatives: int) -> float:
    return max(gap, 0.0) / (1 + initiatives)


def _active(method: GapMethod) -> list[object]:
    i = t.initiatives
    return [i.c.status == codes.ACTIVE_STATUS, i.c.as_of >= method.cutoff()]


def active_counts(
    conn: Connection, pillar: Pillar, method: GapMethod, target_group: str | None = None
) -> dict[str, tuple[int, dict[str, float]]]:
    """Country → (active initiatives in the action area, budgets by currency); one aggregate
    query (an initiative has one currency, so counts per currency add up)."""
    i, c, a = t.initiatives, t.initiative_countries, t.initiative_areas
    q = (
        select(c.c.country, i.c.currency, func.count(i.c.id), func.sum(i.c.budget))
        .join(i, i.c.id == c.c.initiative_id)
        .join(a, and_(a.c.initiative_id == i.c.id, a.c.area == pillar.value))
        .where(*_active(method))  # type: ignore[arg-type]
        .group_by(c.c.country, i.c.currency)
    )
    if target_group:
        g = t.initiative_groups
        q = q.where(i.c.id.in_(select(g.c.initiative_id).where(g.c.target_group == target_group)))
    out: dict[str, tuple[int, dict[str, float]]] = {}
    for country, currency, n, budget in conn.execute(q):
        total, budgets = out.get(country, (0, {}))
        if budget is not None and currency:
            budgets[currency] = budgets.get(currency, 0.0) + float(budget)
        out[country] = (total + int(n), budgets)
    return out


def action_gaps(
    evidence: Evidence,
    pillar: Pillar,
    *,
    target_group: str | None = None,
    method: GapMethod | None = None,
) -> list[ActionGap]:
    """The under-served ranking of one action area (formula in the module docstring)."""
    method = method or GapMethod()
    if target_group:
        codes.check_code("TargetGroup", target_group, "target_group")
    with evidence.store.connect() as conn:
        stamp = registry_stamp(conn)
    key = (
        "action-gaps",
        pillar.value,
        target_group,
        method.cutoff(),
        stamp,
        tuple(method.headline.items()),
    )
    result: list[ActionGap] = evidence.cached(
        key, lambda: _action_gaps(evidence, pillar, target_group, method)
    )
    return result


def registry_stamp(conn: Connection) -> str:
    """The registry's change counter (raised by every initiative, progress, merge and example
    write, see :func:`equals.partners.common.touch`): a cache key for derived views."""
    return stamp(conn)


def _action_gaps(
    evidence: Evidence, pillar: Pillar, target_group: str | None, method: GapMethod
) -> list[ActionGap]:
    indicator = method.headline[pillar]
    rows = evidence.gaps(indicator)
    with evidence.store.connect() as conn:
        counts = active_counts(conn, pillar, method, target_group)
    out = []
    for r in rows:
        if r.gap.parity is None:
            continue
        n, budgets = counts.get(r.area, (0, {}))
        gap = 1.0 - r.gap.parity
        out.append(
            ActionGap(
                country=r.area,
                pillar=pillar.value,
                gap=gap,
                initiatives=n,
                score=score(gap, n),
                rank=0,
                country_name=r.area_name,
                parity=r.gap.parity,
                indicator=indicator,
                year=r.year,
                female=r.female,
                male=r.male,
                source=r.source,
                licence=r.licence,
                budgets=budgets,
            )
        )
    out.sort(key=lambda x: (-x.score, -x.gap, x.country))
    return [x.model_copy(update={"rank": k}) for k, x in enumerate(out, 1)]


class WhoRow(BaseModel):
    organization_id: str
    organization: str
    action_area: str
    target_group: str
    target_group_label: str
    initiatives: list[int]


class Overlap(BaseModel):
    country: str
    action_area: str
    target_group: str
    target_group_label: str
    initiatives: list[int]
    leads: list[str] = Field(description="Lead organisations (two or more: coordinate).")


def who_does_what(
    conn: Connection, country: str, method: GapMethod | None = None
) -> tuple[list[WhoRow], list[Overlap]]:
    """Per country: which partners (leads and participants) work on which action area for
    which target group (active initiatives); and likely overlaps, i.e. the same action area and
    target group taken on by initiatives of two or more different lead organisations."""
    method = method or GapMethod()
    i, c, a, g, p = (
        t.initiatives,
        t.initiative_countries,
        t.initiative_areas,
        t.initiative_groups,
        t.initiative_participants,
    )
    base = (
        select(i.c.id, i.c.lead_organization_id, a.c.area, func.coalesce(g.c.target_group, ""))
        .join(c, and_(c.c.initiative_id == i.c.id, c.c.country == country))
        .join(a, a.c.initiative_id == i.c.id)
        .outerjoin(g, g.c.initiative_id == i.c.id)
        .where(*_active(method))  # type: ignore[arg-type]
    )
    rows = conn.execute(base).all()
    ids = sorted({int(r[0]) for r in rows})
    orgs_of: dict[int, set[str]] = defaultdict(set)
    for iid, lead, _, _ in rows:
        orgs_of[int(iid)].add(str(lead))
    for iid, oid in conn.execute(
        select(p.c.initiative_id, p.c.organization_id).where(p.c.initiative_id.in_(ids))
    ):
        orgs_of[int(iid)].add(str(oid))
    names = dict(
        conn.execute(
            select(organizations.c.id, organizations.c.name).where(
                organizations.c.id.in_({o for s in orgs_of.values() for o in s})
            )
        ).all()
    )
    cells: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    leads: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for iid, lead, area, group in rows:
        for oid in orgs_of[int(iid)]:
            cells[(oid, area, group)].add(int(iid))
        if group:
            leads[(area, group)][str(lead)].add(int(iid))
    who = [
        WhoRow(
            organization_id=oid,
            organization=str(names.get(oid, oid)),
            action_area=area,
            target_group=group,
            target_group_label=codes.label("TargetGroup", group) if group else N_("(not stated)"),
            initiatives=sorted(v),
        )
        for (oid, area, group), v in cells.items()
    ]
    who.sort(key=lambda w: (w.organization.casefold(), w.action_area, w.target_group))
    overlaps = [
        Overlap(
            country=country,
            action_area=area,
            target_group=group,
            target_group_label=codes.label("TargetGroup", group),
            initiatives=sorted({x for s in by_lead.values() for x in s}),
            leads=sorted(str(names.get(o, o)) for o in by_lead),
        )
        for (area, group), by_lead in leads.items()
        if len(by_lead) >= 2
    ]
    overlaps.sort(key=lambda o: (o.action_area, o.target_group))
    return who, overlaps


class PillarAction(BaseModel):
    pillar: str
    indicator: str
    gap: ActionGap | None = Field(description="None when the headline indicator has no comparison.")
    initiatives: list[int] = Field(description="Active initiatives in the country and area.")
    partners: list[str] = Field(description="Their lead and participating organisations.")
    budgets: dict[str, float]


def country_action(
    evidence: Evidence, country: str, method: GapMethod | None = None
) -> list[PillarAction]:
    """Per action area: the country's gap (its row of the ranking) beside the active
    initiatives working there, their organisations and budgets. Three queries, whatever the
    number of initiatives (the ranking rows come from its cache)."""
    method = method or GapMethod()
    code = codes.check_country(country, "country")
    i, c, a, p = (
        t.initiatives,
        t.initiative_countries,
        t.initiative_areas,
        t.initiative_participants,
    )
    with evidence.store.connect() as conn:
        rows = conn.execute(
            select(a.c.area, i.c.id, i.c.lead_organization_id, i.c.currency, i.c.budget)
            .join(c, and_(c.c.initiative_id == i.c.id, c.c.country == code))
            .join(a, a.c.initiative_id == i.c.id)
            .where(*_active(method))  # type: ignore[arg-type]
        ).all()
        ids = {int(r[1]) for r in rows}
        orgs_of: dict[int, set[str]] = defaultdict(set)
        for _, iid, lead, _, _ in rows:
            orgs_of[int(iid)].add(str(lead))
        for iid, oid in conn.execute(
            select(p.c.initiative_id, p.c.organization_id).where(p.c.initiative_id.in_(ids))
        ):
            orgs_of[int(iid)].add(str(oid))
        names = {
            str(k): str(v)
            for k, v in conn.execute(
                select(organizations.c.id, organizations.c.name).where(
                    organizations.c.id.in_({o for s in orgs_of.values() for o in s})
                )
            )
        }
    out = []
    for pillar in Pillar:
        row = next(
            (r for r in action_gaps(evidence, pillar, method=method) if r.country == code), None
        )
        mine = [r for r in rows if r[0] == pillar.value]
        budgets: dict[str, float] = {}
        for _, _, _, currency, budget in mine:
            if budget is not None and currency:
                budgets[currency] = budgets.get(currency, 0.0) + float(budget)
        here = sorted({int(r[1]) for r in mine})
        out.append(
            PillarAction(
                pillar=pillar.value,
                indicator=method.headline[pillar],
                gap=row,
                initiatives=here,
                partners=sorted({names.get(o, o) for iid in here for o in orgs_of[iid]}),
                budgets=budgets,
            )
        )
    return out
