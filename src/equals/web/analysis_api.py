"""Analysis API under ``/api/v1/analysis``: index, data gaps, years to parity, pace, headlines.

Each route calls :mod:`equals.analysis` and formats the result. ``format=csv`` gives the table
behind a chart; ``/api/v1/analysis/zip/…`` gives it with a metadata sheet (what every column
means) and the citation (method version and every source with its licence), as OWID grapher
downloads do. The zip routes are downloads for the pages' charts and stay out of the OpenAPI
document (a binary body is not a JSON API answer).
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from equals.analysis import records
from equals.analysis.audit import data_gap_audit
from equals.analysis.headline import headlines
from equals.analysis.index import CountryIndex, IndexResult, compute_index
from equals.analysis.method import Aggregation, WeightScheme, load_method
from equals.analysis.pace import group_pace
from equals.analysis.quality import load_quality
from equals.analysis.trends import country_trend
from equals.core.errors import NotFoundError
from equals.evidence.queries import Evidence
from equals.web import analysis_models as m
from equals.web.chart_sheet import csv_download, zip_download
from equals.web.deps import get_evidence

router = APIRouter(prefix="/api/v1/analysis", tags=["analysis"])
Ev = Annotated[Evidence, Depends(get_evidence)]
MAX_DRAWS = 2000
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON (default) or CSV (format=csv)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


class Export(StrEnum):
    json = "json"
    csv = "csv"


class SummaryBy(StrEnum):
    indicator = "indicator"
    pillar = "pillar"
    region = "region"
    income_group = "income_group"


def _csv_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
    return buf.getvalue()


def _download(
    fmt: str,
    name: str,
    rows: list[dict[str, Any]],
    columns: list[str],
    meta: dict[str, str],
    citation: str,
) -> Response:
    """The table behind a chart as CSV, or as a zip with its metadata sheet and citation (the
    shared download helpers of :mod:`equals.web.chart_sheet`)."""
    data = _csv_text(rows, columns)
    if fmt == "csv":
        return csv_download(name, data)
    sheet = [{"column": c, "description": meta.get(c, "")} for c in columns]
    files = {
        f"{name}.csv": data,
        f"{name}.metadata.csv": _csv_text(sheet, ["column", "description"]),
        "CITATION.txt": citation,
    }
    return zip_download(name, files)


def _sources_citation(ev: Evidence, source_ids: set[str]) -> str:
    srcs = ev.sources()
    return "\n".join(srcs[s].cite() for s in sorted(source_ids) if s in srcs)


def _country_out(c: CountryIndex) -> dict[str, Any]:
    return {
        "country": c.country,
        "name": c.name,
        "region": c.region,
        "income_group": c.income_group,
        "score": c.score,
        "access": c.access,
        "skills": c.skills,
        "leadership": c.leadership,
        "rank": c.rank,
        "rank_low": c.rank_low,
        "rank_high": c.rank_high,
        "rank_median": c.rank_median,
        "scored_share": c.scored_share,
    }


def _index(
    ev: Evidence,
    draws: int | None,
    seed: int | None,
    weights: WeightScheme | None,
    window: int | None,
    aggregation: Aggregation | None,
) -> IndexResult:
    method = load_method(known_indicators=frozenset(i.id for i in ev.catalogue))
    method = method.with_choices(weights=weights, window=window, aggregation=aggregation)
    return compute_index(ev, method, draws=draws, seed=seed)


INDEX_META = {
    "country": "ISO 3166-1 alpha-3 code",
    "name": "Country or territory name",
    "region": "UN region",
    "income_group": "World Bank income group",
    "score": "Overall index, 0-1 (1 = parity or better in every pillar); empty when a pillar "
    "has too few indicators",
    "access": "Access pillar score, 0-1",
    "skills": "Skills pillar score, 0-1",
    "leadership": "Leadership pillar score, 0-1",
    "rank": "Rank under the method's own choices (1 = closest to parity)",
    "rank_low": "Rank interval, best end (5th percentile of the Monte Carlo ranks, widened to "
    "include the rank)",
    "rank_high": "Rank interval, worst end (95th percentile, widened to include the rank)",
    "rank_median": "Median Monte Carlo rank",
    "scored_share": "Share of Monte Carlo draws in which the country had a score",
}


@router.get(
    "/index",
    response_model=m.IndexOut,
    responses=EXPORT_RESPONSES,
    summary="Digital Gender Equality Index",
)
def get_index(
    ev: Ev,
    draws: Annotated[int | None, Query(ge=0, le=MAX_DRAWS)] = None,
    seed: Annotated[int | None, Query(ge=0, le=2**32 - 1)] = None,
    weights: WeightScheme | None = None,
    window: Annotated[int | None, Query(ge=1, le=50)] = None,
    aggregation: Aggregation | None = None,
    format: Export = Export.json,
) -> Any:
    """Every country's score, pillar scores and rank with its Monte Carlo rank interval."""
    return _index_answer(ev, draws, seed, weights, window, aggregation, format.value)


