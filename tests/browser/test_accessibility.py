"""Every page passes axe-core's WCAG 2.1 A and AA rules, in every language, on desktop and phone.

The pages are enumerated from the app itself (every HTML ``GET`` route), so a new page cannot be
forgotten: :func:`test_every_page_route_has_a_sample_url` fails until it has an entry in
``SAMPLES``. Each page is opened once per language, checked at desktop width (1280×900), then
resized to a phone (390×844) and checked again. Forms are checked signed in as an administrator
(who may open every form); the sign-in page is checked signed out.

The API documentation (/docs, /redoc) is the same in every language and is checked in English;
/docs (vendored Swagger UI) leaves out two rules for Swagger's own markup (``KNOWN_ISSUES``).
The check runs on its own copy of the loaded database, where it adds the administrator and an
initiative target (for the target's embed page).

axe-core comes bundled with the PyPI package ``axe-playwright-python`` (``axe.min.js``, MPL-2.0),
injected into the page by Playwright: nothing loads from a CDN. Time, 2026-11-29, on the shared
2-core machine under heavy load (load average about 15): 11.6 minutes for the three languages
with ``-n 3``; most of it is axe's colour-contrast rule on the largest pages (/redoc has about
22,000 elements, /analysis 3,400). Not yet measured on idle cores.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.responses import HTMLResponse

from equals.auth import Actor, Role, create_user
from equals.core.i18n import LANGUAGES
from equals.partners import create_initiative, list_partners
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app
from equals.web.language import localised as web_localised
from tests.conftest import serve
from tests.partners.conftest import initiative_body

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ADMIN, PASSWORD = "a11y-admin", "an accessible passphrase"


def localised(path: str, lang: str) -> str:
    """``path`` in language ``lang``: the one place that knows how a page's language is chosen
    (``/fr/…``, ``/es/…`` prefixes: equals.web.language; the browser's Accept-Language says
    the same)."""
    return web_localised(path, lang)


# -- the pages ----------------------------------------------------------------------------------
def _first_link(html: str, pattern: str) -> str:
    found = re.search(rf'href="({pattern})"', html)
    assert found, f"no link matching {pattern}"
    return found.group(1)


@dataclass(frozen=True)
class Sample:
    """How to reach one route: a fixed URL or one read from a listing page (``find(get)``)."""

    url: str = ""
    find: Callable[[Callable[[str], str]], str] | None = None
    signed_out: bool = False  # checked without a signed-in user (the sign-in page)
    english_only: bool = False  # the same bytes in every language (the API documentation)
    known: tuple[str, ...] = ()  # rules left out here, with the reason in KNOWN_ISSUES

    def resolve(self, get: Callable[[str], str]) -> str:
        return self.find(get) if self.find else self.url


def _from(listing: str, pattern: str, suffix: str = "") -> Sample:
    return Sample(find=lambda get: _first_link(get(listing), pattern) + suffix)


def _target_embed(get: Callable[[str], str]) -> str:
    """The embed of the first initiative target (read from an initiative page's chart)."""
    for page in dict.fromkeys(re.findall(r'href="(/initiatives/\d+)"', get("/initiatives"))):
        found = re.search(r"/api/v1/initiatives/(\d+)/targets/(\d+)/series", get(page))
        if found:
            return f"/embed/initiatives/{found.group(1)}/targets/{found.group(2)}?embed=1"
    raise AssertionError("no initiative with a target")


def _coalition_edit(get: Callable[[str], str]) -> str:
    found = re.search(r'id="coalition-([\w-]+)"', get("/coalitions"))
    assert found, "no coalition listed on /coalitions"
    return f"/coalitions/{found.group(1)}/edit"


def _seat(get: Callable[[str], str], action: str) -> str:
    found = re.search(r'id="seat-(\d+)"', get("/coalitions"))
    assert found, "no governance seat listed on /coalitions"
    return f"/governance/{found.group(1)}/{action}"


SAMPLES: dict[str, Sample] = {
    "/": Sample("/"),
    "/indicators": Sample("/indicators"),
    "/indicator/{indicator_id}": Sample("/indicator/internet_use"),
    "/countries": Sample("/countries"),
    "/country/{code}": Sample("/country/KEN"),
    "/sources": Sample("/sources"),
    "/about": Sample("/about"),
    "/analysis": Sample("/analysis"),
    "/analysis/country/{code}": Sample("/analysis/country/KEN"),
    "/analysis/data-gaps": Sample("/analysis/data-gaps"),
    "/analysis/methodology": Sample("/analysis/methodology"),
    "/downloads": Sample("/downloads"),
    "/login": Sample("/login", signed_out=True),
    "/docs": Sample("/docs", english_only=True, known=("color-contrast", "nested-interactive")),
    "/redoc": Sample("/redoc", english_only=True),
    "/sessions": Sample("/sessions"),
    "/sessions/new": Sample("/sessions/new"),
    "/sessions/{session_id}": _from("/sessions", r"/sessions/\d+"),
    "/sessions/{session_id}/edit": _from("/sessions", r"/sessions/\d+", "/edit"),
    "/sessions/participation": Sample("/sessions/participation"),
    "/sessions/people": Sample("/sessions/people"),
    "/sessions/people/{person_id}": _from("/sessions/people", r"/sessions/people/\d+"),
    "/partners": Sample("/partners"),
    "/partners/new": Sample("/partners/new"),
    "/partners/{organization_id}": _from("/partners", r"/partners/(?!new)[\w.-]+"),
    "/partners/{organization_id}/edit": _from("/partners", r"/partners/(?!new)[\w.-]+", "/edit"),
    "/coalitions": Sample("/coalitions"),
    "/coalitions/new": Sample("/coalitions/new"),
    "/coalitions/{coalition_id}/edit": Sample(find=_coalition_edit),
    "/governance/new": Sample("/governance/new"),
    "/governance/{seat_id}/edit": Sample(find=lambda get: _seat(get, "edit")),
    "/governance/{seat_id}/end": Sample(find=lambda get: _seat(get, "end")),
    "/organizations/merge": Sample("/organizations/merge"),
    "/initiatives": Sample("/initiatives"),
    "/initiatives/new": Sample("/initiatives/new"),
    "/initiatives/{initiative_id}": _from("/initiatives", r"/initiatives/\d+"),
    "/initiatives/{initiative_id}/edit": _from("/initiatives", r"/initiatives/\d+", "/edit"),
    "/action": Sample("/action"),
    "/action/{country}": Sample("/action/KEN"),
    "/embed/action-map": Sample("/embed/action-map?embed=1"),
    "/embed/initiatives/{initiative_id}/targets/{target_id}": Sample(find=_target_embed),
}
#: Why a page leaves a rule out. Swagger UI (vendored, /docs) draws its operation rows as a
#: button inside a button and greys below 4.5:1; the same document is on /redoc, which passes
#: every rule. Nothing of ours is left out.
KNOWN_ISSUES = {
    ("/docs", "color-contrast"): "Swagger UI's own colours (upstream); /redoc passes",
    ("/docs", "nested-interactive"): "Swagger UI's operation summaries (upstream); /redoc passes",
}
#: Pages the app serves that no route lists: the 404 page, and the embeddable charts that
#: pages serve for ``?embed=1``.
EXTRA = {
    "(404)": Sample("/no-such-page"),
    "(embed: map)": Sample("/?embed=1"),
    "(embed: indicator map)": Sample("/indicator/internet_use?embed=1"),
    "(embed: trend)": Sample("/country/KEN?indicator=internet_use&embed=1"),
}


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for route in routes:
        inner = getattr(route, "original_router", None)  # an included router
        if inner is not None:
            yield from _routes(list(inner.routes), prefix + route.include_context.prefix)
        else:
            yield prefix + getattr(route, "path", ""), route


def html_page_routes() -> set[str]:
    """Every path template the app answers ``GET`` with an HTML page."""
    app = create_app(Settings(db_url="sqlite://"))  # routes only: nothing connects
    out = set()
    for path, route in _routes(list(app.routes)):
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or set()):
            continue
        response_class = getattr(route.response_class, "value", route.response_class)
        if isinstance(response_class, type) and issubclass(response_class, HTMLResponse):
            out.add(path)
    return out


