"""The API documentation pages, served from vendored files (no CDN; the platform works offline):
``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), both reading ``/api/v1/openapi.json``.

Unlike FastAPI's built-in pages these have no inline script, so they run under the strict
Content-Security-Policy of :mod:`equals.web.security`.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

_SWAGGER = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · API documentation</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body>
</html>
"""

_REDOC = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · API reference</title>
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
</head>
<body>
<redoc spec-url="{openapi}"></redoc>
<script src="/static/vendor/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


def _fill(template: str, request: Request) -> str:
    app = request.app
    return template.format(title=escape(app.title), openapi=escape(app.openapi_url or ""))


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return HTMLResponse(_fill(_SWAGGER, request))


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return HTMLResponse(_fill(_REDOC, request))
