"""The language of a request: URL prefix, then cookie, then ``Accept-Language``.

Pages in French and Spanish live under a path prefix — ``/fr/country/CIV``, ``/es/indicators``
— so a shared link keeps its language; English, the default, has no prefix. The middleware
strips the prefix before routing (routes and templates never see it), makes the language
current (:func:`equals.core.i18n.current_language`, the single source of truth, which page
caches key on: a page's HTML depends on the language only).

Without a prefix: the ``equals_lang`` cookie, else the best shipped language of
``Accept-Language`` by q-value, else English. The cookie remembers one thing: that the reader
chose English explicitly (the switcher's ``/en/...`` links, rendered in English without a
redirect), so that English links, which have no prefix, stay English on a French browser. An
explicit French or Spanish page clears it (its links carry their prefix).

Responses say ``Content-Language`` and, when negotiated, ``Vary: Accept-Language, Cookie``.
A redirect to a local path keeps the prefix. Links in templates are written
``href="{{ lang_prefix }}/indicators"`` (:func:`lang_prefix`); ``/api/`` paths are never
prefixed (JSON is not translated).
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from equals.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, normalise, use_language

COOKIE = "equals_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
#: Paths that never carry a language prefix in links (data, files, API documentation).
UNPREFIXED = ("/api/", "/static/", "/docs", "/redoc")


def parse_accept_language(header: str | None) -> list[str]:
    """Shipped languages of an ``Accept-Language`` header, best first.

    ``"de-CH, fr;q=0.8, es;q=0.9, en;q=0"`` → ``["es", "fr"]``: ordered by q-value (ties keep
    header order), ``q=0`` means "not this one", malformed q-values count as 0, unshipped
    languages and ``*`` are skipped.
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        lang = normalise(tag)
        if lang and 0 < q <= 1:
            weighted.append((-q, index, lang))
    out: list[str] = []
    for _q, _i, lang in sorted(weighted):
        if lang not in out:
            out.append(lang)
    return out


def negotiate(accept_language: str | None) -> str:
    """The best shipped language for this header, English when none fits."""
    best = parse_accept_language(accept_language)
    return best[0] if best else DEFAULT_LANGUAGE


def choose(path: str, cookie_header: str | None, accept_language: str | None) -> str:
    """A request's language: its URL prefix, else the ``equals_lang`` cookie, else the best
    of ``Accept-Language``, else English (the middleware's rule, also for the 500 page, which
    runs outside the middleware)."""
    explicit = split_prefix(path)[0]
    if explicit is not None:
        return explicit
    return normalise(_cookie(cookie_header or "", COOKIE)) or negotiate(accept_language)


def split_prefix(path: str) -> tuple[str | None, str]:
    """``/fr/country/CIV`` → ``("fr", "/country/CIV")``; ``/fr`` → ``("fr", "/")``;
    a path without a shipped language prefix → ``(None, path)``."""
    head, sep, rest = path[1:].partition("/")
    if head in LANGUAGES:
        return head, "/" + rest if sep else "/"
    return None, path


def prefix_for(lang: str) -> str:
    """The path prefix of a language's pages: ``/fr``, ``/es``; English has none."""
    return "" if lang == DEFAULT_LANGUAGE else f"/{lang}"


def lang_prefix() -> str:
    """The prefix that keeps the current language in a link (``""`` in English)."""
    return prefix_for(current_language())


def localised(path: str, lang: str | None = None) -> str:
    """A local path in ``lang`` (the current language by default): ``/fr/about``.

    Fragments, queries, external URLs and unprefixed areas (API, static files) pass through.
    """
    if not path.startswith("/") or path.startswith("//") or path.startswith(UNPREFIXED):
        return path
    if split_prefix(path)[0] is not None:
        return path
    prefix = prefix_for(lang or current_language())
    if not prefix:
        return path
    return prefix if path == "/" else prefix + path


def switch_links(path: str, query: str) -> list[tuple[str, str, str]]:
    """``(code, name, href)`` for every shipped language: the same page and query in it.

    English links to ``/en/...`` so that an explicit choice of English is remembered even
    when the browser prefers another language.
    """
    tail = path + (f"?{query}" if query else "")
    return [
        (code, name, f"/{code}{tail}" if tail != "/" else f"/{code}/")
        for code, name in LANGUAGES.items()
    ]


class LanguageMiddleware:
    """Pure ASGI: choose the language, strip its prefix, label the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        explicit, path = split_prefix(scope["path"])
        headers = _headers(scope["headers"])
        cookie = _cookie(headers.get("cookie", ""), COOKIE)
        if explicit is not None:
            lang = explicit
            scope = dict(scope)
            scope["path"] = path
            raw = scope.get("raw_path")
            if raw is not None:
                scope["raw_path"] = raw[len(explicit) + 1 :] or b"/"
        else:
            lang = normalise(cookie) or negotiate(headers.get("accept-language"))
        is_api = path.startswith("/api/")

        async def send_labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                if not is_api:
                    out["content-language"] = lang
                if explicit is None:
                    out.add_vary_header("Accept-Language")
                    out.add_vary_header("Cookie")
                elif explicit == DEFAULT_LANGUAGE and cookie != explicit:
                    out.append("set-cookie", _set_cookie(explicit, COOKIE_MAX_AGE))
                elif explicit != DEFAULT_LANGUAGE and cookie is not None:
                    out.append("set-cookie", _set_cookie("", 0))  # a newer explicit choice
                location = out.get("location")
                if location and explicit is not None:
                    out["location"] = localised(location, lang)
            await send(message)

        with use_language(lang):
            await self.app(scope, receive, send_labelled)


def _set_cookie(value: str, max_age: int) -> str:
    return f"{COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Lax"


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in raw:
        name = key.decode("latin-1").lower()
        text = value.decode("latin-1")
        out[name] = f"{out[name]}, {text}" if name in out and name != "cookie" else text
    return out


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip('"')
    return None
