"""``/api/v1/releases``: the provenance of imported source releases, and any release's values
(also one that a newer release replaced). Library: :mod:`equals.releases`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from equals.evidence.queries import Evidence
from equals.evidence.records import to_csv
from equals.releases import Release, get_release, list_releases, release_observations_of
from equals.web.deps import get_evidence

router = APIRouter(prefix="/api/v1", tags=["releases"])
Ev = Annotated[Evidence, Depends(get_evidence)]
ReleaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="release id")]


class ReleaseOut(BaseModel):
    """One release of one source: where its file came from and what it changed."""

    id: int
    source: str
    kind: str = Field(description="'import', or 'bundled' for the package's data it replaced")
    name: str = Field(description="how pages and records name it: label (release date)")
    label: str
    release_date: str = Field(description="publication date (YYYY-MM-DD) or ''")
    file_name: str
    sha256: str
    format: str
    imported_at: str
    imported_by: str
    rows_read: int
    observations: int
    skipped: int
    added: int
    revised: int
    removed: int
    unchanged: int
    current: bool = Field(description="some current values of the source come from it")
    scope: list[str] = Field(description="indicator/sex pairs the release covers")


class ReleaseObservationOut(BaseModel):
    indicator: str
    country: str
    year: int
    sex: str
    breakdown: str
    value: float
    source: str
    release: int
    flag: str
    note: str


class ReleaseFormat(StrEnum):
    json = "json"
    csv = "csv"


def _out(r: Release) -> ReleaseOut:
    return ReleaseOut(
        id=r.id,
        source=r.source,
        kind=r.kind,
        name=r.name,
        label=r.label,
        release_date=r.release_date,
        file_name=r.file_name,
        sha256=r.sha256,
        format=r.format,
        imported_at=r.imported_at,
        imported_by=r.imported_by,
        rows_read=r.rows_read,
        observations=r.observations,
        skipped=r.skipped,
        added=r.added,
        revised=r.revised,
        removed=r.removed,
        unchanged=r.unchanged,
        current=r.current,
        scope=[f"{i}/{s}" for i, s in r.scope],
    )


@router.get("/releases", summary="Imported releases of bundled sources, newest first")
def releases(
    ev: Ev, source: Annotated[str | None, Query(max_length=64)] = None
) -> list[ReleaseOut]:
    return [_out(r) for r in list_releases(ev.store, source)]


@router.get("/releases/{release_id}", summary="One release's provenance record")
def release(ev: Ev, release_id: ReleaseId) -> ReleaseOut:
    return _out(get_release(ev.store, release_id))


@router.get(
    "/releases/{release_id}/observations",
    summary="Every value of one release (JSON or CSV), also after a newer one replaced it",
    response_model=list[ReleaseObservationOut],
    responses={
        200: {
            "description": "JSON (default) or CSV (format=csv)",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
def release_values(
    ev: Ev, release_id: ReleaseId, format: ReleaseFormat = ReleaseFormat.json
) -> Response | list[ReleaseObservationOut]:
    rows = [
        ReleaseObservationOut(
            indicator=o.indicator,
            country=o.area,
            year=o.year,
            sex=o.sex.value,
            breakdown=o.breakdown,
            value=o.value,
            source=o.source,
            release=release_id,
            flag=o.flag,
            note=o.note,
        )
        for o in release_observations_of(ev.store, release_id)
    ]
    if format is ReleaseFormat.csv:
        return Response(
            to_csv([r.model_dump() for r in rows], list(ReleaseObservationOut.model_fields)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="release-{release_id}.csv"'},
        )
    return rows
