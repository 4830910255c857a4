"""JSON API under ``/api/v1`` (OpenAPI at ``/docs``). Each route is a few lines.

Every body is described by a pydantic model (:mod:`equals.web.api_models`); JSON is written
with orjson from the records the CLI shares, and the fuzz tests check bodies against the
models. Routes are plain ``def``: FastAPI runs them in its thread pool, so a query that misses
the cache never blocks the event loop.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from equals.core.vocabulary import Sex
from equals.evidence.observations import MAX_OFFSET, TEXT_MAX, Page
from equals.evidence.profile import country_profile
from equals.evidence.queries import Evidence
from equals.evidence.records import (
    GAP_COLUMNS,
    OBSERVATION_COLUMNS,
    area_record,
    gap_record,
    indicator_record,
    observation_record,
    profile_record,
    source_record,
    to_csv,
)
from equals.evidence.sdmx import MEDIA_TYPE as SDMX_CSV
from equals.evidence.sdmx import gaps_csv, observations_csv
from equals.indicators.gaps import GapMetric
from equals.releases import add_release_keys, current_release_names
from equals.web.api_models import (
    AreaOut,
    CountryProfileOut,
    GapOut,
    IndicatorDetailOut,
    IndicatorOut,
    ObservationOut,
    SourceOut,
)
from equals.web.deps import get_evidence

router = APIRouter(prefix="/api/v1", tags=["evidence"])
CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}
DATA_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON (default), CSV (format=csv) or SDMX-CSV 2.0 (format=sdmx-csv)",
        "content": {**CSV_CONTENT, SDMX_CSV: {"schema": {"type": "string"}}},
    }
}
Ev = Annotated[Evidence, Depends(get_evidence)]


class Format(StrEnum):
    json = "json"
    csv = "csv"
    sdmx_csv = "sdmx-csv"


class SexParam(StrEnum):
    female = "female"
    male = "male"
    total = "total"


def _json(data: object) -> Response:
    """JSON via orjson: the large gap and observation lists serialise several times faster."""
    return Response(orjson.dumps(data), media_type="application/json")


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _sdmx(text: str, name: str) -> Response:
    return Response(
        text,
        media_type=SDMX_CSV,
        headers={"Content-Disposition": f'attachment; filename="{name}.sdmx.csv"'},
    )


def _add_releases(ev: Evidence, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each record's ``release`` (see :func:`equals.releases.add_release_keys`)."""
    names = ev.cached(("release-names",), lambda: current_release_names(ev.store))
    origins = {s.id: s.origin for s in ev.sources().values()}
    return add_release_keys(records, names, origins)


def _units(ev: Evidence) -> dict[str, str]:
    return {ind.id: ind.unit for ind in ev.catalogue}


@router.get(
    "/indicators",
    summary="All indicators with coverage, source and licence",
    response_model=list[IndicatorOut],
)
def list_indicators(ev: Ev) -> Response:
    return _json([indicator_record(s.indicator, s) for s in ev.indicator_summaries()])


@router.get(
    "/indicators/{indicator_id}",
    summary="One indicator, its sources and years",
    response_model=IndicatorDetailOut,
)
def get_indicator(indicator_id: str, ev: Ev) -> Response:
    summary = ev.indicator_summary(indicator_id)
    rec = indicator_record(summary.indicator, summary)
    rec["sources_detail"] = [source_record(s) for s in summary.sources]
    rec["years"] = ev.years(indicator_id)
    rec["breakdown_values"] = [b for b in ev.breakdowns(indicator_id) if b]
    return _json(rec)


@router.get(
    "/sources",
    summary="Every data source with its licence and provenance",
    response_model=list[SourceOut],
)
def list_sources(ev: Ev) -> Response:
    return _json([source_record(s) for s in ev.sources().values()])


@router.get(
    "/countries",
    summary="Countries and territories (and, optionally, aggregates)",
    response_model=list[AreaOut],
)
def list_countries(ev: Ev, include_aggregates: Annotated[bool, Query()] = False) -> Response:
    areas = ev.areas().values() if include_aggregates else ev.countries()
    return _json([area_record(a) for a in sorted(areas, key=lambda a: a.name)])


