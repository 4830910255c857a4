"""Is the database there, and ready? Three different answers, never confused.

* it cannot be reached (server down, wrong host or password, unreadable file, missing driver):
  :class:`~equals.core.errors.DatabaseUnavailableError` — initialising would not help;
* it is reachable but empty, or on an older schema: :attr:`DatabaseState.NOT_INITIALISED` /
  :attr:`DatabaseState.OUTDATED` — ``equals init`` (``Store.init``) fixes it;
* it is on this version's schema with the bundled data: :attr:`DatabaseState.READY`.

A URL that is not a database URL at all is bad input (:class:`ValidationError`).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from equals.core.errors import DatabaseUnavailableError, ValidationError
from equals.core.i18n import Msg
from equals.core.problems import define
from equals.store.store import Store, StoreError

INVALID_URL = define(
    "invalid-database-url",
    "The database URL cannot be parsed or names no known database; give e.g. "
    "sqlite:///path/equals.db or postgresql+psycopg://user@host/equals.",
    area="store",
)


class DatabaseState(StrEnum):
    READY = "ready"
    NOT_INITIALISED = "not-initialised"
    OUTDATED = "outdated"


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return text[:300] or type(orig).__name__


def database_state(store: Store) -> DatabaseState:
    """The state of ``store``'s database; ``DatabaseUnavailableError`` if it cannot be reached."""
    try:
        current = store.schema_revision()
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ValidationError(
            Msg("not a usable database URL: %(reason)s", reason=_reason(exc)),
            location=store.safe_url if "://" in store.url else "--db",
            code=INVALID_URL.code,
        ) from exc
    except ModuleNotFoundError as exc:
        raise DatabaseUnavailableError(
            Msg(
                "%(url)s: the database driver is not installed (%(module)s); for PostgreSQL "
                "install equals-hub[postgres]",
                url=store.safe_url,
                module=exc.name,
            )
        ) from exc
    except (DBAPIError, OSError) as exc:
        hint = (
            Msg("check that the folder exists and the file is a writable SQLite database")
            if store.url.startswith("sqlite")
            else Msg(
                "check that the server is running and the host, port, user and password are right"
            )
        )
        raise DatabaseUnavailableError(
            Msg(
                "%(url)s: cannot connect to the database (%(reason)s); %(hint)s. Nothing was "
                "changed.",
                url=store.safe_url,
                reason=_reason(exc).rstrip("."),
                hint=hint,
            )
        ) from exc
    head = store.head_revision()
    if current is None:
        return DatabaseState.NOT_INITIALISED
    if current != head:
        return DatabaseState.OUTDATED
    if not store.get_meta("bundle_fingerprint"):
        return DatabaseState.NOT_INITIALISED
    return DatabaseState.READY


def require_schema(store: Store) -> None:
    """Raise unless the database is on this version's schema (data may still be loading).

    ``StoreError`` (HTTP 503) names the revision and ``equals init``; an unreachable database
    gives ``DatabaseUnavailableError`` instead.
    """
    state = database_state(store)
    if state is DatabaseState.READY:
        return
    current = store.schema_revision()
    head = store.head_revision()
    if current == head:
        return  # migrated; the bundled data is not loaded yet (queries return nothing)
    where = (
        Msg("at schema revision %(revision)s", revision=current)
        if current
        else Msg("not initialised")
    )
    raise StoreError(
        Msg(
            "%(url)s: the database is %(state)s; this version of EQUALS Hub needs revision "
            "%(head)s. Run `equals init --db URL` (or Store(url).init()) to migrate it and "
            "load the bundled data; nothing is lost.",
            url=store.safe_url,
            state=where,
            head=head,
        )
    )
