"""Trends and years to parity for one country × indicator (method in ``trend_method.yaml``).

* Female and male series: OLS of ``logit(v/100)`` on the year for percentages within
  (0, 100), else of ``log(v)``; fitted values and projections back-transformed.
* Parity score ``p = F/M``: OLS of ``log p`` on the year (for a female share ``S``,
  ``log(S/(100−S)) = logit(S/100)``). Projection with a prediction interval.
* Years to parity: the first whole year in which the fitted parity score enters the ITU band
  0.98–1.02; the interval runs from the first year in which the prediction interval reaches
  the band to the first year in which all of it is inside the band's near edge (``None`` when
  that is beyond the horizon). ``diverging`` when the fit moves away from the band;
  ``not_at_current_pace`` when the crossing is beyond the horizon; ``insufficient_data``
  below the stated minimum of points or span (never extrapolated).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from enum import StrEnum
from importlib import resources
from typing import Any

import yaml

from equals.analysis.fit import LinearFit, expit, fit_line, logit
from equals.analysis.panel import Point, load_panel
from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.evidence.queries import Evidence


@dataclass(frozen=True, slots=True)
class TrendMethod:
    id: str
    version: str
    min_points: int
    min_span_years: int
    band: tuple[float, float]
    level: float
    horizon: int


@functools.lru_cache(maxsize=1)
def load_trend_method() -> TrendMethod:
    where = "equals/analysis/trend_method.yaml"
    data: Any = yaml.safe_load(
        resources.files("equals.analysis").joinpath("trend_method.yaml").read_text("utf-8")
    )
    try:
        m = TrendMethod(
            id=str(data["id"]),
            version=str(data["version"]),
            min_points=int(data["min_points"]),
            min_span_years=int(data["min_span_years"]),
            band=(float(data["parity_band"][0]), float(data["parity_band"][1])),
            level=float(data["prediction_level"]),
            horizon=int(data["horizon_years"]),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise DataFileError(
            Msg("bad or missing field: %(reason)s", reason=str(exc)), location=where
        ) from exc
    if m.min_points < 3 or m.min_span_years < 2 or not 0 < m.level < 1 or m.horizon < 1:
        raise DataFileError(
            Msg("min_points ≥ 3, min_span_years ≥ 2, 0 < level < 1"), location=where
        )
    return m


class TrendStatus(StrEnum):
    AT_PARITY = "at_parity"
    CONVERGING = "converging"
    NOT_AT_CURRENT_PACE = "not_at_current_pace"
    DIVERGING = "diverging"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True, slots=True)
class Projected:
    year: int
    estimate: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class SeriesTrend:
    transform: str  # "logit" (of v/100), "log"
    slope: float  # per year, on the transformed scale
    intercept: float
    resid_se: float
    fitted: tuple[tuple[int, float], ...]  # at the data years, original units
    projection: tuple[Projected, ...]  # after the last data year, original units


@dataclass(frozen=True, slots=True)
class ParityTrend:
    country: str
    indicator: str
    source: str
    licence: str
    method: TrendMethod
    status: TrendStatus
    message: str
    points: tuple[Point, ...]
    female: SeriesTrend | None = None
    male: SeriesTrend | None = None
    parity: SeriesTrend | None = None
    parity_year: int | None = None
    years_to_parity: int | None = None
    parity_year_low: int | None = None  # earliest year the prediction interval reaches the band
    parity_year_high: int | None = None  # year all of it is past the band's edge (None: beyond)
    annual_change: float | None = None  # % change of the parity score per year: 100(e^b − 1)

    @property
    def first_year(self) -> int | None:
        return self.points[0].year if self.points else None

    @property
    def last_year(self) -> int | None:
        return self.points[-1].year if self.points else None


def _series(
    years: list[int], values: list[float], transform: str, last: int, m: TrendMethod, ahead: int
) -> tuple[SeriesTrend, LinearFit]:
    fwd, back = (
        (lambda v: logit(v / 100.0), lambda z: 100.0 * expit(z))
        if transform == "logit"
        else (math.log, math.exp)
    )
    fit = fit_line([float(y) for y in years], [fwd(v) for v in values])
    proj = []
    for t in range(last + 1, last + ahead + 1):
        lo, hi = fit.interval(t, m.level)
        proj.append(Projected(t, back(fit.predict(t)), back(lo), back(hi)))
    return (
        SeriesTrend(
            transform=transform,
            slope=fit.slope,
            intercept=fit.intercept,
            resid_se=fit.resid_se,
            fitted=tuple((y, back(fit.predict(y))) for y in years),
            projection=tuple(proj),
        ),
        fit,
    )


def _transform(values: list[float], percent: bool) -> str | None:
    if percent and all(0.0 < v < 100.0 for v in values):
        return "logit"
    if all(v > 0.0 for v in values):
        return "log"
    return None


def parity_trend(
    points: tuple[Point, ...],
    *,
    country: str,
    indicator: str,
    percent: bool,
    source: str = "",
    licence: str = "",
    method: TrendMethod | None = None,
) -> ParityTrend:
    """The trend and years to parity of one series of points (ascending years)."""
    m = method or load_trend_method()
    pts = tuple(sorted(points, key=lambda p: p.year))
    base = ParityTrend(
        country=country,
        indicator=indicator,
        source=source,
        licence=licence,
        method=m,
        status=TrendStatus.INSUFFICIENT_DATA,
        message="",
        points=pts,
    )
    n = len(pts)
    span = pts[-1].year - pts[0].year + 1 if pts else 0
    if n < m.min_points or span < m.min_span_years:
        return replace(
            base,
            message=Msg(
                "not enough data to fit a trend: %(points)s point(s) over %(span)s year(s); the "
                "method needs at least %(min_points)s points over at least %(min_span)s years",
                points=n,
                span=span,
                min_points=m.min_points,
                min_span=m.min_span_years,
            ),
        )
    years = [p.year for p in pts]
    fem, mal = [p.female for p in pts], [p.male for p in pts]
    tf, tm = _transform(fem, percent), _transform(mal, percent)
    if tf is None or tm is None:
        return replace(
            base,
            message=Msg("a zero or negative value cannot be fitted on the log or logit scale"),
        )
    last = years[-1]
    ratios = [f / x for f, x in zip(fem, mal, strict=True)]
    parity, fit = _series(years, ratios, "log", last, m, m.horizon)
    b = fit.slope
    change = 100.0 * math.expm1(b)
    fitted = replace(
        base,
        female=_series(years, fem, tf, last, m, m.horizon)[0],
        male=_series(years, mal, tm, last, m, m.horizon)[0],
        parity=parity,
        annual_change=change,
    )
    lo_b, hi_b = math.log(m.band[0]), math.log(m.band[1])
    now = fit.predict(last)
    if lo_b <= now <= hi_b:
        return replace(
            fitted,
            status=TrendStatus.AT_PARITY,
            parity_year=last,
            years_to_parity=0,
            message=Msg(
                "at parity: the fitted parity score is within %(low)s-%(high)s in %(year)s",
                low=m.band[0],
                high=m.band[1],
                year=last,
            ),
        )
    below = now < lo_b
    edge = lo_b if below else hi_b
    low_year, high_year = _interval_years(fit, last, edge, below, m)
    if b == 0:
        return replace(
            fitted,
            status=TrendStatus.NOT_AT_CURRENT_PACE,
            message=Msg("not at current pace: the parity score is not changing"),
        )
    if (below and b < 0) or (not below and b > 0):
        pace = format(change, "+.2f")
        return replace(
            fitted,
            status=TrendStatus.DIVERGING,
            parity_year_low=low_year,
            message=Msg(
                "diverging: the gap against women is widening (%(change)s%% a year in the "
                "parity score)",
                change=pace,
            )
            if below
            else Msg(
                "diverging: the gap in women's favour is widening (%(change)s%% a year in the "
                "parity score)",
                change=pace,
            ),
        )
    crossing = max(math.ceil((edge - fit.intercept) / b - 1e-9), last + 1)
    if crossing - last > m.horizon:
        return replace(
            fitted,
            status=TrendStatus.NOT_AT_CURRENT_PACE,
            parity_year_low=low_year,
            message=Msg(
                "not at current pace: parity would take more than %(horizon)s years after %(year)s",
                horizon=m.horizon,
                year=last,
            ),
        )
    return replace(
        fitted,
        status=TrendStatus.CONVERGING,
        parity_year=crossing,
        years_to_parity=crossing - last,
        parity_year_low=low_year,
        parity_year_high=high_year,
        message=Msg(
            "parity in %(year)s at the current pace (%(years)s years after the last data, "
            "%(last)s)",
            year=crossing,
            years=crossing - last,
            last=last,
        ),
    )


def _interval_years(
    fit: LinearFit, last: int, edge: float, below: bool, m: TrendMethod
) -> tuple[int | None, int | None]:
    """First years (after ``last``, within the horizon) in which the prediction interval
    first reaches the band's edge, and in which it lies wholly past it."""
    first_reach = first_all = None
    for t in range(last + 1, last + m.horizon + 1):
        lo, hi = fit.interval(t, m.level)
        reach, whole = (hi >= edge, lo >= edge) if below else (lo <= edge, hi <= edge)
        if reach and first_reach is None:
            first_reach = t
        if whole:
            first_all = t
            break
    return first_reach, first_all


def country_trend(evidence: Evidence, country: str, indicator: str) -> ParityTrend:
    """The parity trend of one country × indicator (the indicator's default source)."""
    area = evidence.area(country)
    ind = evidence.indicator(indicator)
    panel = load_panel(evidence, (ind.id,))
    info = panel.info(ind.id)
    pts = panel.series.get(ind.id, {}).get(area.code, ())
    return parity_trend(
        pts,
        country=area.code,
        indicator=ind.id,
        percent=ind.unit.startswith("%"),
        source=info.source,
        licence=info.licence,
    )
