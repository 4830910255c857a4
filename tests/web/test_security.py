"""Security of the web app: headers and a strict CSP on every response, 413 above the request-size
limit, HEAD on pages, vendored API docs, server-side sign-in sessions with throttling (429 page),
and Secure cookies. A browser test checks every page works under the CSP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from equals.auth import Role, audit_entries, create_user, revoke_tokens, set_disabled, set_password
from equals.settings import Settings
from equals.store import Store
from equals.web.app import create_app
from equals.web.security import CSP

STATIC = Path(__file__).parents[2] / "src" / "equals" / "web" / "static"
PASSWORD = "correct horse battery"
PAGES = ["/", "/indicators", "/indicator/internet_use", "/countries", "/country/KEN", "/about",
         "/sessions", "/login", "/docs", "/redoc"]  # fmt: skip


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    """The app over a database of its own (users and throttling state per test)."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", PASSWORD, roles=[Role.RAPPORTEUR])
    with TestClient(create_app(Settings(db_url=url, init_on_start=False))) as c:
        yield c, store
    store.dispose()


def _csrf(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, "the page must carry a CSRF token"
    return match.group(1)


def _sign_in(client: TestClient, name: str = "amina", password: str = PASSWORD) -> Any:
    data = {"name": name, "password": password, "csrf_token": _csrf(client), "next": "/sessions"}
    return client.post("/login", data=data, follow_redirects=False)


def _signed_in(client: TestClient) -> bool:
    response = client.get("/sessions/new", follow_redirects=False)
    return response.status_code == 200


# -- headers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/", "/api/v1/indicators", "/static/css/site.css", "/no-such-page", "/login"]
)
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    csp = r.headers["content-security-policy"]
    assert csp == CSP
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in r.headers  # plain HTTP: no HSTS


def test_hsts_only_over_https(app_settings: Settings) -> None:
    with TestClient(create_app(app_settings), base_url="https://testserver") as c:
        assert c.get("/api/v1/sources").headers["strict-transport-security"] == "max-age=31536000"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> block"
    assert not re.search(r"\sstyle=\"", html), "inline style attribute"
    assert not re.search(r"<style[\s>]", html), "inline <style> element"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


# -- HEAD -------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [*PAGES, "/api/v1/indicators", "/static/js/equals.js"])
def test_head_is_get_without_a_body(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))


def test_head_of_a_missing_page_is_404(client: TestClient) -> None:
    r = client.head("/country/NOWHERE")
    assert r.status_code == 404 and r.content == b""


# -- request size -----------------------------------------------------------------------------
def test_bodies_over_the_limit_get_413_before_the_route(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    Store(url).migrate()
    settings = Settings(db_url=url, init_on_start=False, max_request_bytes=1000)
    with TestClient(create_app(settings)) as c:
        big = b'{"fields": {"title": "' + b"x" * 2000 + b'"}}'
        r = c.post("/api/v1/sessions/validate", content=big,
                   headers={"content-type": "application/json"})  # fmt: skip
        assert r.status_code == 413
        assert r.json() == {
            "error": {
                "code": "request-too-large",
                "message": "the request body is larger than this server accepts (1,000 bytes)",
            }
        }

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
            for _ in range(5):
                yield b"x" * 400

        r = c.post("/api/v1/sessions/validate", content=chunks(),
                   headers={"content-type": "application/json"})  # fmt: skip
        assert r.status_code == 413 and r.json()["error"]["code"] == "request-too-large"
        # A page answers an HTML page, not JSON.
        r = c.post("/login", data={"name": "x" * 2000, "password": "y"})
        assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
        assert "Request too large" in r.text and "1,000 bytes" in r.text
        # Under the limit the route answers as usual (here: 422 for a bad body, not 413).
        r = c.post("/api/v1/sessions/validate", content=b"{}",
                   headers={"content-type": "application/json"})  # fmt: skip
        assert r.status_code != 413


def test_default_limit_is_two_mebibytes() -> None:
    assert Settings(db_url="sqlite://").max_request_bytes == 2 * 1024 * 1024
    env = {"EQUALS_MAX_REQUEST_BYTES": "5000"}
    assert Settings.from_env(env, db_url="sqlite://").max_request_bytes == 5000


# -- NUL bytes in API URLs ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "parameter"),
    [("/api/v1/releases?source=%00", "source"), ("/api/v1/countries/KE%00N", "path"),
     ("/api/v1/observations?indicator=internet%00_use", "indicator"),
     ("/api/v1/gaps?indicator=internet_use&x%00=1", "x\\0")],
)  # fmt: skip
def test_nul_in_an_api_url_is_422_naming_the_parameter(
    client: TestClient, url: str, parameter: str
) -> None:
    # PostgreSQL cannot compare text with a NUL byte (it was a 500 on /api/v1/releases).
    r = client.get(url)
    assert r.status_code == 422
    assert r.json() == {
        "error": {
            "code": "invalid-parameter",
            "message": f"{parameter}: a NUL byte (%00) is not allowed here",
        }
    }
    assert client.get("/api/v1/gaps?indicator=internet_use&q=a%2500b").status_code == 200