def test_every_page_route_has_a_sample_url() -> None:
    routes = html_page_routes()
    assert len(routes) >= 30
    missing = sorted(routes - SAMPLES.keys())
    assert not missing, f"HTML pages without a sample URL in SAMPLES: {missing}"
    stale = sorted(SAMPLES.keys() - routes)
    assert not stale, f"SAMPLES lists routes the app no longer has: {stale}"


# -- the check ----------------------------------------------------------------------------------
def _describe(violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            target = " ".join(map(str, node["target"]))
            lines.append(f"{v['id']} ({v['impact']}): {target} — {v['help']}")
        if len(v["nodes"]) > 5:
            lines.append(f"{v['id']}: … and {len(v['nodes']) - 5} more element(s)")
    return lines


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def site(loaded_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of the loaded database (so that the administrator and the initiative
    target made here change no other test's data), served on a loopback port."""
    path = tmp_path_factory.mktemp("a11y") / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    with serve(Settings(db_url=url)) as base:  # the first start adds the example content
        store = Store(url)
        try:
            create_user(store, ADMIN, PASSWORD, roles=[Role.ADMIN])
            partners = list_partners(store)
            assert partners, "no example partner to lead an initiative"
            create_initiative(store, initiative_body(partners[0].organization_id),
                              actor=Actor("cli:a11y"))  # fmt: skip
        finally:
            store.dispose()
        yield base


@pytest.fixture(scope="module")
def urls(site: str) -> dict[str, tuple[str, Sample]]:
    """Route template -> (sample URL, its sample)."""
    with httpx.Client(base_url=site, timeout=30) as http:

        def get(path: str) -> str:
            r = http.get(path)
            r.raise_for_status()
            return r.text

        return {name: (s.resolve(get), s) for name, s in {**SAMPLES, **EXTRA}.items()}


def test_known_issues_name_real_rules_of_listed_pages() -> None:
    for page, rule in KNOWN_ISSUES:
        assert rule in SAMPLES[page].known
    for name, sample in SAMPLES.items():
        assert all((name, rule) in KNOWN_ISSUES for rule in sample.known)


def _sign_in(context: Any, base: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=name]", ADMIN)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit], form input[type=submit]")
    page.close()


def _check(page: Any, axe: Any, sample: Sample) -> list[dict[str, Any]]:
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": TAGS},
        "resultTypes": ["violations"],
    }
    if sample.known:
        options["rules"] = {rule: {"enabled": False} for rule in sample.known}
    return list(axe.run(page, options=options).response["violations"])


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_passes_axe(
    browser: Any, site: str, axe: Any, urls: dict[str, tuple[str, Sample]], lang: str
) -> None:
    failures: list[str] = []
    checked = 0
    for signed_out in (False, True):
        context = browser.new_context(viewport=DESKTOP, locale=lang)
        try:
            if not signed_out:
                _sign_in(context, site)
            page = context.new_page()
            page.set_default_timeout(120_000)  # a cold /analysis computes the index first
            for name, (url, sample) in urls.items():
                if sample.signed_out is not signed_out or (sample.english_only and lang != "en"):
                    continue
                page.set_viewport_size(DESKTOP)
                response = page.goto(site + localised(url, lang))
                assert response is not None
                if response.status >= 500 or ("/login" in page.url and name != "/login"):
                    failures.append(f"{name} ({url}): status {response.status} at {page.url}")
                    continue
                with suppress(Exception):  # charts draw after load; check what is there
                    page.wait_for_load_state("networkidle", timeout=5_000)
                shown = page.evaluate("document.documentElement.lang")
                if shown != lang and not sample.english_only:
                    failures.append(f"{url} [{lang}]: the page says lang={shown!r}")
                for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                    page.set_viewport_size(viewport)
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(0)))")
                    failures += [
                        f"{url} [{lang}, {width}] {line}"
                        for line in _describe(_check(page, axe, sample))
                    ]
                    checked += 1
        finally:
            context.close()
    assert not failures, "axe-core WCAG 2.1 A/AA violations:\n" + "\n".join(failures)
    assert checked == 2 * sum(lang == "en" or not s.english_only for _, s in urls.values())
