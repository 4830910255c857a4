"""The "API and downloads" page: the OpenAPI document, the formats, copy-paste examples
(curl, Python with pandas, R with readr / httr2) and the data releases in use."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from equals.evidence.queries import Evidence
from equals.releases import list_releases
from equals.web.deps import get_evidence
from equals.web.pages import templates

router = APIRouter(include_in_schema=False)
Ev = Annotated[Evidence, Depends(get_evidence)]

EXAMPLE_INDICATOR = "internet_use"
EXAMPLE_COUNTRY = "KEN"


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
        },
    )
