"""A response cache for anonymous pages and API answers: :class:`PageCacheMiddleware`,
registered once in ``create_app`` as the innermost middleware.

A public page is the same for every anonymous visitor until the data changes, so rendering it
again for each request is wasted work (a ranking of 200 countries, a country profile, the index
tables); so is an API answer (the gap table of an indicator as JSON or CSV). The middleware
keeps the bytes of such answers, keyed by

- the path and the query parameters (sorted, so ``?a=1&b=2`` and ``?b=2&a=1`` share an entry;
  ``?embed=1`` and every other variant are their own entries), and the scheme, ``Host`` and
  root path (pages with absolute links differ by them; a forged ``Host`` gets its own entry),
- the language of the request (:func:`equals.core.i18n.current_language`, which the language
  middleware sets: this middleware runs *inside* it, so the key holds the right language), and
- the **data version**: the evidence store's version (``Store.local_version`` at once for loads
  in this process; ``data_version`` in ``meta``), the partnership registry's change counter
  (``partners_version``), a fingerprint of the session archive (count and summed versions of
  the sessions, number of people) and the newest audit entry (every audited write, e.g. a person
  merged or split). The database part is read again after any transaction committed in this
  process (any engine: the site, the API, a notebook or test with its own
  ``Store``), after any write request (``POST``/``PUT``/``PATCH``/``DELETE``) through this app,
  and at least every ``check_seconds`` (1 s, as :class:`~equals.evidence.base.EvidenceBase`
  does), so an edit is seen by the next page; a change by another process within a second.
  Entries also expire after ``max_age`` seconds (5 minutes), which bounds the staleness of
  anything that depends on the clock.

What is never cached: anything but ``GET`` (``HEAD`` arrives here as ``GET``); static files
(their own route); requests with an ``Authorization`` header or the sign-in cookie; responses
that are not ``200``, that set a cookie or say ``no-store``/``private``; pages that are not HTML
or whose body holds a CSRF token or a ``POST`` form; API answers that are not JSON or CSV.
Memory is bounded: least recently used entries go first once the stored bodies pass
``max_bytes``.

Hits carry an ``ETag``: an editable record's own (its version, which ``If-Match`` checks on a
write), else a hash of the body; ``If-None-Match`` with it answers ``304 Not
Modified`` without a body. ``Vary: Cookie, Authorization`` tells shared caches that signed-in
visitors and token holders get other answers (the language middleware adds
``Vary: Accept-Language``).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from equals.core.i18n import current_language
from equals.store import Store
from equals.store.tables.auth import audit_log
from equals.store.tables.evidence import meta
from equals.store.tables.sessions import people, sessions

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

AUTH_COOKIE = b"eqh_auth"  # equals.web.auth_deps.AUTH_COOKIE (not imported: no cycle)
SKIP_PREFIXES = ("/static/",)
API_PREFIX = "/api/"
DATA_TYPES = (b"application/json", b"text/csv")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_POST_FORM = re.compile(rb"<form\b[^>]*\bmethod\s*=\s*[\"']?post", re.IGNORECASE)
_HOP_HEADERS = frozenset({b"content-length", b"date", b"server", b"etag"})


@dataclass(frozen=True, slots=True)
class Entry:
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes
    stored: float

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class PageCache:
    """An LRU of rendered pages, bounded by the bytes it holds; safe across threads."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024, max_age: float = 300.0) -> None:
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes

    def get(self, key: Hashable) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and time.monotonic() - entry.stored > self.max_age:
                self._drop(key)
                entry = None
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, entry: Entry) -> bool:
        """Store ``entry`` (False when it alone is larger than a quarter of the cache)."""
        if entry.size > self.max_bytes // 4:
            return False
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes and self._entries:
                self._drop(next(iter(self._entries)))
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key)
        self._bytes -= entry.size