@router.get("/zip/index", include_in_schema=False)
def get_index_zip(
    ev: Ev,
    draws: Annotated[int | None, Query(ge=0, le=MAX_DRAWS)] = None,
    seed: Annotated[int | None, Query(ge=0, le=2**32 - 1)] = None,
    weights: WeightScheme | None = None,
    window: Annotated[int | None, Query(ge=1, le=50)] = None,
    aggregation: Aggregation | None = None,
) -> Response:
    """The index as a zip: CSV, metadata sheet, citation."""
    answer: Response = _index_answer(ev, draws, seed, weights, window, aggregation, "zip")
    return answer


def _index_answer(
    ev: Evidence,
    draws: int | None,
    seed: int | None,
    weights: WeightScheme | None,
    window: int | None,
    aggregation: Aggregation | None,
    kind: str,
) -> Any:
    result = _index(ev, draws, seed, weights, window, aggregation)
    rows = [_country_out(c) for c in result.countries]
    if kind != "json":
        method = result.method
        citation = (
            f"EQUALS Hub, {method.title}, method {method.id} {method.version}; data "
            f"{result.first_year}-{result.reference_year}; rank intervals from {result.draws} "
            f"Monte Carlo draws (seed {result.seed}).\nSources:\n"
            + _sources_citation(ev, {ev.indicator(i).default_source for i in method.indicators})
        )
        return _download(kind, "equals-index", rows, list(INDEX_META), INDEX_META, citation)
    return {
        "method": result.method.to_descriptor(),
        "reference_year": result.reference_year,
        "first_year": result.first_year,
        "draws": result.draws,
        "seed": result.seed,
        "interval": list(result.method.uncertainty.interval),
        "weights": result.weights,
        "countries": rows,
    }


@router.get("/index/{code}", response_model=m.IndexCountryDetailOut, summary="A country's card")
def get_index_country(code: str, ev: Ev) -> Any:
    """Pillar scores, the indicators, years and sources behind them, and the rank interval."""
    area = ev.area(code)
    result = _index(ev, None, None, None, None, None)
    if not area.is_country:
        raise NotFoundError("country", code)
    c = result.country(area.code)
    return {
        **_country_out(c),
        "pillars": [{**asdict(p), "pillar": p.pillar.value} for p in c.pillars],
        "method_id": result.method.id,
        "method_version": result.method.version,
        "reference_year": result.reference_year,
        "first_year": result.first_year,
    }


@router.get("/method", summary="The index method descriptor (versioned)")
def get_method(ev: Ev) -> dict[str, Any]:
    return load_method(known_indicators=frozenset(i.id for i in ev.catalogue)).to_descriptor()


GAP_META = {
    "country": "ISO 3166-1 alpha-3 code",
    "indicator": "Catalogue indicator id",
    "latest_year": "Latest year with data by sex; if none, latest year of any value; empty: none",
    "by_sex": "Whether any sex-disaggregated value exists",
    "status": "recent / old / total_only / one_sex_only / missing",
    "age": "Reference year minus latest_year",
    "latest_total_year": "Latest year with a total (both sexes) value",
    "years_by_sex": "Number of years with data by sex",
    "pillar": "Action area",
    "sources": "Sources holding any value (;-separated)",
}


@router.get(
    "/data-gaps",
    response_model=m.DataGapsOut,
    responses=EXPORT_RESPONSES,
    summary="Data-gap audit cells",
)
def get_data_gaps(
    ev: Ev,
    indicator: str | None = None,
    country: str | None = None,
    recent_years: Annotated[int, Query(ge=0, le=100)] = 5,
    format: Export = Export.json,
) -> Any:
    """For every country × indicator: latest year by sex, age, total-only, sources."""
    return _data_gaps_answer(ev, indicator, country, recent_years, format.value)


@router.get("/zip/data-gaps", include_in_schema=False)
def get_data_gaps_zip(
    ev: Ev,
    indicator: str | None = None,
    country: str | None = None,
    recent_years: Annotated[int, Query(ge=0, le=100)] = 5,
) -> Response:
    answer: Response = _data_gaps_answer(ev, indicator, country, recent_years, "zip")
    return answer


