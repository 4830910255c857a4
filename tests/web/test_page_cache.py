"""The page cache (equals.web.page_cache): anonymous HTML pages are served from memory until the
data changes — a release import, a partner edit, a filed report — and never for signed-in
visitors; language variants, query variants and forms stay apart; memory stays bounded."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from equals.auth import Grant, Role, create_user
from equals.auth.model import Actor
from equals.core.i18n import use_language
from equals.partners import update_partner
from equals.releases import import_release
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app
from equals.web.page_cache import Entry, PageCache, PageCacheMiddleware
from tests.releases.test_import import wdi_release

PASSWORD = "a long enough passphrase 42"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def site(loaded_db_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, PageCache, Store]]:
    path = tmp_path / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    app = create_app(Settings(db_url=f"sqlite:///{path}"))
    with TestClient(app) as client:
        yield client, app.state.page_cache, app.state.store


def _served_from_cache(client: TestClient, cache: PageCache, url: str, **kw: Any) -> bool:
    hits = cache.hits
    assert client.get(url, **kw).status_code == 200
    return cache.hits == hits + 1


def test_anonymous_page_is_cached_with_etag_and_304(site: Any) -> None:
    client, cache, _ = site
    first = client.get("/country/KEN")
    assert first.status_code == 200 and "etag" not in first.headers
    second = client.get("/country/KEN")
    assert second.text == first.text and cache.hits >= 1
    etag = second.headers["etag"]
    assert "Cookie" in second.headers["vary"]
    assert "default-src 'self'" in second.headers["content-security-policy"]  # outer layers run
    again = client.get("/country/KEN", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/country/KEN", headers={"If-None-Match": '"other"'}).status_code == 200
    head = client.head("/country/KEN")
    assert head.status_code == 200 and head.content == b""
    # The query is part of the key, in any order; other parameters are other pages.
    a = client.get("/?indicator=internet_use&year=2019").text
    assert _served_from_cache(client, cache, "/?year=2019&indicator=internet_use")
    assert client.get("/?indicator=account_ownership").text != a


def test_host_is_part_of_the_key(site: Any) -> None:
    client, _, _ = site
    page = client.get("/downloads").text
    assert "http://testserver/" in page  # absolute links from the request
    forged = client.get("/downloads", headers={"Host": "evil.example"}).text
    assert "http://evil.example/" in forged
    again = client.get("/downloads").text
    assert "evil.example" not in again and again == page


def test_page_changes_after_a_release_import(site: Any, tmp_path: Path) -> None:
    client, cache, store = site
    url = "/indicator/internet_use"
    before = client.get(url).text
    assert _served_from_cache(client, cache, url)
    assert "WDI July 2025" not in before
    release, _ = wdi_release(tmp_path)
    import_release(store, release, "wdi", actor=Actor("tester"), label="WDI July 2025")
    after = client.get(url).text
    assert "WDI July 2025" in after  # at once: the import went through this app's store
    assert _served_from_cache(client, cache, url)


def test_api_answers_are_cached_until_the_data_changes(site: Any, tmp_path: Path) -> None:
    client, cache, store = site
    url = "/api/v1/observations?indicator=internet_use&country=KEN"
    before = client.get(url)
    assert before.status_code == 200 and 2025 not in {r["year"] for r in before.json()}
    assert _served_from_cache(client, cache, url)
    again = client.get(url)
    assert again.json() == before.json() and again.headers["etag"]
    assert "Authorization" in again.headers["vary"]
    csv_url = "/api/v1/gaps?indicator=internet_use&format=csv"
    csv_text = client.get(csv_url).text
    assert _served_from_cache(client, cache, csv_url)
    assert client.get(csv_url).text == csv_text
    release, _ = wdi_release(tmp_path)
    import_release(store, release, "wdi", actor=Actor("tester"), label="WDI July 2025")
    after = client.get(url).json()
    assert 2025 in {r["year"] for r in after}  # the imported year, at once
    # A token holder's answer is never taken from (or put into) the cache.
    assert not _served_from_cache(client, cache, url, headers={"Authorization": "Bearer x"})


def test_records_keep_their_own_etag_when_cached(site: Any) -> None:
    client, cache, _ = site
    first = client.get("/api/v1/partners/apc")
    assert first.headers["etag"].startswith('"v')  # the record's version, for If-Match
    hits = cache.hits
    second = client.get("/api/v1/partners/apc")
    assert cache.hits == hits + 1  # served from the cache ...
    assert second.headers["etag"] == first.headers["etag"]  # ... with the record's version
    assert second.headers.get_list("etag") == [first.headers["etag"]]  # once
    again = client.get("/api/v1/partners/apc", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_change_through_another_store_shows_at_once(site: Any) -> None:
    client, _, store = site
    assert "Changed through another Store" not in client.get("/partners/apc").text
    other = Store(store.url)  # a notebook's or test's own Store in this process
    cur = client.get("/api/v1/partners/apc").json()
    update_partner(
        other,
        "apc",
        {
            "organization_id": "apc",
            "stakeholder_group": cur["stakeholder_group"]["code"],
            "description": "Changed through another Store",
        },
        based_on=cur["version"],
        actor=Actor("cli:test"),
    )
    other.dispose()
    assert "Changed through another Store" in client.get("/partners/apc").text


def test_change_by_another_process_shows_within_a_second(site: Any, tmp_path: Path) -> None:
    client, _, store = site
    assert "Renamed by another process" not in client.get("/partners/apc").text
    script = (
        "import sys; from equals.store import Store; from equals.auth.model import Actor\n"
        "from equals.partners import update_partner, get_partner\n"
        "s = Store(sys.argv[1]); p = get_partner(s, 'apc')\n"
        "update_partner(s, 'apc', {'organization_id': 'apc', 'stakeholder_group': "
        "p.stakeholder_group.code, 'description': 'Renamed by another process'}, "
        "based_on=p.version, actor=Actor('cli:test'))\n"
    )
    subprocess.run([sys.executable, "-c", script, store.url], check=True, timeout=120)
    time.sleep(1.1)
    assert "Renamed by another process" in client.get("/partners/apc").text


def test_partner_edit_through_the_site_shows_at_once(site: Any) -> None:
    client, cache, store = site
    create_user(store, "apc-editor", PASSWORD, roles=[Grant(Role.PARTNER_EDITOR, "apc")])
    page = client.get("/partners/apc")
    assert "set-cookie" not in page.headers  # read-only pages: no browser id, cacheable
    assert "Edit this partner" not in page.text
    assert _served_from_cache(client, cache, "/partners/apc")
    cur = client.get("/api/v1/partners/apc").json()
    update_partner(
        store,  # the app's own store, as a form or API call would use
        "apc",
        {
            "organization_id": "apc",
            "stakeholder_group": cur["stakeholder_group"]["code"],
            "description": "An edit made a moment ago",
        },
        based_on=cur["version"],
        actor=Actor("cli:test"),
    )
    assert "An edit made a moment ago" in client.get("/partners/apc").text


def test_signed_in_pages_are_never_cached(site: Any) -> None:
    client, cache, store = site
    create_user(store, "editor", PASSWORD, roles=[Grant(Role.PARTNER_EDITOR, "apc")])
    login = client.get("/login")
    assert "set-cookie" in login.headers  # the sign-in form: a CSRF token and its cookie
    entries = len(cache)
    token = CSRF.search(login.text).group(1)  # type: ignore[union-attr]
    r = client.post(
        "/login",
        data={"name": "editor", "password": PASSWORD, "csrf_token": token, "next": "/partners"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "eqh_auth" in client.cookies
    assert len(cache) == entries  # forms are not stored
    hits, size = cache.hits, len(cache)
    for _ in range(3):
        page = client.get("/partners/apc")
        assert page.status_code == 200 and "Edit this partner" in page.text
        assert "etag" not in page.headers
        client.get("/country/KEN")
    assert cache.hits == hits and len(cache) == size
    # A bearer token is a signed-in request too.
    client.cookies.clear()
    client.get("/about")
    assert not _served_from_cache(client, cache, "/about", headers={"Authorization": "Bearer x"})
    assert _served_from_cache(client, cache, "/about")


def test_french_and_english_pages_do_not_mix(site: Any) -> None:
    pytest.importorskip("equals.web.language")
    client, _, _ = site
    en = client.get("/indicators").text
    fr = client.get("/fr/indicators").text
    assert 'lang="fr"' in fr and 'lang="en"' in en
    assert client.get("/indicators").text == en
    assert client.get("/fr/indicators").text == fr
    assert client.get("/indicators", headers={"Accept-Language": "es"}).text != en


# -- the middleware on a small app: what is stored and what is not ---------------------------
def _small_app(store: Store, cache: PageCache) -> Any:
    renders = {"n": 0}

    def page(request: Request) -> Response:
        renders["n"] += 1
        kind = request.path_params["kind"]
        body = f"<p>{kind} #{renders['n']}</p>"
        if kind == "post-form":
            body += '<form method="post" action="/x"><button>Go</button></form>'
        if kind == "get-form":
            body += '<form method="get" action="/search"><input name="q"></form>'
        response = HTMLResponse(body, status_code=404 if kind == "missing" else 200)
        if kind == "cookie":
            response.set_cookie("c", "1")
        if kind == "json":
            return Response(f"[{renders['n']}]", media_type="application/json")
        return response

    inner = Starlette(routes=[Route("/{kind}", page), Route("/api/{kind}", page)])
    app = PageCacheMiddleware(inner, store=store, cache=cache)

    async def with_language(scope: Any, receive: Any, send: Any) -> None:
        # What the language middleware does: make the request's language current.
        lang = dict(scope.get("headers", [])).get(b"x-lang", b"en").decode()
        with use_language(lang):
            await app(scope, receive, send)

    return with_language


@pytest.mark.parametrize(
    ("path", "stored"),
    [
        ("/plain", True),
        ("/get-form", True),  # a search form carries nothing private
        ("/post-form", False),
        ("/cookie", False),
        ("/missing", False),
        ("/json", False),
        ("/api/plain", False),  # HTML under /api/: not what the API answers
        ("/api/json", True),
    ],
)
def test_what_is_stored(loaded_store: Store, path: str, stored: bool) -> None:
    cache = PageCache()
    with TestClient(_small_app(loaded_store, cache)) as client:
        first = client.get(path).text
        assert (client.get(path).text == first) is stored
        assert len(cache) == int(stored)


def test_language_is_part_of_the_key(loaded_store: Store) -> None:
    cache = PageCache()
    with TestClient(_small_app(loaded_store, cache)) as client:
        en = client.get("/plain").text
        fr = client.get("/plain", headers={"x-lang": "fr"}).text
        assert en != fr and len(cache) == 2
        assert client.get("/plain", headers={"x-lang": "fr"}).text == fr
        assert client.get("/plain").text == en


def test_lru_bounded_by_bytes() -> None:
    cache = PageCache(max_bytes=40_000)

    def entry(n: int) -> Entry:
        return Entry(((b"content-type", b"text/html"),), b"x" * n, b'"e"', time.monotonic())

    for i in range(10):
        assert cache.put(i, entry(4_000))
        cache.get(0)  # keep the first one recently used
    assert cache.bytes <= 40_000
    assert cache.get(0) is not None and cache.get(1) is None and cache.get(9) is not None
    assert not cache.put("big", entry(20_000))  # over a quarter of the cache: not stored
    expired = PageCache(max_age=0.0)
    expired.put("k", entry(10))
    time.sleep(0.01)
    assert expired.get("k") is None and len(expired) == 0


def test_stamps_are_read_once_when_many_requests_find_them_due(loaded_db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import event

    from equals.web.page_cache import DataVersion

    store = Store(loaded_db_url)
    queries = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
    version = DataVersion(store, check_seconds=60)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: version.refresh(), range(32)))
    assert len(queries) == 2  # meta stamps; sessions, people and audit: once
    assert not version.due()
    store.dispose()
