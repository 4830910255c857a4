"""The Digital Gender Equality Index: nominal scores, what they used, and rank intervals.

:func:`compute_index` scores every country with the method's own choices (the *nominal*
scores), lists the indicator values, years and sources behind each score, and runs the Monte
Carlo analysis for the rank intervals. :func:`index_from_panel` does the same from a
:class:`~equals.analysis.panel.Panel` built by hand (tests, notebooks).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from equals.analysis.method import PILLARS, IndexMethod, load_method
from equals.analysis.montecarlo import percentile_ranks, simulate
from equals.analysis.panel import Panel, load_panel, select
from equals.analysis.scoring import competition_ranks, score, truncated_ratio
from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """One observation behind a score: the values, the ratio before and after truncation."""

    indicator: str
    year: int
    female: float
    male: float
    ratio: float | None
    truncated: float | None
    source: str
    licence: str
    female_se: float | None = None
    male_se: float | None = None


@dataclass(frozen=True, slots=True)
class ComponentScore:
    id: str
    title: str
    value: float | None  # mean of the truncated ratios present; None when none
    weight: float | None  # normalised weight within the pillar (None when not present)
    values: tuple[IndicatorValue, ...]


@dataclass(frozen=True, slots=True)
class PillarScore:
    pillar: Pillar
    score: float | None
    components_used: int
    components_required: int
    components_total: int
    components: tuple[ComponentScore, ...]


@dataclass(frozen=True, slots=True)
class CountryIndex:
    country: str
    name: str
    region: str | None
    income_group: str | None
    score: float | None
    pillars: tuple[PillarScore, ...]
    rank: int | None  # nominal rank (method's own choices)
    rank_low: int | None  # interval: MC percentiles, widened to include the nominal rank
    rank_high: int | None
    rank_median: int | None
    rank_p_low: int | None  # the raw Monte Carlo percentiles
    rank_p_high: int | None
    scored_share: float  # share of draws in which the country had an overall score

    def pillar(self, pillar: Pillar) -> PillarScore:
        return next(p for p in self.pillars if p.pillar is pillar)

    @property
    def access(self) -> float | None:
        return self.pillar(Pillar.ACCESS).score

    @property
    def skills(self) -> float | None:
        return self.pillar(Pillar.SKILLS).score

    @property
    def leadership(self) -> float | None:
        return self.pillar(Pillar.LEADERSHIP).score


@dataclass(frozen=True)
class IndexResult:
    method: IndexMethod
    reference_year: int
    first_year: int
    draws: int
    seed: int
    weights: dict[str, float]  # nominal component weights (equal, or WEF SD weights)
    countries: tuple[CountryIndex, ...]  # ranked first (by nominal rank), then unscored by code

    def country(self, code: str) -> CountryIndex:
        for c in self.countries:
            if c.country == code:
                return c
        raise KeyError(code)

    @property
    def ranked(self) -> tuple[CountryIndex, ...]:
        return tuple(c for c in self.countries if c.rank is not None)


def compute_index(
    evidence: Evidence,
    method: IndexMethod | None = None,
    *,
    draws: int | None = None,
    seed: int | None = None,
) -> IndexResult:
    """The index over the store's data (cached per data version and method when the draws and
    seed are the method's own)."""
    method = method or load_method(known_indicators=frozenset(i.id for i in evidence.catalogue))
    panel = load_panel(evidence, method.indicators)
    unc = method.uncertainty
    if (draws, seed) not in ((None, None), (unc.draws, unc.seed)):
        # Other draws or seeds are computed afresh: caching every (draws, seed) a client
        # asks for would let the cache grow with the number of distinct requests.
        return index_from_panel(panel, method, draws=draws, seed=seed)
    key = ("analysis-index", repr(method.to_descriptor()))
    return evidence.cached(key, lambda: index_from_panel(panel, method))


