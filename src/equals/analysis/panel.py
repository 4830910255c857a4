"""The analysis inputs: each index indicator's sex-disaggregated series per country.

A :class:`Panel` holds, for every indicator of a method, the points ``(year, F, M, SEs)`` of
every country from the indicator's default source (whole population, no breakdown), where a
comparison is computable: a female and a male value, or a female share ``S`` (stored with
``M = 100 − S``). :func:`select` picks each country's latest point within a window and lays
the values out as ``n × k`` arrays for the scoring formulas.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from equals.analysis.scoring import FloatArray
from equals.core.areas import Area
from equals.core.vocabulary import IndicatorKind
from equals.evidence.queries import Evidence
from equals.store import schema


@dataclass(frozen=True, slots=True)
class Point:
    year: int
    female: float
    male: float
    female_se: float | None = None
    male_se: float | None = None


@dataclass(frozen=True, slots=True)
class SeriesInfo:
    indicator: str
    kind: IndicatorKind
    source: str
    licence: str
    citation: str


@dataclass(frozen=True)
class Panel:
    """Series by indicator and country (points ascending by year), and the countries."""

    indicators: tuple[SeriesInfo, ...]
    series: Mapping[str, Mapping[str, tuple[Point, ...]]]
    countries: tuple[Area, ...]

    @property
    def latest_year(self) -> int | None:
        years = [p.year for by_c in self.series.values() for pts in by_c.values() for p in pts]
        return max(years) if years else None

    def info(self, indicator: str) -> SeriesInfo:
        return next(i for i in self.indicators if i.indicator == indicator)


@dataclass(frozen=True)
class Selection:
    """Each country's latest point per indicator within ``[first_year, last_year]``."""

    first_year: int
    last_year: int
    female: FloatArray  # n × k, NaN where no point
    male: FloatArray
    female_se: FloatArray  # 0 where no SE was published
    male_se: FloatArray
    year: FloatArray


def panel_from_points(
    infos: Sequence[SeriesInfo],
    points: Mapping[str, Mapping[str, Sequence[Point]]],
    countries: Sequence[Area],
) -> Panel:
    """A panel from plain points (what tests and notebooks build by hand)."""
    series = {
        i.indicator: {
            c: tuple(sorted(p, key=lambda x: x.year))
            for c, p in points.get(i.indicator, {}).items()
        }
        for i in infos
    }
    return Panel(tuple(infos), series, tuple(countries))


def load_panel(evidence: Evidence, indicators: Sequence[str]) -> Panel:
    """The panel of ``indicators`` from the store (cached per data version).

    One query over the observations of the indicators' default sources (whole population),
    rather than one :meth:`Evidence.observations` call per indicator.
    """

    def compute() -> Panel:
        areas = evidence.areas()
        sources = evidence.sources()
        inds = [evidence.indicator(i) for i in indicators]
        infos = []
        for ind in inds:
            src = sources[ind.default_source]
            infos.append(SeriesInfo(ind.id, ind.kind, src.id, src.licence, src.cite()))
        wanted = {(ind.id, ind.default_source) for ind in inds}
        o = schema.observations
        q = sa.select(
            o.c.indicator_id, o.c.source_id, o.c.area_code, o.c.year, o.c.sex, o.c.value, o.c.se
        ).where(
            o.c.indicator_id.in_([i.id for i in inds]),
            o.c.source_id.in_(sorted({s for _, s in wanted})),
            o.c.breakdown == "",
        )
        by_key: dict[tuple[str, str, int], dict[str, tuple[float, float | None]]] = defaultdict(
            dict
        )
        with evidence.store.connect() as conn:
            for ind_id, src_id, area, year, sex, value, se in conn.execute(q):
                if (ind_id, src_id) in wanted and areas[area].is_country:
                    by_key[(ind_id, area, year)][sex] = (value, se)
        kinds = {ind.id: ind.kind for ind in inds}
        by_country: dict[str, dict[str, list[Point]]] = {i.id: defaultdict(list) for i in inds}
        for (ind_id, area, year), v in by_key.items():
            if "female" not in v:
                continue
            f, f_se = v["female"]
            if kinds[ind_id] is IndicatorKind.FEMALE_SHARE:
                by_country[ind_id][area].append(Point(year, f, 100.0 - f, f_se, f_se))
            elif "male" in v:
                m, m_se = v["male"]
                by_country[ind_id][area].append(Point(year, f, m, f_se, m_se))
        series = {
            ind_id: {c: tuple(sorted(p, key=lambda x: x.year)) for c, p in pts.items()}
            for ind_id, pts in by_country.items()
        }
        countries = tuple(sorted((a for a in areas.values() if a.is_country), key=lambda a: a.code))
        return Panel(tuple(infos), series, countries)

    return evidence.cached(("analysis-panel", tuple(indicators)), compute)


def select(panel: Panel, last_year: int, window: int) -> Selection:
    """Latest point of each country × indicator in the ``window`` years up to ``last_year``."""
    first = last_year - window + 1
    n, k = len(panel.countries), len(panel.indicators)
    arrays = {name: np.full((n, k), np.nan) for name in ("f", "m", "fs", "ms", "y")}
    for j, info in enumerate(panel.indicators):
        by_country = panel.series.get(info.indicator, {})
        for i, area in enumerate(panel.countries):
            pts = by_country.get(area.code)
            if not pts:
                continue
            at = bisect.bisect_right([p.year for p in pts], last_year) - 1
            if at < 0 or pts[at].year < first:
                continue
            best = pts[at]
            arrays["f"][i, j] = best.female
            arrays["m"][i, j] = best.male
            arrays["fs"][i, j] = best.female_se or 0.0
            arrays["ms"][i, j] = best.male_se or 0.0
            arrays["y"][i, j] = best.year
    return Selection(
        first,
        last_year,
        arrays["f"],
        arrays["m"],
        np.nan_to_num(arrays["fs"]),
        np.nan_to_num(arrays["ms"]),
        arrays["y"],
    )
