"""Observation queries: one filter, full results or pages counted and cut in SQL.

A page is ``LIMIT``/``OFFSET`` over a total order (indicator, area, year, sex, breakdown,
source — the table's key), with a ``COUNT(*)`` of the same filter: a client walking the pages
sees every row once, and nothing is read into memory to be sliced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, func, select

from equals.core.areas import Area
from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.evidence.rows import ObservationRow
from equals.indicators.model import Source
from equals.store import schema

T = TypeVar("T")

MAX_OFFSET = 2**53
"""Largest offset accepted (beyond any table; larger integers overflow database integers)."""
MAX_LIMIT = 1_000_000
TEXT_MAX = 200
"""Longest breakdown text accepted (``location=urban``); longer ones cannot match."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Rows ``offset`` … ``offset + len(rows)`` of ``total`` (``limit`` asked)."""

    rows: tuple[T, ...]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def prev_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None


@dataclass(frozen=True, slots=True)
class ObservationFilter:
    """Resolved filter values (ids checked against the catalogue, areas and sources)."""

    indicator: str | None = None
    source: str | None = None
    area: str | None = None
    sex: Sex | None = None
    year_from: int | None = None
    year_to: int | None = None
    breakdown: str | None = ""

    def where(self) -> list[ColumnElement[bool]]:
        o = schema.observations
        clauses: list[ColumnElement[bool]] = []
        if self.indicator is not None:
            clauses.append(o.c.indicator_id == self.indicator)
        if self.source is not None:
            clauses.append(o.c.source_id == self.source)
        if self.area is not None:
            clauses.append(o.c.area_code == self.area)
        if self.sex is not None:
            clauses.append(o.c.sex == self.sex.value)
        if self.year_from is not None:
            clauses.append(o.c.year >= self.year_from)
        if self.year_to is not None:
            clauses.append(o.c.year <= self.year_to)
        if self.breakdown is not None:
            clauses.append(o.c.breakdown == self.breakdown)
        return clauses

    def select(self) -> Select[Any]:
        o = schema.observations
        return select(o).where(*self.where()).order_by(*_order(o))

    def page(self, limit: int, offset: int) -> Select[Any]:
        """One page, as a deferred join: the page's ids come from the key index alone
        (skipping ``offset`` index entries, not table rows), then only those rows are read
        — a deep page costs about what the first one does."""
        o = schema.observations
        ids = (
            select(o.c.id)
            .where(*self.where())
            .order_by(*_order(o))
            .limit(limit)
            .offset(offset)
            .subquery()
        )
        return select(o).join(ids, o.c.id == ids.c.id).order_by(*_order(o))

    def count(self) -> Select[Any]:
        return select(func.count()).select_from(schema.observations).where(*self.where())


def _order(o: Any) -> tuple[Any, ...]:
    """The table's key: a total order, so pages neither repeat nor skip rows."""
    return (o.c.indicator_id, o.c.area_code, o.c.year, o.c.sex, o.c.breakdown, o.c.source_id)


def check_range(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ValidationError(
            Msg("'from' (%(first)s) is after 'to' (%(last)s)", first=year_from, last=year_to),
            location="from",
            code="bad-range",
        )


def check_breakdown(breakdown: str | None) -> None:
    """A breakdown is short printable text (``location=urban``): say so instead of querying."""
    if breakdown is None:
        return
    if len(breakdown) > TEXT_MAX or any(
        ord(ch) < 32 or 0xD800 <= ord(ch) < 0xE000 for ch in breakdown
    ):
        raise ValidationError(
            Msg(
                "a breakdown is short printable text such as 'location=urban' (at most "
                "%(max)s characters, no control characters)",
                max=TEXT_MAX,
            ),
            location="breakdown",
            code="invalid-parameter",
        )


def check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            Msg(
                "must be between 1 and %(max)s, got %(value)s",
                max=format(MAX_LIMIT, ","),
                value=limit,
            ),
            location="limit",
            code="invalid-parameter",
        )
    if not 0 <= offset <= MAX_OFFSET:
        raise ValidationError(
            Msg("must be between 0 and %(max)s, got %(value)s", max=MAX_OFFSET, value=offset),
            location="offset",
            code="invalid-parameter",
        )


def to_rows(
    rows: Sequence[Any], areas: Mapping[str, Area], sources: Mapping[str, Source]
) -> list[ObservationRow]:
    return [
        ObservationRow(
            indicator=r["indicator_id"],
            area=r["area_code"],
            area_name=areas[r["area_code"]].name,
            year=r["year"],
            sex=Sex(r["sex"]),
            value=r["value"],
            source=r["source_id"],
            licence=sources[r["source_id"]].licence,
            breakdown=r["breakdown"],
            note=r["note"],
            flag=r["flag"],
            se=r["se"],
            ci_low=r["ci_low"],
            ci_high=r["ci_high"],
            n=r["n"],
            flags=None if r["flags"] is None else tuple(f for f in r["flags"].split(";") if f),
            ci_level=r.get("ci_level"),
        )
        for r in rows
    ]


def read_page(conn: Connection, f: ObservationFilter, limit: int, offset: int) -> tuple[int, Any]:
    """``(total, rows of the page)`` in one connection."""
    total = int(conn.execute(f.count()).scalar_one())
    rows = (
        conn.execute(f.select().limit(limit).offset(offset)).mappings().all()
        if offset < total
        else []
    )
    return total, rows
