"""A country's whole picture: every indicator by pillar, trends, peers, and missing data.

Peer comparisons (UN M49 region and sub-region, World Bank income group) are computed here
from the countries' own latest values and are labelled as such: an unweighted mean of the
latest female and male values of the group's countries with data, with the country count and
the span of years used.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import Literal

from equals.core.areas import Area
from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence, GapRow, ObservationRow
from equals.indicators.catalogue import Indicator
from equals.indicators.gaps import Gap, gap_for

GroupKind = Literal["region", "subregion", "income_group"]

COMPARISON_METHOD = (
    "Computed by EQUALS Hub: unweighted mean of the latest values of the {n} countries in "
    "the group with data ({span}); not a published aggregate."
)


@dataclass(frozen=True, slots=True)
class Comparison:
    group_kind: GroupKind
    group: str
    female: float | None
    male: float | None
    gap: Gap
    countries: int
    year_min: int
    year_max: int
    method: str


@dataclass(frozen=True, slots=True)
class ProfileEntry:
    indicator: Indicator
    latest: GapRow | None
    series: tuple[ObservationRow, ...]
    comparisons: tuple[Comparison, ...]


@dataclass(frozen=True, slots=True)
class CountryProfile:
    area: Area
    entries: tuple[ProfileEntry, ...]
    missing: tuple[Indicator, ...]

    def by_pillar(self) -> dict[Pillar, list[ProfileEntry]]:
        out: dict[Pillar, list[ProfileEntry]] = {p: [] for p in Pillar}
        for e in self.entries:
            out[e.indicator.pillar].append(e)
        return out


def group_comparison(
    evidence: Evidence, indicator: Indicator, kind: GroupKind, group: str
) -> Comparison | None:
    """Mean of the group's countries' latest values (default source, no breakdown)."""
    return evidence.cached(
        ("comparison", indicator.id, kind, group),
        lambda: _group_comparison(evidence, indicator, kind, group),
    )


def _group_comparison(
    evidence: Evidence, indicator: Indicator, kind: GroupKind, group: str
) -> Comparison | None:
    rows = [r for r in evidence.gaps(indicator.id) if getattr(r, kind) == group]
    fem = [r.female for r in rows if r.female is not None]
    if not rows or not fem:
        return None
    male = [r.male for r in rows if r.male is not None]
    f = fmean(fem)
    m = fmean(male) if male and len(male) == len(fem) else None
    lo, hi = min(r.year for r in rows), max(r.year for r in rows)
    span = f"{lo}" if lo == hi else f"{lo}–{hi}"
    return Comparison(
        group_kind=kind,
        group=group,
        female=f,
        male=m,
        gap=gap_for(indicator.kind, f, m),
        countries=len(rows),
        year_min=lo,
        year_max=hi,
        method=COMPARISON_METHOD.format(n=len(rows), span=span),
    )


def country_profile(evidence: Evidence, code: str) -> CountryProfile:
    """Everything the platform knows about one country (or aggregate); cached per data version."""
    area = evidence.area(code)
    return evidence.cached(("profile", area.code), lambda: _country_profile(evidence, area))


def _country_profile(evidence: Evidence, area: Area) -> CountryProfile:
    series_all = evidence.observations(country=area.code, breakdown="")
    by_indicator: dict[str, list[ObservationRow]] = {}
    for r in series_all:
        by_indicator.setdefault(r.indicator, []).append(r)
    entries: list[ProfileEntry] = []
    missing: list[Indicator] = []
    for ind in evidence.catalogue:
        rows = by_indicator.get(ind.id, [])
        series = tuple(r for r in rows if r.source == ind.default_source)
        if not rows:
            missing.append(ind)
            continue
        latest = evidence.gap(ind.id, area.code)
        comps: list[Comparison] = []
        groups = (
            ("region", area.region),
            ("subregion", area.subregion),
            ("income_group", area.income_group),
        )
        for kind, group in groups:
            if group:
                c = group_comparison(evidence, ind, kind, group)  # type: ignore[arg-type]
                if c is not None:
                    comps.append(c)
        entries.append(ProfileEntry(ind, latest, series, tuple(comps)))
    return CountryProfile(area=area, entries=tuple(entries), missing=tuple(missing))