# -- API documentation, vendored ----------------------------------------------------------------
@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_only_vendored_files(client: TestClient, path: str) -> None:
    html = client.get(path).text
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(ref.startswith("/") for ref in refs), refs
    for ref in refs:
        assert client.get(ref).status_code == 200, ref
    assert "/api/v1/openapi.json" in html
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "EQUALS Hub API"
    assert "'unsafe-eval'" not in client.get(path).headers["content-security-policy"]


def test_vendored_assets_carry_their_licences() -> None:
    vendor = STATIC / "vendor"
    for package, licence in [
        ("swagger-ui", "Apache License"),
        ("redoc", "MIT License"),
        ("vega-interpreter", "Copyright"),
    ]:
        assert licence in (vendor / package / "LICENSE").read_text(), package
        assert package in (vendor / "README.md").read_text(), package


# -- sign-in sessions ---------------------------------------------------------------------------
def test_sign_out_ends_the_session_for_a_copied_cookie(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    assert _sign_in(client).status_code == 303 and _signed_in(client)
    copied = dict(client.cookies)
    r = client.post("/logout", data={"csrf_token": _csrf(client, "/sessions")},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and not _signed_in(client)
    client.cookies.clear()
    for k, v in copied.items():
        client.cookies.set(k, v)
    assert not _signed_in(client), "a copied cookie must die with the session"


@pytest.mark.parametrize(
    "end",
    [
        lambda store: revoke_tokens(store, "amina"),
        lambda store: set_disabled(store, "amina", True),
        lambda store: set_password(store, "amina", "another long passphrase"),
    ],
    ids=["revoke", "disable", "password"],
)
def test_revoke_disable_and_password_end_browser_sessions(
    site: tuple[TestClient, Store], end: Any
) -> None:
    client, store = site
    _sign_in(client)
    assert _signed_in(client)
    end(store)
    assert not _signed_in(client)


def test_wrong_password_is_401_and_audited(site: tuple[TestClient, Store]) -> None:
    client, store = site
    r = _sign_in(client, password="not the password")
    assert r.status_code == 401 and "Wrong name or password." in r.text
    entry = audit_entries(store, limit=1)[0]
    assert entry.action == "login.failure" and entry.detail["reason"] == "wrong-password"
    assert entry.detail["address"] == "testclient"


def test_repeated_failures_get_a_429_page(site: tuple[TestClient, Store]) -> None:
    client, store = site
    for _ in range(5):  # the default policy: 5 failures per account in 15 minutes
        assert _sign_in(client, password="not the password").status_code == 401
    r = _sign_in(client)  # even the right password is refused now
    assert r.status_code == 429
    assert r.headers["content-type"].startswith("text/html")
    assert "Too many failed sign-ins for this account; try again in 15 minutes." in r.text
    assert 890 <= int(r.headers["retry-after"]) <= 900
    assert audit_entries(store, limit=1)[0].action == "login.throttled"
    assert not _signed_in(client)


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "\x00"), ("name", "a" * 100_000), ("password", "\x00" * 10),
     ("next", "//evil.example"), ("next", "/\\evil.example"), ("csrf_token", "\x00")],
)  # fmt: skip
def test_odd_sign_in_input_is_never_a_500(
    site: tuple[TestClient, Store], field: str, value: str
) -> None:
    client, _ = site
    data = {"name": "amina", "password": "wrong!", "csrf_token": _csrf(client), "next": "/"}
    data[field] = value
    r = client.post("/login", data=data, follow_redirects=False)
    assert r.status_code in (401, 403, 413), r.text[:200]
    assert "evil" not in r.headers.get("location", "")