def _data_gaps_answer(
    ev: Evidence, indicator: str | None, country: str | None, recent_years: int, kind: str
) -> Any:
    ind = ev.indicator(indicator).id if indicator else None
    code = ev.area(country).code if country else None
    audit = data_gap_audit(ev, recent_years=recent_years)
    cells = [
        c
        for c in audit.cells
        if (ind is None or c.indicator == ind) and (code is None or c.country == code)
    ]
    rows = records.data_gap_records(cells, detail=True)
    if kind != "json":
        citation = (
            f"EQUALS Hub data-gap audit, reference year {audit.reference_year}, recent = "
            f"{recent_years} years or newer.\nSources:\n"
            + _sources_citation(ev, {s for c in cells for s in c.sources})
        )
        return _download(kind, "equals-data-gaps", rows, list(GAP_META), GAP_META, citation)
    return {"reference_year": audit.reference_year, "recent_years": recent_years, "cells": rows}


@router.get(
    "/data-gaps/summary", response_model=list[m.GapSummaryOut], summary="Data gaps by group"
)
def get_data_gap_summary(
    ev: Ev, by: SummaryBy = SummaryBy.pillar, recent_years: Annotated[int, Query(ge=0, le=100)] = 5
) -> Any:
    return records.summary_records(data_gap_audit(ev, recent_years=recent_years).summary(by.value))


@router.get(
    "/data-gaps/countries",
    response_model=list[m.CountryCoverageOut],
    summary="Where the partnership knows least (fewest indicators with recent data by sex)",
)
def get_data_gap_countries(ev: Ev, recent_years: Annotated[int, Query(ge=0, le=100)] = 5) -> Any:
    return records.coverage_records(data_gap_audit(ev, recent_years=recent_years).coverage())


@router.get("/quality", response_model=list[m.QualityNoteOut], summary="Quality notes")
def get_quality(ev: Ev) -> Any:
    notes = load_quality([i.id for i in ev.catalogue])
    return [{**asdict(n)} for n in notes.values()]


TREND_META = {
    "year": "Year",
    "kind": "observed, or projected by the fitted trend",
    "female": "Women's value (projected: fitted on the logit scale)",
    "male": "Men's value (for a female-share indicator: 100 - the women's share)",
    "parity": "Observed parity score F/M",
    "parity_fitted": "Fitted parity score (OLS of log F/M on the year)",
    "parity_low": "95% prediction interval, low",
    "parity_high": "95% prediction interval, high",
}


@router.get(
    "/parity-years/{code}/{indicator}",
    response_model=m.ParityYearsOut,
    responses=EXPORT_RESPONSES,
    summary="Trend and years to parity of one country × indicator",
)
def get_parity_years(code: str, indicator: str, ev: Ev, format: Export = Export.json) -> Any:
    return _parity_answer(ev, code, indicator, format.value)


@router.get("/zip/parity-years/{code}/{indicator}", include_in_schema=False)
def get_parity_years_zip(code: str, indicator: str, ev: Ev) -> Response:
    answer: Response = _parity_answer(ev, code, indicator, "zip")
    return answer


def _parity_answer(ev: Evidence, code: str, indicator: str, kind: str) -> Any:
    trend = country_trend(ev, code, indicator)
    rows = records.trend_rows(trend)
    if kind != "json":
        s = records.trend_summary(trend)
        citation = (
            f"EQUALS Hub, years to parity ({s['method']['id']} {s['method']['version']}): "
            f"{trend.message}.\nSource:\n" + _sources_citation(ev, {trend.source})
        )
        name = f"equals-parity-{trend.country}-{trend.indicator}"
        return _download(kind, name, rows, list(TREND_META), TREND_META, citation)
    return {**records.trend_summary(trend), "series": rows}


@router.get("/pace/{indicator}", response_model=m.PaceOut, summary="Pace towards parity by group")
def get_pace(indicator: str, ev: Ev) -> Any:
    pace = group_pace(ev, indicator)
    return {
        "indicator": pace.indicator,
        "weights_source": pace.weights_source,
        "groups": [{**asdict(g), "statuses": dict(g.statuses)} for g in pace.groups],
    }


@router.get(
    "/headlines/{indicator}",
    response_model=m.HeadlinesOut,
    summary="How many women and men do not use the Internet, own no phone, have no account",
)
def get_headlines(indicator: str, ev: Ev) -> Any:
    h = headlines(ev, indicator)
    return {
        **{k: v for k, v in asdict(h).items() if k not in ("groups", "countries")},
        "groups": [{**asdict(g), "year_mix": {str(y): n for y, n in g.year_mix}} for g in h.groups],
        "countries": [asdict(c) for c in h.countries],
    }
