"""Helpers shared by the registry's services: optimistic versions, input parsing, dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic
from sqlalchemy import Connection, Table, select

from equals.auth.model import now
from equals.core.errors import EditConflictError, NotFoundError, ValidationError
from equals.core.i18n import Msg

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
        message = input_message(err)
        if exc.error_count() > 1:
            message = Msg(
                "%(message)s (and %(count)s more)", message=message, count=exc.error_count() - 1
            )
        location = f"{where}: {field}" if where else field
        raise ValidationError(message, location=location) from exc


def input_message(err: Mapping[str, Any]) -> str:
    """Pydantic's message for one invalid input, as a :class:`Msg` (so a person reads it in
    their language) when it is one of the kinds the registry's forms can meet; the English text
    is pydantic's own, byte for byte (anything else stays pydantic's ``msg``)."""
    text = str(err.get("msg", "invalid"))
    try:
        found = _input_message(str(err.get("type", "")), dict(err.get("ctx") or {}))
    except (KeyError, TypeError, ValueError):
        found = None
    return found if found is not None and found == text else text


_DATE_DETAILS = {
    "input is too short": Msg("input is too short"),
    "input is too long": Msg("input is too long"),
    "invalid character in year": Msg("invalid character in year"),
    "invalid character in month": Msg("invalid character in month"),
    "invalid character in day": Msg("invalid character in day"),
    "invalid date separator, expected `-`": Msg("invalid date separator, expected `-`"),
    "month value is outside expected range of 1-12": Msg(
        "month value is outside expected range of 1-12"
    ),
    "day value is outside expected range": Msg("day value is outside expected range"),
}
_EXPECTED = re.compile(r"^(.+) or ('[^']*')$")


def _bound(value: Any) -> str:
    """A limit as pydantic writes it: a whole float without its ".0" (0.0 → "0")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _input_message(kind: str, ctx: dict[str, Any]) -> Msg | None:
    match kind:
        case "missing":
            return Msg("Field required")
        case "extra_forbidden":
            return Msg("Extra inputs are not permitted")
        case "string_type":
            return Msg("Input should be a valid string")
        case "string_too_short":
            if ctx["min_length"] == 1:
                return Msg("String should have at least 1 character")
            return Msg("String should have at least %(count)s characters", count=ctx["min_length"])
        case "string_too_long":
            if ctx["max_length"] == 1:
                return Msg("String should have at most 1 character")
            return Msg("String should have at most %(count)s characters", count=ctx["max_length"])
        case "string_pattern_mismatch":
            return Msg("String should match pattern '%(pattern)s'", pattern=ctx["pattern"])
        case "too_long" if ctx.get("field_type") == "List":
            if ctx["max_length"] == 1:
                return Msg(
                    "List should have at most 1 item after validation, not %(actual)s",
                    actual=ctx["actual_length"],
                )
            return Msg(
                "List should have at most %(count)s items after validation, not %(actual)s",
                count=ctx["max_length"],
                actual=ctx["actual_length"],
            )
        case "list_type":
            return Msg("Input should be a valid list")
        case "greater_than_equal":
            return Msg(
                "Input should be greater than or equal to %(limit)s", limit=_bound(ctx["ge"])
            )
        case "less_than_equal":
            return Msg("Input should be less than or equal to %(limit)s", limit=_bound(ctx["le"]))
        case "greater_than":
            return Msg("Input should be greater than %(limit)s", limit=_bound(ctx["gt"]))
        case "less_than":
            return Msg("Input should be less than %(limit)s", limit=_bound(ctx["lt"]))
        case "float_parsing":
            return Msg("Input should be a valid number, unable to parse string as a number")
        case "float_type":
            return Msg("Input should be a valid number")
        case "finite_number":
            return Msg("Input should be a finite number")
        case "int_parsing":
            return Msg("Input should be a valid integer, unable to parse string as an integer")
        case "int_from_float":
            return Msg("Input should be a valid integer, got a number with a fractional part")
        case "int_type":
            return Msg("Input should be a valid integer")
        case "bool_parsing":
            return Msg("Input should be a valid boolean, unable to interpret input")
        case "date_from_datetime_parsing":
            detail = str(ctx["error"])
            return Msg(
                "Input should be a valid date or datetime, %(error)s",
                error=_DATE_DETAILS.get(detail, detail),
            )
        case "date_from_datetime_inexact":
            return Msg("Datetimes provided to dates should have zero time - e.g. be exact dates")
        case "date_type":
            return Msg("Input should be a valid date")
        case "enum" | "literal_error":
            expected = str(ctx["expected"])
            if m := _EXPECTED.match(expected):
                return Msg(
                    "Input should be %(values)s or %(last)s", values=m.group(1), last=m.group(2)
                )
            return Msg("Input should be %(value)s", value=expected)
        case "value_error":
            error = ctx["error"]
            reason = error.args[0] if isinstance(error, ValueError) and error.args else error
            return Msg(
                "Value error, %(reason)s", reason=reason if isinstance(reason, Msg) else str(reason)
            )
    return None


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


# -- plausible dates ----------------------------------------------------------------------------
#: The earliest date the registry accepts anywhere: partners' older commitments, initiatives
#: and joining dates may well predate the partnership, but nothing before 1900 is meant.
EARLIEST = dt.date(1900, 1, 1)
#: EQUALS was founded in 2016: its own governance bodies (co-founders, steering committee,
#: secretariat) hold no term before then, so a seat's ``since`` and ``until`` start here.
FOUNDED = dt.date(2016, 1, 1)
#: How far ahead a date may lie: a planned end or a target date decades away is real; one
#: further than this is a typo (2205 for 2025).
YEARS_AHEAD = 50


def latest_date(on: dt.date | None = None) -> dt.date:
    """The last date the registry accepts: :data:`YEARS_AHEAD` years after ``on`` (today, UTC)."""
    day = on or today()
    try:
        return day.replace(year=day.year + YEARS_AHEAD)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + YEARS_AHEAD, day=28)


def implausible_date(
    value: dt.date, field: str, *, term: bool = False, on: dt.date | None = None
) -> Msg | None:
    """Why ``value`` (of ``field``) is not a date the registry accepts, or ``None`` when it is.

    The one rule for every date a person or a file gives the registry: from :data:`EARLIEST`
    (:data:`FOUNDED` for a governance ``term``) to :func:`latest_date` (``on`` today), both
    included. The input models apply it to every date field in their validators
    (:data:`equals.partners.model.Date` and ``TermDate``), so the API, the web forms, the CLI
    and the IATI import all refuse the same dates with the same message, naming the field."""
    earliest, latest = (FOUNDED if term else EARLIEST), latest_date(on)
    if earliest <= value <= latest:
        return None
    if term:
        return Msg(
            "%(field)s %(date)s is outside the accepted range for a governance term, "
            "%(earliest)s (EQUALS was founded in 2016) to %(latest)s",
            field=field,
            date=value.isoformat(),
            earliest=earliest.isoformat(),
            latest=latest.isoformat(),
        )
    return Msg(
        "%(field)s %(date)s is outside the accepted range, %(earliest)s to %(latest)s",
        field=field,
        date=value.isoformat(),
        earliest=earliest.isoformat(),
        latest=latest.isoformat(),
    )


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