# -- Secure cookies -----------------------------------------------------------------------------
def _cookie_flags(response: Any) -> list[str]:
    return list(response.headers.get_list("set-cookie"))


@pytest.mark.parametrize(
    ("setting", "base", "secure"),
    [(None, "http://testserver", False), (None, "https://testserver", True),
     (True, "https://testserver", True), (False, "https://testserver", False)],
)  # fmt: skip
def test_secure_cookie_setting(
    tmp_path: Path, setting: bool | None, base: str, secure: bool
) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", PASSWORD)
    settings = Settings(db_url=url, init_on_start=False, secure_cookies=setting)
    with TestClient(create_app(settings), base_url=base) as c:
        r = _sign_in(c)
        assert r.status_code == 303
        cookies = _cookie_flags(r)
        assert len(cookies) == 2 and all("HttpOnly" in h and "SameSite=lax" in h for h in cookies)
        assert all(("; Secure" in h) is secure for h in cookies), cookies


def test_secure_cookies_over_plain_http_explain_themselves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", PASSWORD)
    settings = Settings(db_url=url, init_on_start=False, secure_cookies=True)
    with TestClient(create_app(settings)) as c:
        assert "Sign-in needs HTTPS here" in c.get("/login").text
        r = c.post("/login", data={"name": "amina", "password": PASSWORD, "csrf_token": "x"})
        assert r.status_code == 400 and "Sign-in needs HTTPS here" in r.text


@pytest.mark.parametrize(
    ("env", "host", "expected"),
    [({}, None, None), ({}, "127.0.0.1", None), ({}, "localhost", None), ({}, "0.0.0.0", True),
     ({"EQUALS_SECURE_COOKIES": "0"}, "0.0.0.0", False),
     ({"EQUALS_SECURE_COOKIES": "auto"}, "0.0.0.0", None),
     ({"EQUALS_SECURE_COOKIES": "1"}, "127.0.0.1", True)],
)  # fmt: skip
def test_secure_cookies_are_on_by_default_outside_localhost(
    env: dict[str, str], host: str | None, expected: bool | None
) -> None:
    assert Settings.from_env(env, db_url="sqlite://", host=host).secure_cookies is expected


# -- in a real browser --------------------------------------------------------------------------
@pytest.mark.browser
def test_every_page_works_under_the_csp(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server)
    problems: dict[str, list[str]] = {}
    for path in PAGES:
        page = context.new_page()
        seen: list[str] = []
        page.on("console", lambda m, seen=seen: seen.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, seen=seen: seen.append(str(e)))
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if path in ("/", "/indicator/internet_use", "/country/KEN"):
            page.wait_for_selector("[data-state=ready]", timeout=15000)
            assert page.locator("[data-state=error]").count() == 0, path
            assert page.locator(".js-map svg, .vega-embed svg").count() >= 1, path
        # ReDoc's footer logo is an image on the vendor's CDN: blocked, and nothing else.
        bad = [m for m in seen if "cdn.redoc.ly" not in m]
        if bad:
            problems[path] = bad
        page.close()
    context.close()
    assert problems == {}


@pytest.mark.parametrize(
    ("host", "env", "expected"),
    [("0.0.0.0", {}, True), ("127.0.0.1", {}, None),
     ("0.0.0.0", {"EQUALS_SECURE_COOKIES": "0"}, False)],
)  # fmt: skip
def test_equals_serve_outside_loopback_sends_secure_cookies(
    monkeypatch: pytest.MonkeyPatch,
    loaded_db_url: str,
    host: str,
    env: dict[str, str],
    expected: bool | None,
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from equals.cli import app as cli

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: seen.update(app=asgi, **kw))
    monkeypatch.delenv("EQUALS_SECURE_COOKIES", raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    result = CliRunner().invoke(cli, ["serve", "--host", host, "--db", loaded_db_url])
    assert result.exit_code == 0, result.output
    assert seen["host"] == host
    assert seen["app"].state.settings.secure_cookies is expected
    assert ("Sign-in cookies are Secure" in result.output) is bool(expected)