class _Commits:
    """Transactions committed in this process, through any engine (a form, the API, a library
    call from a notebook or a test with its own :class:`Store`): a counter that the SQLAlchemy
    ``commit`` event raises, listened to once, when the first cache is built."""

    count = 0
    _listening = False
    _lock = threading.Lock()

    @classmethod
    def listen(cls) -> None:
        with cls._lock:
            if not cls._listening:
                event.listen(Engine, "commit", cls._committed)
                cls._listening = True

    @classmethod
    def _committed(cls, _conn: Any) -> None:
        cls.count += 1


class DataVersion:
    """What the cached pages depend on: ``(Store.local_version, database stamps)``.

    The database part (evidence ``data_version``, ``partners_version``, a session-archive
    fingerprint) is one query, run again after any commit in this process, after
    :meth:`stale`, and at least every ``check_seconds`` (for writes by other processes)."""

    def __init__(self, store: Store, check_seconds: float = 1.0) -> None:
        self.store = store
        self.check_seconds = check_seconds
        self._stamps: tuple[Any, ...] | None = None
        self._checked = -float("inf")
        self._commits = -1
        self._lock = threading.Lock()
        _Commits.listen()

    def stale(self) -> None:
        """Read the database stamps again on the next request (a write just happened)."""
        self._checked = -float("inf")

    def due(self) -> bool:
        return (
            self._stamps is None
            or self._commits != _Commits.count
            or time.monotonic() - self._checked > self.check_seconds
        )

    def refresh(self) -> None:
        """Read the stamps if still :meth:`due`: of many requests that find them due at once
        (every second under load), one queries and the others use its answer."""
        with self._lock:
            if self.due():
                self._read()

    def _read(self) -> None:
        started, commits = time.monotonic(), _Commits.count
        keys = ("data_version", "partners_version")
        with self.store.connect() as conn:
            stamps = dict(
                conn.execute(select(meta.c.key, meta.c.value).where(meta.c.key.in_(keys))).all()
            )
            # The session archive's fingerprint, the number of people, and the newest audit
            # entry: every audited write (a person merged or split, a record edited, by any
            # process) adds one, which catches what the counters do not.
            archive = conn.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(sessions.c.version), 0),
                    select(func.count()).select_from(people).scalar_subquery(),
                    select(func.max(audit_log.c.id)).scalar_subquery(),
                ).select_from(sessions)
            ).one()
        self._stamps = (*(stamps.get(k) for k in keys), *archive)
        self._checked, self._commits = started, commits

    def current(self) -> tuple[Any, ...]:
        if self.due():
            self.refresh()
        return (self.store.local_version, self._stamps)


def _cookie_names(headers: list[tuple[bytes, bytes]]) -> set[bytes]:
    names: set[bytes] = set()
    for key, value in headers:
        if key == b"cookie":
            for part in value.split(b";"):
                names.add(part.split(b"=", 1)[0].strip())
    return names


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def cacheable_request(scope: Scope) -> bool:
    """An anonymous ``GET`` of a page or an API answer (not a static file)."""
    if scope.get("method") != "GET":
        return False
    path: str = scope.get("path", "")
    if path.startswith(SKIP_PREFIXES):
        return False
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    if _header(headers, b"authorization") is not None:
        return False
    return AUTH_COOKIE not in _cookie_names(headers)


def cacheable_response(
    status: int, headers: list[tuple[bytes, bytes]], body: bytes, *, api: bool = False
) -> bool:
    """A ``200`` for anyone, with no cookie set: an HTML page without a CSRF token or a ``POST``
    form; or (``api``) JSON or CSV. An editable record keeps its own ``ETag`` (its version,
    which ``If-Match`` checks on a write): the cached answer is dropped with the data version
    that any write moves, so a client never sends an older version than a fresh read would
    give it, except for a write by another process within ``check_seconds`` — and then the
    write it bases on that answer gets the 409 of any stale edit, and loses nothing."""
    if status != 200:
        return False
    lowered = {k.lower(): v.lower() for k, v in headers}
    kind = lowered.get(b"content-type", b"")
    if api:
        if not kind.startswith(DATA_TYPES):
            return False
    elif not kind.startswith(b"text/html"):
        return False
    if b"set-cookie" in lowered:
        return False
    control = lowered.get(b"cache-control", b"")
    if b"no-store" in control or b"private" in control:
        return False
    return api or (b"csrf_token" not in body and _POST_FORM.search(body) is None)


