"""Validate a request against the source and turn it into measures and one aggregation query.

Validation runs a cheap profile pass first (missing design values, negative weights, which
proportion columns are 0/1) so that bad input fails with one clear error before anything is
estimated. Missing values of an analysis variable are *not* errors: those rows leave that
estimate's domain (R ``na.rm=TRUE``) and are counted in the result's ``missing``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from equals.core.i18n import Msg
from equals.survey import columnar
from equals.survey.cells import PSU, STRATUM, by_key
from equals.survey.design import Design
from equals.survey.engine import STREAM_ROWS, CellTable, ColumnKind, Engine
from equals.survey.errors import (
    EmptyDomainVariableError,
    MissingColumnError,
    MissingDesignValueError,
    NegativeWeightError,
    NonNumericVariableError,
    NonNumericWeightError,
    SurveyError,
    TooManyLevelsError,
    kind_name,
)
from equals.survey.finite import check_rows, finite_roles, finite_sums, flagged, raise_nonfinite
from equals.survey.quantities import Quantity, Scalar, Statistic
from equals.survey.sql import (
    EVERY_ROW,
    TABLE,
    Measure,
    Pass,
    Term,
    aggregate_pass,
    differs_item,
    is_binary,
    levels_sql,
    not_null,
    profile_sql,
    same_missing_runs,
)

if TYPE_CHECKING:
    import pyarrow as pa

MAX_LEVELS = 100
NUMERIC = (ColumnKind.NUMERIC, ColumnKind.BOOLEAN)


@dataclass(frozen=True)
class Item:
    """A quantity (levels resolved) and the name of its measure in the aggregated table."""

    quantity: Quantity
    measure: str


@dataclass(frozen=True)
class Plan:
    sql: str
    items: tuple[Item, ...]
    by: tuple[str, ...]  # grouping columns beyond strata and PSU, in key order
    second_order: bool
    n_rows: int
    aliases: dict[str, str]  # moments that equal another column (see sql.Moments)
    spec: Pass  # the pass as data: its SQL is ``sql``; the columnar pass reads it directly


@runtime_checkable
class ColumnarEngine(Protocol):
    """An engine that can hand over a source's columns for the columnar pass."""

    def arrow_columns(self, columns: Sequence[str], rows: int | None = None) -> pa.Table | None: ...


def run_pass(engine: Engine, plan: Plan) -> CellTable:
    """The plan's cells: aggregated on columns in memory (:mod:`equals.survey.columnar`) when
    the engine hands them over and the source has at most :data:`STREAM_ROWS` rows, else by
    the plan's SQL on the engine (Spark; harmonised views; larger sources, which DuckDB
    aggregates within its memory limit)."""
    if isinstance(engine, ColumnarEngine) and plan.n_rows <= STREAM_ROWS:
        table = engine.arrow_columns(plan.spec.columns, plan.n_rows)
        if table is not None:
            cells = columnar.aggregate(table, plan.spec)
            if cells is not None:
                return cells
    elif isinstance(engine, LoadingEngine):
        engine.unload()
    return engine.cells(plan.sql)


def coerce_level(value: Scalar, kind: ColumnKind) -> Scalar:
    """A level typed as its column: '2' → 2 for a numeric column."""
    if kind is ColumnKind.NUMERIC and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return value


def _needs_numbers(statistic: Statistic, column: str, kind: ColumnKind) -> Msg:
    """Why a mean, total or ratio cannot use a column that is not numeric."""
    c, k = repr(column), kind_name(kind)
    if statistic is Statistic.MEAN:
        return Msg(
            "column %(column)s is %(kind)s, not numeric: a mean needs numbers (use --proportion "
            "for categories)",
            column=c,
            kind=k,
        )
    if statistic is Statistic.TOTAL:
        return Msg(
            "column %(column)s is %(kind)s, not numeric: a total needs numbers (use "
            "--proportion for categories)",
            column=c,
            kind=k,
        )
    if statistic is Statistic.RATIO:
        return Msg(
            "column %(column)s is %(kind)s, not numeric: a ratio needs numbers (use "
            "--proportion for categories)",
            column=c,
            kind=k,
        )
    return Msg(
        "column %(column)s is %(kind)s, not numeric: a %(statistic)s needs numbers (use "
        "--proportion for categories)",
        column=c,
        kind=k,
        statistic=str(statistic),
    )


