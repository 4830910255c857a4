"""Dialect helpers for concurrent writers (SQLite and PostgreSQL, same code)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError


def insert_ignore(
    conn: Connection, table: Table, values: Mapping[str, Any], keys: Sequence[str]
) -> bool:
    """``INSERT … ON CONFLICT (keys) DO NOTHING``; True when the row was inserted.

    On PostgreSQL a concurrent uncommitted insert of the same key makes this wait for that
    transaction and then do nothing, instead of failing the whole transaction with a unique
    violation (which a retry could only repeat).
    """
    if conn.dialect.name == "postgresql":
        stmt: Any = (
            postgresql.insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=list(keys))
        )
    else:
        stmt = (
            sqlite.insert(table).values(**values).on_conflict_do_nothing(index_elements=list(keys))
        )
    # RETURNING, not rowcount: the driver's rowcount is not reliable for ON CONFLICT.
    return conn.execute(stmt.returning(*table.primary_key.columns)).first() is not None


# PostgreSQL: serialization failure, deadlock detected, unique violation (a concurrent insert).
_RETRYABLE_SQLSTATE = frozenset({"40001", "40P01", "23505"})


def is_transient(exc: BaseException) -> bool:
    """A failure that a concurrent writer caused and a new attempt may not meet again."""
    if not isinstance(exc, DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate in _RETRYABLE_SQLSTATE
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text
