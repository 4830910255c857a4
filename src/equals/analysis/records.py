"""Flat records of analysis results, the shapes the CLI prints and the API exports as CSV."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from equals.analysis.audit import AuditCell, AuditSummary, CountryCoverage
from equals.analysis.index import IndexResult
from equals.analysis.trends import ParityTrend

INDEX_KEYS = ("country", "score", "access", "skills", "leadership", "rank", "rank_low", "rank_high")
INDEX_TABLE_KEYS = (
    "country",
    "name",
    "score",
    "access",
    "skills",
    "leadership",
    "rank",
    "rank_low",
    "rank_high",
)


def index_records(result: IndexResult, *, names: bool = False) -> list[dict[str, Any]]:
    """One record per country (ranked first): the JSON shape of ``equals index``."""
    out = []
    for c in result.countries:
        rec: dict[str, Any] = {"country": c.country}
        if names:
            rec["name"] = c.name
        rec |= {
            "score": c.score,
            "access": c.access,
            "skills": c.skills,
            "leadership": c.leadership,
            "rank": c.rank,
            "rank_low": c.rank_low,
            "rank_high": c.rank_high,
        }
        out.append(rec)
    return out


DATA_GAP_KEYS = ("country", "indicator", "latest_year", "by_sex")
DATA_GAP_DETAIL_KEYS = (
    *DATA_GAP_KEYS,
    "status",
    "age",
    "latest_total_year",
    "years_by_sex",
    "pillar",
    "sources",
)
SUMMARY_KEYS = (
    "group",
    "label",
    "cells",
    "recent",
    "old",
    "total_only",
    "one_sex_only",
    "missing",
    "by_sex_share",
    "recent_share",
    "median_age",
)
COVERAGE_KEYS = (
    "country",
    "name",
    "region",
    "income_group",
    "indicators",
    "recent",
    "by_sex",
    "total_only",
    "missing",
    "recent_share",
)


def data_gap_records(
    cells: Iterable[AuditCell], *, detail: bool = False, flat: bool = False
) -> list[dict[str, Any]]:
    """``flat`` joins the source ids with ``;`` (for CSV and tables)."""
    out = []
    for c in cells:
        rec: dict[str, Any] = {
            "country": c.country,
            "indicator": c.indicator,
            "latest_year": c.latest_year,
            "by_sex": c.by_sex,
        }
        if detail:
            rec |= {
                "status": c.status.value,
                "age": c.age,
                "latest_total_year": c.latest_total_year,
                "years_by_sex": c.years_by_sex,
                "pillar": c.pillar,
                "sources": ";".join(c.sources) if flat else list(c.sources),
            }
        out.append(rec)
    return out


def summary_records(rows: Iterable[AuditSummary]) -> list[dict[str, Any]]:
    return [
        {k: getattr(r, k) for k in SUMMARY_KEYS if k not in ("by_sex_share", "recent_share")}
        | {"by_sex_share": r.by_sex_share, "recent_share": r.recent_share}
        for r in rows
    ]


def coverage_records(rows: Iterable[CountryCoverage]) -> list[dict[str, Any]]:
    return [
        {k: getattr(r, k) for k in COVERAGE_KEYS if k != "recent_share"}
        | {"recent_share": r.recent_share}
        for r in rows
    ]


TREND_ROW_KEYS = (
    "year",
    "kind",
    "female",
    "male",
    "parity",
    "parity_fitted",
    "parity_low",
    "parity_high",
)


def trend_summary(t: ParityTrend) -> dict[str, Any]:
    """The years-to-parity answer of one country × indicator, with the method stated."""
    m = t.method
    return {
        "country": t.country,
        "indicator": t.indicator,
        "source": t.source,
        "licence": t.licence,
        "status": t.status.value,
        "message": t.message,
        "points": len(t.points),
        "first_year": t.first_year,
        "last_year": t.last_year,
        "parity_year": t.parity_year,
        "years_to_parity": t.years_to_parity,
        "parity_year_low": t.parity_year_low,
        "parity_year_high": t.parity_year_high,
        "annual_change_pct": t.annual_change,
        "method": {
            "id": m.id,
            "version": m.version,
            "fit": "OLS of log(F/M) on the year; F and M on logit(v/100) (log if not a %)",
            "parity_band": list(m.band),
            "prediction_level": m.level,
            "min_points": m.min_points,
            "min_span_years": m.min_span_years,
            "horizon_years": m.horizon,
        },
    }


def trend_rows(t: ParityTrend) -> list[dict[str, Any]]:
    """Observed years (with the fitted parity) then projected years (with the interval)."""
    fitted = dict(t.parity.fitted) if t.parity is not None else {}
    rows: list[dict[str, Any]] = [
        {
            "year": p.year,
            "kind": "observed",
            "female": p.female,
            "male": p.male,
            "parity": p.female / p.male if p.male else None,
            "parity_fitted": fitted.get(p.year),
            "parity_low": None,
            "parity_high": None,
        }
        for p in t.points
    ]
    if t.parity is not None and t.female is not None and t.male is not None:
        for pp, fp, mp in zip(
            t.parity.projection, t.female.projection, t.male.projection, strict=True
        ):
            rows.append(
                {
                    "year": pp.year,
                    "kind": "projected",
                    "female": fp.estimate,
                    "male": mp.estimate,
                    "parity": None,
                    "parity_fitted": pp.estimate,
                    "parity_low": pp.low,
                    "parity_high": pp.high,
                }
            )
            if t.parity_year is not None and pp.year >= max(t.parity_year, t.parity_year_high or 0):
                break
    return rows
