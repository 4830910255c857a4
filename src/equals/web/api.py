"""JSON API under ``/api/v1`` (OpenAPI at ``/docs``). Each route is a few lines.

Routes are ``async def``: their work is cached or a single indexed query of a millisecond or
so, cheaper on the event loop than a hop through the thread pool (see docs/benchmarks.md).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from equals.core.vocabulary import Sex
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
from equals.releases import add_release_keys, current_release_names
from equals.web.deps import get_evidence

router = APIRouter(prefix="/api/v1", tags=["evidence"])
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


@router.get("/indicators", summary="All indicators with coverage, source and licence")
async def list_indicators(ev: Ev) -> list[dict[str, Any]]:
    return [indicator_record(s.indicator, s) for s in ev.indicator_summaries()]


@router.get("/indicators/{indicator_id}", summary="One indicator, its sources and years")
async def get_indicator(indicator_id: str, ev: Ev) -> dict[str, Any]:
    summary = ev.indicator_summary(indicator_id)
    rec = indicator_record(summary.indicator, summary)
    rec["sources_detail"] = [source_record(s) for s in summary.sources]
    rec["years"] = ev.years(indicator_id)
    rec["breakdown_values"] = [b for b in ev.breakdowns(indicator_id) if b]
    return rec


@router.get("/sources", summary="Every data source with its licence and provenance")
async def list_sources(ev: Ev) -> list[dict[str, Any]]:
    return [source_record(s) for s in ev.sources().values()]


@router.get("/countries", summary="Countries and territories (and, optionally, aggregates)")
async def list_countries(
    ev: Ev, include_aggregates: Annotated[bool, Query()] = False
) -> list[dict[str, Any]]:
    areas = ev.areas().values() if include_aggregates else ev.countries()
    return [area_record(a) for a in sorted(areas, key=lambda a: a.name)]


@router.get("/countries/{code}", summary="A country's indicators, gaps, trends and missing data")
async def get_country(code: str, ev: Ev) -> dict[str, Any]:
    return profile_record(country_profile(ev, code))


PAGE = 10_000  # observations per response unless ?limit= says otherwise
MAX_PAGE = 100_000


def _page_headers(request: Request, total: int, offset: int, limit: int) -> dict[str, str]:
    """``X-Total-Count`` and RFC 8288 ``Link`` headers (rel="next"/"prev") for a page."""
    headers = {"X-Total-Count": str(total)}
    links = []
    if offset + limit < total:
        url = request.url.include_query_params(offset=offset + limit, limit=limit)
        links.append(f'<{url}>; rel="next"')
    if offset > 0:
        url = request.url.include_query_params(offset=max(offset - limit, 0), limit=limit)
        links.append(f'<{url}>; rel="prev"')
    if links:
        headers["Link"] = ", ".join(links)
    return headers


@router.get(
    "/observations",
    summary="Tidy observations; JSON or CSV, in pages (X-Total-Count and Link headers)",
)
async def observations(
    ev: Ev,
    request: Request,
    indicator: Annotated[str | None, Query(description="indicator id")] = None,
    country: Annotated[str | None, Query(description="ISO3 code")] = None,
    sex: Annotated[SexParam | None, Query()] = None,
    from_: Annotated[int | None, Query(alias="from", ge=1900, le=2100)] = None,
    to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    source: Annotated[str | None, Query(description="source id (default: indicator's)")] = None,
    breakdown: Annotated[str, Query(description="'' or e.g. location=urban")] = "",
    format: Annotated[Format, Query()] = Format.json,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="rows per page")] = PAGE,
    offset: Annotated[int, Query(ge=0, description="rows to skip")] = 0,
) -> Response:
    rows = ev.observations(
        indicator=indicator,
        country=country,
        sex=Sex(sex.value) if sex else None,
        year_from=from_,
        year_to=to,
        source=source,
        breakdown=breakdown,
    )
    headers = _page_headers(request, len(rows), offset, limit)
    records = [observation_record(r) for r in rows[offset : offset + limit]]
    records = _add_releases(ev, records)
    if format is Format.csv:
        response = _csv(to_csv(records, OBSERVATION_COLUMNS), f"observations-{indicator or 'all'}")
    elif format is Format.sdmx_csv:
        name = f"observations-{indicator or 'all'}"
        response = _sdmx(observations_csv(records, _units(ev)), name)
    else:
        response = _json(records)
    response.headers.update(headers)
    return response


@router.get("/gaps", summary="Gender gap of every country for one indicator")
async def gaps(
    ev: Ev,
    indicator: Annotated[str, Query(description="indicator id")],
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="exact year; default latest")
    ] = None,
    source: Annotated[str | None, Query()] = None,
    breakdown: Annotated[str, Query()] = "",
    include_aggregates: Annotated[bool, Query()] = False,
    format: Annotated[Format, Query()] = Format.json,
) -> Response:
    rows = ev.gaps(
        indicator,
        year=year,
        source=source,
        breakdown=breakdown,
        include_aggregates=include_aggregates,
    )
    records = _add_releases(ev, [gap_record(r) for r in rows])
    if format is Format.csv:
        return _csv(to_csv(records, GAP_COLUMNS), f"gaps-{indicator}")
    if format is Format.sdmx_csv:
        return _sdmx(gaps_csv(records, _units(ev)), f"gaps-{indicator}")
    return _json(records)
