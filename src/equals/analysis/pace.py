"""Pace towards parity by region, income group and world, for one indicator.

Each country with a fitted trend (see :mod:`equals.analysis.trends`) contributes the slope
``b`` of its log parity score per year. A group's pace is the mean slope, reported as the
annual % change of the parity score ``100 (e^b̄ − 1)``, twice:

* **unweighted** — each country counts once;
* **population-weighted** — each country weighted by its female population (all ages) in the
  latest year of the World Bank WDI population files (SP.POP.TOTL.FE.IN).

With the counts of countries converging, diverging, at parity and without enough data.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from equals.analysis.headline import female_population_weights
from equals.analysis.panel import load_panel
from equals.analysis.trends import ParityTrend, TrendStatus, parity_trend
from equals.evidence.queries import Evidence
from equals.indicators.sources.wdi_population import CITATION

WEIGHTS_SOURCE = f"{CITATION}; female population, all ages, latest year"


@dataclass(frozen=True, slots=True)
class GroupPace:
    kind: str  # world | region | income_group
    label: str
    indicator: str
    countries_with_trend: int
    pace_unweighted: float | None  # % change of the parity score per year
    pace_weighted: float | None
    weighted_countries: int  # countries with a trend and a population weight
    statuses: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Pace:
    indicator: str
    weights_source: str
    groups: tuple[GroupPace, ...]
    trends: tuple[ParityTrend, ...]


def indicator_trends(evidence: Evidence, indicator: str) -> tuple[ParityTrend, ...]:
    """Every country's parity trend for one indicator (cached per data version)."""
    ind = evidence.indicator(indicator)

    def compute() -> tuple[ParityTrend, ...]:
        panel = load_panel(evidence, (ind.id,))
        info = panel.info(ind.id)
        percent = ind.unit.startswith("%")
        return tuple(
            parity_trend(
                pts,
                country=code,
                indicator=ind.id,
                percent=percent,
                source=info.source,
                licence=info.licence,
            )
            for code, pts in sorted(panel.series.get(ind.id, {}).items())
        )

    return evidence.cached(("analysis-trends", ind.id), compute)


def group_pace(evidence: Evidence, indicator: str) -> Pace:
    trends = indicator_trends(evidence, indicator)
    areas = evidence.areas()
    weights = female_population_weights(evidence)
    groups = [_pace("world", "World", indicator, list(trends), weights)]
    for kind in ("region", "income_group"):
        labels = sorted({getattr(areas[t.country], kind) or "" for t in trends} - {""})
        for label in labels:
            members = [t for t in trends if getattr(areas[t.country], kind) == label]
            groups.append(_pace(kind, label, indicator, members, weights))
    return Pace(evidence.indicator(indicator).id, WEIGHTS_SOURCE, tuple(groups), trends)


def _pace(
    kind: str, label: str, indicator: str, trends: list[ParityTrend], weights: dict[str, float]
) -> GroupPace:
    fitted = [t for t in trends if t.parity is not None]
    slopes = [t.parity.slope for t in fitted if t.parity is not None]
    pairs = [
        (t.parity.slope, weights[t.country])
        for t in fitted
        if t.parity is not None and t.country in weights
    ]
    wsum = sum(w for _, w in pairs)
    return GroupPace(
        kind=kind,
        label=label,
        indicator=indicator,
        countries_with_trend=len(fitted),
        pace_unweighted=100.0 * math.expm1(sum(slopes) / len(slopes)) if slopes else None,
        pace_weighted=(
            100.0 * math.expm1(sum(b * w for b, w in pairs) / wsum) if wsum > 0 else None
        ),
        weighted_countries=len(pairs),
        statuses=tuple(
            sorted(Counter(t.status.value for t in trends).items(), key=lambda kv: kv[0])
        ),
    )


__all__ = ["GroupPace", "Pace", "TrendStatus", "group_pace", "indicator_trends"]
