"""The base of :class:`~equals.evidence.queries.Evidence`: connections that report an
unreachable or outdated database as such, and a cache per data version."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Lock
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import InterfaceError, OperationalError

from equals.core.errors import DatabaseUnavailableError
from equals.core.i18n import Msg
from equals.evidence.database import require_schema
from equals.indicators.catalogue import Catalogue, load_catalogue
from equals.store.store import Store

T = TypeVar("T")

VERSION_TTL = 1.0
"""Seconds between checks of the database's data version (see ``EvidenceBase._version``)."""


class EvidenceBase:
    """A store, the catalogue, checked connections and a cache per data version."""

    def __init__(self, store: Store, catalogue: Catalogue | None = None) -> None:
        self.store = store
        self.catalogue = catalogue or load_catalogue()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._lock = Lock()
        self._flights: dict[tuple[Any, ...], Lock] = {}
        self._db_version = 0
        self._version_checked = -math.inf
        self._schema_ok = False

    # -- connections ----------------------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        """A connection, after checking once that the database is on this version's schema
        (a database from an older release gives one clear error, not SQL errors); a lost
        connection is reported as such (``DatabaseUnavailableError``, HTTP 503)."""
        if not self._schema_ok:
            self._check_schema()
        try:
            with self.store.connect() as conn:
                yield conn
        except (OperationalError, InterfaceError) as exc:
            raise DatabaseUnavailableError(
                Msg(
                    "%(url)s: the database connection failed: %(reason)s",
                    url=self.store.safe_url,
                    reason=" ".join(str(exc.orig).split())[:300],
                )
            ) from exc

    def _check_schema(self) -> None:
        require_schema(self.store)  # unreachable: DatabaseUnavailableError; old: StoreError
        self._schema_ok = True

    # -- caching ------------------------------------------------------------------------
    def _version(self) -> tuple[int, int]:
        """The data version, read from the database at most every ``VERSION_TTL`` seconds.

        Loads through this process's own :class:`Store` show up at once (``local_version``);
        loads by another process (``equals init`` while the server runs) within the TTL.
        """
        if not self._schema_ok:
            self._check_schema()
        now = time.monotonic()
        with self._lock:
            if now - self._version_checked > VERSION_TTL:
                with self._connect() as conn:
                    self._db_version = int(self.store.get_meta("data_version", conn) or 0)
                self._version_checked = now
            return (self.store.local_version, self._db_version)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, memoised per data version under ``key`` (for derived views)."""
        result: T = self._cached(key, compute)
        return result

    def _cached(self, key: tuple[Any, ...], compute: Any) -> Any:
        """One computation per key and data version, even when many requests ask at once
        (single flight): the first computes, the others wait for its result instead of
        repeating the work (a cold server under load would otherwise compute each view once
        per concurrent request)."""
        version = self._version()
        full = (version, *key)
        with self._lock:
            if full in self._cache:
                return self._cache[full]
            flight = self._flights.setdefault(full, Lock())
        with flight:
            with self._lock:
                if full in self._cache:
                    return self._cache[full]
            try:
                value = compute()
                with self._lock:
                    if len(self._cache) > 2048:
                        self._cache.clear()
                    self._cache[full] = value
            finally:
                with self._lock:
                    self._flights.pop(full, None)
        return value
