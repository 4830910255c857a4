"""Helpers shared by the registry's services: optimistic versions, input parsing, dates."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import pydantic
from sqlalchemy import Connection, Table, select

from equals.auth.model import now
from equals.core.errors import EditConflictError, NotFoundError, ValidationError

M = TypeVar("M", bound=pydantic.BaseModel)


def parse(model: type[M], data: Any, where: str = "") -> M:
    """``data`` as ``model``, or a :class:`ValidationError` naming the first bad field (and
    ``where`` it came from, e.g. a file and line)."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ())) or model.__name__
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        location = f"{where}: {field}" if where else field
        raise ValidationError(f"{err.get('msg', 'invalid')}{more}", location=location) from exc


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def bump_version(
    conn: Connection, table: Table, key: str, value: Any, based_on: int, what: str
) -> int:
    """Raise the record's version from ``based_on`` to ``based_on + 1`` in the caller's
    transaction; :class:`EditConflictError` when someone else wrote it first.

    The ``WHERE version = based_on`` makes the check and the write one statement, so of two
    writers based on one version only the first can win (PostgreSQL re-checks the condition
    after the first commits; SQLite serialises writers)."""
    values: dict[str, Any] = {"version": based_on + 1}
    if "updated_at" in table.c:
        values["updated_at"] = now()
    n = conn.execute(
        table.update().where(table.c[key] == value, table.c.version == based_on).values(values)
    ).rowcount
    if n == 1:
        return based_on + 1
    current = conn.execute(
        select(table.c.version).where(table.c[key] == value)
    ).scalar_one_or_none()
    if current is None:
        raise NotFoundError(what.split()[0], str(value))
    raise EditConflictError(what, based_on=based_on, current=int(current))


STAMP_KEY = "partners_version"


def touch(conn: Connection) -> None:
    """Raise the registry's change counter (in ``meta``) inside the caller's write transaction:
    cached derived views (the under-served ranking) key on it. One atomic upsert (SQLite and
    PostgreSQL ``ON CONFLICT``), so concurrent writers all count and none fails."""
    from sqlalchemy import Integer, String, cast
    from sqlalchemy.dialects import postgresql, sqlite

    from equals.store.tables.evidence import meta

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(meta).values(key=STAMP_KEY, value="1")
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[meta.c.key],
            set_={"value": cast(cast(meta.c.value, Integer) + 1, String)},
        )
    )


def stamp(conn: Connection) -> str:
    from equals.store.tables.evidence import meta

    value = conn.execute(select(meta.c.value).where(meta.c.key == STAMP_KEY)).scalar_one_or_none()
    return str(value or "0")