def _with_vary(headers: list[tuple[bytes, bytes]], value: bytes) -> list[tuple[bytes, bytes]]:
    out, seen = [], False
    for key, current in headers:
        if key.lower() == b"vary":
            seen = True
            names = {p.strip().lower() for p in current.split(b",")}
            if value.lower() not in names:
                current = current + b", " + value
        out.append((key, current))
    if not seen:
        out.append((b"vary", value))
    return out


def _vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Signed-in visitors (a cookie) and token holders (``Authorization``) get other answers."""
    return _with_vary(_with_vary(headers, b"Cookie"), b"Authorization")


def _etag_matches(header: bytes | None, etag: bytes) -> bool:
    if header is None:
        return False
    candidates = {t.strip().removeprefix(b"W/") for t in header.split(b",")}
    return etag in candidates or b"*" in candidates


class PageCacheMiddleware:
    """Serve anonymous HTML pages from :class:`PageCache` (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: Store,
        cache: PageCache | None = None,
        check_seconds: float = 1.0,
    ) -> None:
        self.app = app
        self.cache = cache if cache is not None else PageCache()
        self.version = DataVersion(store, check_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("method") in WRITE_METHODS:
            try:
                await self.app(scope, receive, send)
            finally:
                self.version.stale()
            return
        if not cacheable_request(scope):
            await self.app(scope, receive, send)
            return
        try:
            if self.version.due():
                await run_in_threadpool(self.version.refresh)
            version = self.version.current()
        except SQLAlchemyError:
            # The database is unreachable or not set up: the route reports that itself
            # (503 with the error body, or its page), uncached.
            await self.app(scope, receive, send)
            return
        query = sorted(parse_qsl(scope.get("query_string", b"").decode("latin-1"), True))
        # Scheme, host and root path too: some pages write absolute links (downloads, chart
        # embeds), and a forged Host header must not poison what others get.
        origin = (
            scope.get("scheme"),
            _header(scope.get("headers", []), b"host"),
            scope.get("root_path", ""),
        )
        key = (scope["path"], tuple(query), origin, current_language(), version)
        entry = self.cache.get(key)
        if entry is not None:
            await self._answer(scope, send, entry)
            return
        await self._render_and_store(scope, receive, send, key)

    async def _answer(self, scope: Scope, send: Send, entry: Entry) -> None:
        match = _etag_matches(_header(scope.get("headers", []), b"if-none-match"), entry.etag)
        headers = [*entry.headers, (b"etag", entry.etag)]
        if match:
            kept = [(k, v) for k, v in headers if k not in (b"content-type",)]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        headers.append((b"content-length", str(len(entry.body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})

    async def _render_and_store(
        self, scope: Scope, receive: Receive, send: Send, key: Hashable
    ) -> None:
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        size = 0
        limit = self.cache.max_bytes // 4

        async def capture(message: Message) -> None:
            nonlocal status, headers, size
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(bytes(k).lower(), bytes(v)) for k, v in message.get("headers", [])]
                if status == 200:
                    message = dict(message, headers=_vary(headers))
            elif message["type"] == "http.response.body" and size <= limit:
                body = message.get("body", b"")
                size += len(body)
                chunks.append(body)
                if not message.get("more_body", False):
                    api = str(scope["path"]).startswith(API_PREFIX)
                    self._store(key, status, headers, b"".join(chunks), api=api)
            await send(message)

        await self.app(scope, receive, capture)

    def _store(
        self,
        key: Hashable,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        *,
        api: bool,
    ) -> None:
        if not cacheable_response(status, headers, body, api=api):
            return
        kept = tuple((k, v) for k, v in _vary(headers) if k not in _HOP_HEADERS)
        own = dict(headers).get(b"etag")  # a record's version ("v3"), kept for If-Match
        etag = own or b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'
        self.cache.put(key, Entry(kept, body, etag, time.monotonic()))