@router.get(
    "/countries/{code}",
    summary="A country's indicators, gaps, trends and missing data",
    response_model=CountryProfileOut,
)
def get_country(code: str, ev: Ev) -> Response:
    return _json(profile_record(country_profile(ev, code)))


PAGE = 10_000  # observations per response unless ?limit= says otherwise
MAX_PAGE = 100_000


def _page_headers(request: Request, page: Page[Any]) -> dict[str, str]:
    """``X-Total-Count`` and RFC 8288 ``Link`` headers (rel="next"/"prev") for a page."""
    headers = {"X-Total-Count": str(page.total)}
    links = []
    if page.next_offset is not None:
        url = request.url.include_query_params(offset=page.next_offset, limit=page.limit)
        links.append(f'<{url}>; rel="next"')
    if page.prev_offset is not None:
        url = request.url.include_query_params(offset=page.prev_offset, limit=page.limit)
        links.append(f'<{url}>; rel="prev"')
    if links:
        headers["Link"] = ", ".join(links)
    return headers


@router.get(
    "/observations",
    summary="Tidy observations; JSON, CSV or SDMX-CSV, in pages (X-Total-Count, Link headers)",
    response_model=list[ObservationOut],
    responses=DATA_RESPONSES,
)
def observations(
    ev: Ev,
    request: Request,
    indicator: Annotated[str | None, Query(description="indicator id", max_length=TEXT_MAX)] = None,
    country: Annotated[str | None, Query(description="ISO3 code", max_length=TEXT_MAX)] = None,
    sex: Annotated[SexParam | None, Query()] = None,
    from_: Annotated[int | None, Query(alias="from", ge=1900, le=2100)] = None,
    to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    source: Annotated[
        str | None, Query(description="source id (default: indicator's)", max_length=TEXT_MAX)
    ] = None,
    breakdown: Annotated[
        str, Query(description="'' or e.g. location=urban", max_length=TEXT_MAX)
    ] = "",
    format: Annotated[Format, Query()] = Format.json,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="rows per page")] = PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")] = 0,
) -> Response:
    page = ev.observations_page(
        limit=limit,
        offset=offset,
        indicator=indicator,
        country=country,
        sex=Sex(sex.value) if sex else None,
        year_from=from_,
        year_to=to,
        source=source,
        breakdown=breakdown,
    )
    records = _add_releases(ev, [observation_record(r) for r in page.rows])
    name = f"observations-{indicator or 'all'}"
    if format is Format.csv:
        response = _csv(to_csv(records, OBSERVATION_COLUMNS), name)
    elif format is Format.sdmx_csv:
        response = _sdmx(observations_csv(records, _units(ev)), name)
    else:
        response = _json(records)
    response.headers.update(_page_headers(request, page))
    return response


@router.get(
    "/gaps",
    summary="Gender gap of every country for one indicator, ranked by a gap metric",
    response_model=list[GapOut],
    responses=DATA_RESPONSES,
)
def gaps(
    ev: Ev,
    indicator: Annotated[str, Query(description="indicator id", max_length=TEXT_MAX)],
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="exact year; default latest")
    ] = None,
    source: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
    breakdown: Annotated[str, Query(max_length=TEXT_MAX)] = "",
    include_aggregates: Annotated[bool, Query()] = False,
    metric: Annotated[
        GapMetric,
        Query(
            description="rank by parity (ITU F/M), relative (GSMA/EIU (M−F)/M) or difference "
            "(World Bank F−M): the largest gap against women first; not computable last"
        ),
    ] = GapMetric.PARITY,
    format: Annotated[Format, Query()] = Format.json,
) -> Response:
    rows = ev.gaps(
        indicator,
        year=year,
        source=source,
        breakdown=breakdown,
        include_aggregates=include_aggregates,
        metric=metric,
    )
    records = _add_releases(ev, [gap_record(r) for r in rows])
    if format is Format.csv:
        return _csv(to_csv(records, GAP_COLUMNS), f"gaps-{indicator}")
    if format is Format.sdmx_csv:
        return _sdmx(gaps_csv(records, _units(ev)), f"gaps-{indicator}")
    return _json(records)
