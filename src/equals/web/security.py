"""Security headers, a request-size limit and ``HEAD`` for every ``GET`` route: one ASGI
middleware, :class:`SecurityMiddleware`, registered once in ``create_app``.

- **Headers** on every response: a strict Content-Security-Policy (scripts and styles only from
  this site, no inline script, no ``eval``; ``frame-ancestors 'none'``), ``X-Content-Type-Options:
  nosniff``, ``X-Frame-Options: DENY`` (for browsers without CSP 3), ``Referrer-Policy:
  strict-origin-when-cross-origin``, ``Cross-Origin-Opener-Policy: same-origin`` and a
  ``Permissions-Policy`` that turns off sensors; ``Strict-Transport-Security`` over HTTPS. Chart
  embeds (``?embed=1``, marked by their route) alone allow ``frame-ancestors *`` and drop
  ``X-Frame-Options``, so that other sites can frame them. The API
  documentation pages (``/docs``, ``/redoc``) also allow inline *styles*, which Swagger UI and
  ReDoc set at run time, and ReDoc's ``blob:`` search worker; their scripts are vendored files
  like the rest.
- **Request size**: a body larger than ``Settings.max_request_bytes`` gets 413 with the error body
  (HTML for pages) — at once when ``Content-Length`` says so, else as soon as the streamed body
  passes the limit, before the route sees it.
- **HEAD**: answered as the ``GET`` of the same URL without its body (RFC 9110 §9.3.2).
- **NUL bytes** in the path or a query parameter of an API request are refused (422 naming
  the parameter) before any route runs: no identifier or text of the platform holds one, and
  PostgreSQL cannot even compare with one. (Pages handle such input themselves, with HTML.)
"""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from equals.core.i18n import Msg, current_language, format_number, localised

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_BASE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
DOCS_PATHS = ("/docs", "/redoc")


def _csp(**overrides: str) -> str:
    policy = {**_BASE_CSP, **{k.replace("_", "-"): v for k, v in overrides.items()}}
    return "; ".join(f"{k} {v}" for k, v in policy.items())


CSP = _csp()
# Embeds (a chart page asked for with ``?embed=1``) are meant to be framed by other sites: the
# route marks its response with FRAMEABLE_HEADER (equals.web.chart_data.frameable), and only
# then does the policy allow any frame ancestor and X-Frame-Options go. Every other page —
# forms above all — stays unframeable, whatever its query string says.
FRAMEABLE_HEADER = "x-equals-frameable"
EMBED_CSP = _csp(frame_ancestors="*")
# Swagger UI and ReDoc set styles at run time; ReDoc runs its search index in a blob: worker.
DOCS_CSP = _csp(style_src="'self' 'unsafe-inline'", worker_src="'self' blob:")

HEADERS: tuple[tuple[str, str], ...] = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
)
HSTS = "max-age=31536000"


class _TooLarge(BaseException):
    """Raised from ``receive``: a BaseException so that no route's ``except Exception`` (FastAPI
    turns body-reading errors into 400) swallows it before this middleware answers 413."""


def _is_page(path: str) -> bool:
    return not path.startswith(("/api/", "/static/"))


def nul_parameter(scope: Scope) -> str | None:
    """The name of the first part of the URL holding a NUL byte (``path`` or a parameter)."""
    if "\x00" in scope.get("path", ""):
        return "path"
    raw = scope.get("query_string", b"")
    if b"%00" not in raw and b"\x00" not in raw:
        return None
    for key, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        if "\x00" in key or "\x00" in value:
            return key.replace("\x00", "\\0")[:60] or "query"
    return None


BACK = Msg("Back to the start page")


def error_page(path: str, code: str, title: str, message: str) -> tuple[bytes, str]:
    """An error answer: the API's error body (English), or a small HTML page for pages, in
    the reader's language (``title`` and ``message`` are translated when they are
    :class:`~equals.core.i18n.Msg`; the language middleware runs outside this one)."""
    if _is_page(path):
        from equals.web.language import localised as local_path

        heading, text = html.escape(localised(title)), localised(message)
        page = (
            f'<!doctype html><html lang="{current_language()}"><meta charset="utf-8"><title>'
            f"{heading} · EQUALS Hub</title><h1>{heading}</h1><p>"
            + html.escape(text[:1].upper() + text[1:])
            + ("" if text.endswith((".", "?", "!")) else ".")
            + f'</p><p><a href="{local_path("/")}">{html.escape(BACK.localised())}</a></p>'
            "</html>"
        )
        return page.encode(), "text/html; charset=utf-8"
    body = {"error": {"code": code, "message": str(message)}}
    return json.dumps(body).encode(), "application/json"


def too_large_body(path: str, limit: int) -> tuple[bytes, str]:
    """The 413 answer: the API's error body, or a small HTML page for pages (the limit in the
    reader's number format)."""
    shown = format_number(limit, 0) if _is_page(path) else f"{limit:,}"
    message = Msg(
        "the request body is larger than this server accepts (%(limit)s bytes)", limit=shown
    )
    return error_page(path, "request-too-large", Msg("Request too large"), message)


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, *, max_request_bytes: int = 2 * 1024 * 1024) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        head = scope.get("method") == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        secure = scope.get("scheme") == "https"
        policy = DOCS_CSP if path in DOCS_PATHS else CSP
        started = False

        async def send_wrapped(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = message.get("headers", [])
                embed = any(k.lower() == FRAMEABLE_HEADER.encode() for k, _ in raw)
                headers = [
                    (k, v)
                    for k, v in raw
                    if k.lower() not in {b"content-security-policy", FRAMEABLE_HEADER.encode()}
                ]
                present = {k.lower() for k, _ in headers}
                extra = [("content-security-policy", EMBED_CSP if embed else policy), *HEADERS]
                if embed:
                    extra = [h for h in extra if h[0] != "x-frame-options"]
                if secure:
                    extra.append(("strict-transport-security", HSTS))
                headers += [(k.encode(), v.encode()) for k, v in extra if k.encode() not in present]
                message = dict(message, headers=headers)
            elif message["type"] == "http.response.body" and head:
                message = dict(message, body=b"")
            await send(message)

        bad = nul_parameter(scope) if path.startswith("/api/") else None
        if bad is not None:
            message = f"{bad}: a NUL byte (%00) is not allowed here"  # the API's only: English
            body, kind = error_page(path, "invalid-parameter", "Bad request", message)
            await _answer(send_wrapped, 422, body, kind)
            return
        length = _content_length(scope)
        if length is not None and length > self.max_request_bytes:
            await self._reject(path, send_wrapped)
            return
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_request_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, receive_limited, send_wrapped)
        except _TooLarge:
            if started:
                raise
            await self._reject(path, send_wrapped)

    async def _reject(self, path: str, send: Send) -> None:
        body, content_type = too_large_body(path, self.max_request_bytes)
        await _answer(send, 413, body, content_type, close=True)


async def _answer(
    send: Send, status: int, body: bytes, content_type: str, *, close: bool = False
) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() and len(text) < 20 else None
    return None
