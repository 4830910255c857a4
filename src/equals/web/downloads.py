"""The "API and downloads" page: the OpenAPI document, the formats, copy-paste examples
(curl, Python with pandas, R with readr / httr2) and the data releases in use; the evidence
as a Frictionless Data Package (``/downloads/evidence-datapackage.zip``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from equals.evidence.datapackage import write_datapackage
from equals.evidence.queries import Evidence
from equals.releases import current_release_names, list_releases
from equals.web.deps import get_evidence
from equals.web.pages import templates

router = APIRouter(include_in_schema=False)
Ev = Annotated[Evidence, Depends(get_evidence)]

EXAMPLE_INDICATOR = "internet_use"
EXAMPLE_COUNTRY = "KEN"
DATAPACKAGE = "/downloads/evidence-datapackage.zip"
DATAPACKAGE_FILE = "equals-hub-evidence-datapackage.zip"


@router.get("/downloads", response_class=HTMLResponse)
def downloads(request: Request, ev: Ev) -> HTMLResponse:
    base = str(request.base_url).rstrip("/")
    releases = [r for r in list_releases(ev.store) if r.kind == "import"]
    return templates.TemplateResponse(
        request,
        "downloads.html",
        {
            "nav": "api",
            "base": base,
            "openapi": request.app.openapi_url or "",
            "ind": EXAMPLE_INDICATOR,
            "country": EXAMPLE_COUNTRY,
            "releases": releases,
            "indicators": [s.indicator for s in ev.indicator_summaries()],
            "datapackage": DATAPACKAGE,
        },
    )


def _datapackage_bytes(ev: Evidence) -> bytes:
    """The evidence package as zip bytes (built once per data version, in memory). The same
    builder as ``equals data package``, whose output the tests validate with frictionless."""
    with tempfile.TemporaryDirectory(prefix="equals-datapackage-") as tmp:
        target = Path(tmp) / DATAPACKAGE_FILE
        write_datapackage(
            ev,
            target,
            release_names=current_release_names(ev.store),
            releases=list_releases(ev.store),
            validate=False,
        )
        return target.read_bytes()


@router.get(DATAPACKAGE)
def evidence_datapackage(ev: Ev) -> Response:
    content = ev.cached(("evidence-datapackage",), lambda: _datapackage_bytes(ev))
    return Response(
        content,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{DATAPACKAGE_FILE}"'},
    )