def _check_columns(engine: Engine, design: Design, columns: Sequence[str]) -> dict[str, ColumnKind]:
    schema = engine.schema()
    for col in dict.fromkeys([*design.columns, *columns]):
        if col not in schema:
            raise MissingColumnError(col, list(schema), location=engine.location)
    if schema[design.weight] is not ColumnKind.NUMERIC:
        check_rows(engine)  # a header-only CSV reads as text columns: say it has no rows
        raise NonNumericWeightError(
            Msg(
                "weight column %(column)s is not numeric (%(kind)s)",
                column=repr(design.weight),
                kind=kind_name(schema[design.weight]),
            ),
            location=engine.location,
        )
    if design.fpc and schema[design.fpc] is not ColumnKind.NUMERIC:
        raise NonNumericVariableError(
            Msg("fpc column %(column)s is not numeric", column=repr(design.fpc)),
            location=engine.location,
        )
    return schema


@runtime_checkable
class LoadingEngine(Protocol):
    """An engine that can hold a request's columns in memory for its passes."""

    def load(self, columns: Sequence[str]) -> None: ...

    def unload(self) -> None: ...


def prepare(
    engine: Engine, design: Design, quantities: Sequence[Quantity], by: Sequence[str]
) -> Plan:
    """Validate the request (the profile pass) and plan its aggregation pass. An engine that
    can (:class:`LoadingEngine`) first loads the columns the request reads — the profile and
    the pass then scan them in memory; :func:`run_pass` ends the load, as does an error."""
    by = tuple(dict.fromkeys(by))
    if not isinstance(engine, LoadingEngine):
        return _prepare(engine, design, quantities, by)
    needed = [c for q in quantities for c in q.columns] + list(by)
    _check_columns(engine, design, needed)  # an unknown column fails before anything is read
    engine.load(list(dict.fromkeys([*design.columns, *needed])))
    try:
        return _prepare(engine, design, quantities, by)
    except BaseException:
        engine.unload()
        raise


def _prepare(
    engine: Engine, design: Design, quantities: Sequence[Quantity], by: tuple[str, ...]
) -> Plan:
    needed = [c for q in quantities for c in q.columns] + list(by)
    schema = _check_columns(engine, design, needed)
    d = engine.dialect
    auto = [
        q.variable for q in quantities if q.statistic is Statistic.PROPORTION and q.level is None
    ]
    binary_checks = list(dict.fromkeys(c for c in auto if schema[c] in NUMERIC))
    design_cols = list(design.columns)
    valid_of = {not_null(q.columns, d): q.columns for q in quantities}
    valids = list(valid_of)
    integers = integer_columns(engine)
    # One pass validates everything, the non-finite check included (a sum per numeric column
    # that could hold NaN or ±inf: integer columns cannot).
    finite = finite_roles(design, [c for q in quantities for c in q.columns], schema)
    finite = {c: role for c, role in finite.items() if c not in integers}
    validity_cols = [valid_of[v] for v in valids]
    nulls = known_nulls(engine)
    prof = engine.query(
        profile_sql(
            weight=design.weight,
            design_columns=design_cols,
            binary_checks=binary_checks,
            dialect=d,
            validity=valids,
            extra=finite_sums(list(finite), d),
            integers=integers,
            validity_columns=validity_cols,
            known_nulls=nulls,
            domain_columns=list(by),
        )
    ).iloc[0]
    n_rows = int(prof["n_rows"])
    if n_rows == 0:
        raise SurveyError(Msg("the file has no rows"), location=engine.location)
    for i, col in enumerate(by):
        if _count(prof[f"bynull_{i}"]) == n_rows:
            raise EmptyDomainVariableError(
                Msg(
                    "column %(column)s has no value on any row: no domain can be formed from it",
                    column=repr(col),
                ),
                location=engine.location,
            )
    values = {str(k): v for k, v in prof.items()}
    for start, end, _, count in same_missing_runs(valids, validity_cols, nulls, d):
        if _count(values[f"samenull_{start}"]) == count:
            values |= {f"differs_{i}": 0 for i in range(start + 1, end + 1)}
        else:  # the same number missing, not the same rows: compare them pair by pair
            pairs = ", ".join(differs_item(valids, i) for i in range(start + 1, end + 1))
            row = engine.query(f"SELECT {pairs} FROM {TABLE}").iloc[0]
            values |= {str(k): v for k, v in row.items()}
    suspect = flagged(list(finite), values)
    if suspect:
        raise_nonfinite(engine, {c: finite[c] for c in suspect})
    for q in quantities:
        if q.statistic is not Statistic.PROPORTION:
            for col in q.columns:
                if schema[col] not in NUMERIC:
                    raise NonNumericVariableError(
                        _needs_numbers(q.statistic, col, schema[col]),
                        location=engine.location,
                    )
    for i, col in enumerate(design_cols):
        missing = int(prof[f"null_{i}"] or 0)
        if missing:
            raise MissingDesignValueError(
                Msg(
                    "column %(column)s has %(count)s missing value(s); design variables must "
                    "be complete",
                    column=repr(col),
                    count=missing,
                ),
                location=engine.location,
            )
    if int(prof["weight_negative"] or 0):
        raise NegativeWeightError(
            Msg(
                "weight column %(column)s has %(count)s negative value(s) (smallest %(min)s)",
                column=repr(design.weight),
                count=int(prof["weight_negative"]),
                min=format(float(prof["weight_min"]), "g"),
            ),
            location=engine.location,
        )
    binary = {c for i, c in enumerate(binary_checks) if is_binary(i, values)}
    classes = validity_classes(valids, values)
    items: list[Item] = []
    measures: dict[Measure, str] = {}

    def add(q: Quantity, y: Term, x: Term | None = None) -> None:
        binary = q.statistic is Statistic.PROPORTION
        valid = tuple(q.columns)
        key = Measure("", y, valid, x, binary=binary, validity=classes[not_null(valid, d)])
        if key not in measures:
            measures[key] = f"m{len(measures)}"
        items.append(Item(q, measures[key]))

    for q in quantities:
        if q.statistic is Statistic.RATIO:
            assert q.denominator is not None
            add(q, Term(q.variable), Term(q.denominator))
        elif q.statistic is not Statistic.PROPORTION or q.variable in binary:
            add(q, Term(q.variable))
        else:
            levels = [q.level] if q.level is not None else _levels(engine, q.variable)
            for level in levels:
                lv = coerce_level(level, schema[q.variable])
                if isinstance(lv, float) and math.isnan(lv):
                    continue
                add(replace(q, level=lv), Term(q.variable, lv))
    keys: list[tuple[str, str]] = []
    if design.strata:
        keys.append((STRATUM, design.strata))
    if design.psu:
        keys.append((PSU, design.psu))
    keys += [(by_key(i), col) for i, col in enumerate(by)]
    second_order = design.psu is None
    spec, aliases = aggregate_pass(
        weight=design.weight,
        keys=keys,
        measures=[replace(m, name=name) for m, name in measures.items()],
        fpc=design.fpc,
        second_order=second_order,
        zero_weights=int(prof["weight_zero"] or 0) > 0,
    )
    return Plan(spec.sql(d), tuple(items), by, second_order, n_rows, aliases, spec)