def index_from_panel(
    panel: Panel,
    method: IndexMethod,
    *,
    draws: int | None = None,
    seed: int | None = None,
) -> IndexResult:
    draws = method.uncertainty.draws if draws is None else draws
    seed = method.uncertainty.seed if seed is None else seed
    if not 0 <= draws <= 100_000:
        raise ValidationError(
            Msg("must be between 0 and %(max)s", max=100000), location="draws", code="bad-draws"
        )
    ref = method.reference_year or panel.latest_year
    if ref is None:
        raise ValidationError(Msg("no data for any index indicator"), code="no-data")
    sel = select(panel, ref, method.window)
    comp, w, pill, overall = score(sel.female[None], sel.male[None], method)
    nominal_rank = competition_ranks(overall)[0]
    if draws:
        sim = simulate(panel, method, ref, draws=draws, seed=seed)
        low, med, high, share = percentile_ranks(sim.ranks, method.uncertainty.interval)
    else:
        nan = np.full(len(panel.countries), np.nan)
        low, med, high, share = nan, nan, nan, np.zeros(len(panel.countries))
    ratios = truncated_ratio(sel.female, sel.male, math.inf)
    col = {c.id: k for k, c in enumerate(method.components)}
    ind_col = {ind: j for j, ind in enumerate(method.indicators)}
    rows: list[CountryIndex] = []
    for i, area in enumerate(panel.countries):
        pillars = []
        for p_i, p in enumerate(PILLARS):
            comps = []
            for c_i, c in enumerate(method.components):
                if c.pillar is not p:
                    continue
                vals = []
                for ind in c.indicators:
                    j = ind_col[ind]
                    if np.isnan(sel.female[i, j]):
                        continue
                    info = panel.info(ind)
                    r = _f(ratios[i, j])
                    vals.append(
                        IndicatorValue(
                            indicator=ind,
                            year=int(sel.year[i, j]),
                            female=float(sel.female[i, j]),
                            male=float(sel.male[i, j]),
                            ratio=r,
                            truncated=None if r is None else min(r, method.truncate_at),
                            source=info.source,
                            licence=info.licence,
                            female_se=_f(sel.female_se[i, j]) or None,
                            male_se=_f(sel.male_se[i, j]) or None,
                        )
                    )
                value = _f(comp[0, i, c_i])
                comps.append(ComponentScore(c.id, c.title, value, None, tuple(vals)))
            present = [x for x in comps if x.value is not None]
            total_w = sum(float(w[0, col[x.id]]) for x in present)
            comps = [
                x
                if x.value is None
                else ComponentScore(
                    x.id, x.title, x.value, float(w[0, col[x.id]]) / total_w, x.values
                )
                for x in comps
            ]
            pillars.append(
                PillarScore(
                    pillar=p,
                    score=_f(pill[0, i, p_i]),
                    components_used=len(present),
                    components_required=method.min_components[p],
                    components_total=len(comps),
                    components=tuple(comps),
                )
            )
        rank = _i(nominal_rank[i])
        p_low, p_high = _i(low[i]), _i(high[i])
        rows.append(
            CountryIndex(
                country=area.code,
                name=area.name,
                region=area.region,
                income_group=area.income_group,
                score=_f(overall[0, i]),
                pillars=tuple(pillars),
                rank=rank,
                rank_low=_widen(min, rank, p_low),
                rank_high=_widen(max, rank, p_high),
                rank_median=_i(med[i]),
                rank_p_low=p_low,
                rank_p_high=p_high,
                scored_share=float(share[i]),
            )
        )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.country))
    return IndexResult(
        method=method,
        reference_year=ref,
        first_year=sel.first_year,
        draws=draws,
        seed=seed,
        weights={c.id: float(w[0, k]) for k, c in enumerate(method.components)},
        countries=tuple(rows),
    )


def _widen(pick: Callable[[int, int], int], rank: int | None, value: int | None) -> int | None:
    """The interval bound, widened to include the nominal rank (None when not ranked)."""
    if rank is None:
        return None
    return rank if value is None else pick(rank, value)


def _f(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)


def _i(x: float) -> int | None:
    return None if not math.isfinite(float(x)) else int(x)
