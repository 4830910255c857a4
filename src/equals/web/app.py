"""The FastAPI application factory: ``create_app(settings)``.

The app is an adapter: routes call :class:`equals.evidence.queries.Evidence` and format the result.
Errors from the library map to HTTP codes here, in one place.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from equals.bootstrap import initialise
from equals.core.version import __version__
from equals.evidence.queries import Evidence
from equals.settings import Settings
from equals.store import Store
from equals.web.errors import ERROR_RESPONSES, error_body, install_error_handlers

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger(__name__)


def server_error_page(request: Request) -> str:
    """The 500 page, in the request's language (this handler runs outside the language
    middleware, so the language is chosen again from the URL, cookie and ``Accept-Language``)."""
    from equals.core.i18n import _, use_language
    from equals.web.language import choose, localised

    headers = request.headers
    chosen = choose(request.url.path, headers.get("cookie"), headers.get("accept-language"))
    with use_language(chosen) as lang:
        title = _("Server error")
        heading = _("Something went wrong on our side")
        logged = _("The error was logged.")
        back = _("Back to the start page")
        home = localised("/")
    return (
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{title} · EQUALS Hub'
        f'</title><h1>{heading}</h1><p>{logged} <a href="{home}">{back}</a>.</p></html>'
    )


def create_app(settings: Settings) -> FastAPI:
    """Build the app for these settings; the database is opened (and loaded) on startup."""
    store = Store(settings.db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("EQUALS Hub %s starting on %s", __version__, store.safe_url)
        if settings.secret_key is None:
            log.warning(
                "no secret key set (EQUALS_SECRET_KEY): a random one signs cookies, so "
                "sign-ins end when this process restarts"
            )
        if settings.init_on_start:
            initialise(store)  # logs what it loaded
        yield
        store.dispose()

    app = FastAPI(
        title="EQUALS Hub API",
        version=__version__,
        description=(
            "Sex-disaggregated evidence on the gender digital divide (Access, Skills, "
            "Leadership). Every value carries its source, year and licence."
        ),
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        docs_url=None,  # /docs and /redoc: equals.web.api_docs (vendored, CSP-safe)
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.evidence = Evidence(store)

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> Response:
        # Every 5xx is logged with its traceback; the client gets the error body, no traceback.
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        if not request.url.path.startswith("/api/"):
            return HTMLResponse(server_error_page(request), status_code=500)
        return JSONResponse(
            error_body("internal-error", "the server failed on this request; it was logged"),
            status_code=500,
        )

    install_error_handlers(app)

    from equals.web.analysis_api import router as analysis_api_router
    from equals.web.analysis_pages import router as analysis_pages_router
    from equals.web.api import router as api_router
    from equals.web.api_docs import router as api_docs_router
    from equals.web.downloads import router as downloads_router
    from equals.web.login import router as login_router
    from equals.web.pages import router as pages_router
    from equals.web.partners_api import router as partners_api_router
    from equals.web.partners_pages import router as partners_pages_router
    from equals.web.releases_api import router as releases_api_router
    from equals.web.sessions_api import router as sessions_api_router
    from equals.web.sessions_pages import router as sessions_pages_router

    app.include_router(api_router)
    app.include_router(releases_api_router)
    app.include_router(analysis_api_router)
    app.include_router(sessions_api_router)
    app.include_router(partners_api_router)
    app.include_router(pages_router)
    app.include_router(analysis_pages_router)
    app.include_router(downloads_router)
    app.include_router(login_router)  # before sessions_pages: its /login, /logout win
    app.include_router(api_docs_router)
    app.include_router(sessions_pages_router)
    app.include_router(partners_pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    from equals.web.language import LanguageMiddleware
    from equals.web.page_cache import PageCache, PageCacheMiddleware
    from equals.web.security import SecurityMiddleware

    # Innermost (added first): the page cache keys on the language the language middleware sets.
    app.state.page_cache = PageCache()
    app.add_middleware(PageCacheMiddleware, store=store, cache=app.state.page_cache)
    app.add_middleware(SecurityMiddleware, max_request_bytes=settings.max_request_bytes)
    app.add_middleware(LanguageMiddleware)  # outermost: everything inside sees /fr/... stripped
    return app