def integer_columns(engine: Engine) -> frozenset[str]:
    """The source's integer and boolean columns, where the engine tells them apart (DuckDB):
    they hold no NaN or ±inf, and a 0/1 check is their MIN and MAX. Empty otherwise."""
    method = getattr(engine, "integer_columns", None)
    return frozenset(method()) if callable(method) else frozenset()


def known_nulls(engine: Engine) -> dict[str, int]:
    """The missing counts the engine knows without a scan (DuckDB over a Parquet file: its
    metadata). Empty otherwise."""
    method = getattr(engine, "known_nulls", None)
    return dict(method()) if callable(method) else {}


def validity_classes(valids: Sequence[str], prof: Mapping[str, object]) -> dict[str, str]:
    """Validity condition → its class: :data:`~equals.survey.sql.EVERY_ROW` when no row
    fails it, else shared with the condition before it when they hold on the same rows
    (e.g. a block of questions asked of the same persons), else a class of its own."""
    out: dict[str, str] = {}
    for i, valid in enumerate(valids):
        if _count(prof[f"invalid_{i}"]) == 0:
            out[valid] = EVERY_ROW
        elif i and _count(prof[f"differs_{i}"]) == 0:
            out[valid] = out[valids[i - 1]]
        else:
            out[valid] = f"v{i}"
    return out


def _count(value: object) -> int:
    return 0 if value is None or value != value else int(value)  # type: ignore[call-overload]


def _levels(engine: Engine, column: str) -> list[Scalar]:
    frame = engine.query(levels_sql(column, engine.dialect, MAX_LEVELS + 1))
    values: list[Scalar] = [v.item() if hasattr(v, "item") else v for v in frame["v"].tolist()]
    if len(values) > MAX_LEVELS:
        raise TooManyLevelsError(
            Msg(
                "column %(column)s has more than %(max)s distinct values; give a level "
                "(--proportion %(name)s=VALUE) or a 0/1 column",
                column=repr(column),
                max=MAX_LEVELS,
                name=column,
            ),
            location=engine.location,
        )
    return values
