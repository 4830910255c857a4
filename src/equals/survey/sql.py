"""SQL text of the engine's passes, in one place, portable between DuckDB and Spark SQL.

Only ANSI constructs are used — ``SELECT … GROUP BY``, ``SUM``, ``COUNT``, ``MIN``, ``MAX``,
``CASE WHEN``, ``CAST(… AS DOUBLE)`` — so the same text runs on DuckDB and on Spark SQL; the
only dialect difference is how identifiers are quoted (``"x"`` vs ```x```).

The aggregation pass reduces the microdata to one row per cell = stratum × PSU × domain keys,
holding weighted first moments of every measure (and, when every row is its own PSU,
second moments in w², so that the variance needs no row-level table).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from equals.survey.quantities import Scalar

TABLE = "survey_data"


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    quote: str

    def ident(self, name: str) -> str:
        q = self.quote
        return q + name.replace(q, q + q) + q


DUCKDB = Dialect("duckdb", '"')
SPARK = Dialect("spark", "`")


def literal(value: Scalar) -> str:
    """A SQL literal for a level value (numbers as numbers, anything else as a string)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(float(value)) if isinstance(value, float) else str(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Term:
    """A per-row number: a column's value (as a double), or — with a ``level`` — 1.0 where
    the column equals the level and 0.0 elsewhere (a category's indicator)."""

    column: str
    level: Scalar | None = None

    def sql(self, d: Dialect) -> str:
        if self.level is None:
            return column_value(self.column, d)
        return level_indicator(self.column, self.level, d)


WEIGHT = "w"  # the factor of an aggregate that is the row's weight


@dataclass(frozen=True, slots=True)
class Measure:
    """A per-row number ``y`` (and ``x`` for ratios), valid on the rows where every column of
    ``valid`` has a value.

    ``binary``: ``y`` is 0 or 1 on every valid row (a proportion), so y² = y and the moments
    in y² are not summed. ``validity``: the name of its validity class — measures valid on
    exactly the same rows (e.g. questions asked of the same persons) share their counts and
    weight sums; ``cell`` is the class of measures valid on every row (the profile pass finds
    the classes).
    """

    name: str
    y: Term
    valid: tuple[str, ...]
    x: Term | None = None
    binary: bool = False
    validity: str = ""


EVERY_ROW = "cell"  # the validity class of a measure with no missing value: the cell's moments


@dataclass(frozen=True, slots=True)
class Aggregate:
    """One column of the aggregation pass, per cell: a row count (no ``factors``) or the sum
    of a product of ``factors`` (:data:`WEIGHT` or a :class:`Term`), over the rows where
    every column of ``valid`` has a value (all rows when None) and, with ``nonzero``, the
    weight is not 0. ``plain``: the product is missing exactly where the row is not valid, so
    a sum skips those rows without a condition. ``extreme`` ("MIN"/"MAX"): the smallest or
    largest of the one factor instead of a sum (the fpc column's).

    The SQL text (:meth:`sql`) and the columnar pass (:mod:`equals.survey.columnar`) are both
    computed from this one description."""

    alias: str
    factors: tuple[str | Term, ...] = ()
    valid: tuple[str, ...] | None = None
    nonzero: bool = False
    plain: bool = False
    extreme: str | None = None

    def sql(self, weight: str, d: Dialect) -> str:
        w = column_value(weight, d)
        if self.extreme:
            term = self.factors[0]
            assert isinstance(term, Term)
            return f"{self.extreme}({term.sql(d)})"
        conditions = [not_null(self.valid, d)] if self.valid is not None else []
        if self.nonzero:
            conditions.append(f"{w} <> 0")
        cond = " AND ".join(conditions)
        if not self.factors:
            return _count_if(cond) if cond else "COUNT(*)"
        expr = " * ".join(f.sql(d) if isinstance(f, Term) else w for f in self.factors)
        return f"SUM({expr})" if not cond or self.plain else _sum_if(cond, expr)


def column_value(col: str, d: Dialect) -> str:
    return f"CAST({d.ident(col)} AS DOUBLE)"


def level_indicator(col: str, level: Scalar, d: Dialect) -> str:
    return f"CASE WHEN {d.ident(col)} = {literal(level)} THEN 1.0 ELSE 0.0 END"


def not_null(cols: Sequence[str], d: Dialect) -> str:
    return " AND ".join(f"{d.ident(c)} IS NOT NULL" for c in cols)


def _sum_if(cond: str, expr: str) -> str:
    return f"SUM(CASE WHEN {cond} THEN {expr} ELSE 0 END)"


def _count_if(cond: str) -> str:
    """A row count as a BIGINT (a SUM of 1s is a 128-bit HUGEINT on DuckDB: slow to fetch)."""
    return f"COUNT(CASE WHEN {cond} THEN 1 END)"


@dataclass(frozen=True, slots=True)
class Moments:
    """The aggregates of a pass: ``columns`` are summed; ``aliases`` name moments that equal
    another column and so are not summed twice (``<m>__wyy`` → ``<m>__wy`` for a 0/1 measure;
    ``…__np`` → ``…__n`` when no weight is 0; a measure's ``n``, ``np``, ``w`` and ``ww`` →
    those of its validity class)."""

    columns: list[Aggregate]
    aliases: dict[str, str]


def validity_columns(
    name: str, valid: tuple[str, ...] | None, second_order: bool, *, zero_weights: bool
) -> list[Aggregate]:
    """The moments shared by the measures of one validity class (``valid`` None: every row)."""
    cols = [Aggregate(f"{name}__n", valid=valid)]
    if zero_weights:
        cols.append(Aggregate(f"{name}__np", valid=valid, nonzero=True))
    cols.append(Aggregate(f"{name}__w", (WEIGHT,), valid))
    if second_order:
        cols.append(Aggregate(f"{name}__ww", (WEIGHT, WEIGHT), valid))
    return cols


def _null_when_invalid(m: Measure) -> bool:
    """``y`` is missing exactly on the rows where the measure is not valid (a column's value,
    valid where that column is present): SUM skips those rows without a CASE."""
    return m.x is None and m.y.level is None and m.valid == (m.y.column,)


def measure_columns(m: Measure, second_order: bool, *, zero_weights: bool) -> Moments:
    """The moments of one measure beyond those of its validity class. Aliases:
    ``<name>__<moment>``."""
    cls = m.validity or m.name
    plain = cls == EVERY_ROW or _null_when_invalid(m)
    valid = None if cls == EVERY_ROW else m.valid

    def total(alias: str, *factors: str | Term) -> Aggregate:  # every product has the factor y
        return Aggregate(f"{m.name}__{alias}", factors, valid, plain=plain)

    w, y, x = WEIGHT, m.y, m.x
    cols: list[Aggregate] = []
    if not m.validity:  # a class of its own
        cols += validity_columns(m.name, m.valid, second_order, zero_weights=zero_weights)
    cols.append(total("wy", w, y))
    if not m.binary:
        cols.append(total("wyy", w, y, y))
    if x is not None:
        cols += [total("wx", w, x), total("wxx", w, x, x), total("wxy", w, x, y)]
    if second_order:
        cols.append(total("wwy", w, w, y))
        if not m.binary:
            cols.append(total("wwyy", w, w, y, y))
        if x is not None:
            cols += [total("wwx", w, w, x), total("wwxx", w, w, x, x), total("wwxy", w, w, x, y)]
    aliases: dict[str, str] = {}
    shared = ["n", "np", "w"] + (["ww"] if second_order else [])
    if m.validity:
        aliases |= {f"{m.name}__{a}": f"{cls}__{a}" for a in shared}
    if not zero_weights:
        aliases[f"{m.name}__np"] = f"{cls}__n"
    if m.binary:
        aliases[f"{m.name}__wyy"] = f"{m.name}__wy"
        if second_order:
            aliases[f"{m.name}__wwyy"] = f"{m.name}__wwy"
    return Moments(cols, aliases)


@dataclass(frozen=True, slots=True)
class Pass:
    """The aggregation pass as data: cells = the rows grouped by ``keys`` ((alias, column)
    pairs), one :class:`Aggregate` per moment column. :meth:`sql` is its SQL text."""

    weight: str
    keys: tuple[tuple[str, str], ...]
    aggregates: tuple[Aggregate, ...]

    @property
    def columns(self) -> list[str]:
        """The source columns the pass reads, each once."""
        names = [self.weight, *(col for _, col in self.keys)]
        for a in self.aggregates:
            names += [f.column for f in a.factors if isinstance(f, Term)]
            names += list(a.valid or ())
        return list(dict.fromkeys(names))

    def sql(self, d: Dialect, table: str = TABLE) -> str:
        select = [f"{d.ident(col)} AS {d.ident(alias)}" for alias, col in self.keys]
        select += [f"{a.sql(self.weight, d)} AS {d.ident(a.alias)}" for a in self.aggregates]
        sql = "SELECT\n  " + ",\n  ".join(select) + f"\nFROM {table}"
        if self.keys:
            sql += "\nGROUP BY " + ", ".join(d.ident(col) for _, col in self.keys)
        return sql


def aggregate_pass(
    *,
    weight: str,
    keys: Sequence[tuple[str, str]],
    measures: Sequence[Measure],
    fpc: str | None,
    second_order: bool,
    zero_weights: bool = True,
) -> tuple[Pass, dict[str, str]]:
    """The one pass over the microdata: cells = GROUP BY ``keys`` ((alias, column) pairs).

    Returns the pass and the aliases of the moments it does not sum (see :class:`Moments`);
    ``zero_weights=False`` (the profile found no weight of 0) drops the counts of rows with
    non-zero weight, which then equal the row counts. Measures of one validity class
    (:attr:`Measure.validity`) share one set of counts and weight sums; the class
    :data:`EVERY_ROW` uses the cell's own (``cell__n``, ``cell__w`` …)."""
    aliases: dict[str, str] = {}
    cell = validity_columns(EVERY_ROW, None, second_order, zero_weights=zero_weights)
    if not any(m.validity == EVERY_ROW for m in measures):
        cell = cell[:2] if zero_weights else cell[:1]  # the row counts only
    columns = list(cell)
    if not zero_weights:
        aliases[f"{EVERY_ROW}__np"] = f"{EVERY_ROW}__n"
    if fpc:
        columns += [Aggregate("cell__fpc_min", (Term(fpc),), extreme="MIN")]
        columns += [Aggregate("cell__fpc_max", (Term(fpc),), extreme="MAX")]
    classes: set[str] = set()
    for m in measures:
        if m.validity and m.validity != EVERY_ROW and m.validity not in classes:
            classes.add(m.validity)
            columns += validity_columns(
                m.validity, m.valid, second_order, zero_weights=zero_weights
            )
            if not zero_weights:
                aliases[f"{m.validity}__np"] = f"{m.validity}__n"
    for m in measures:
        moments = measure_columns(m, second_order, zero_weights=zero_weights)
        columns += moments.columns
        aliases |= moments.aliases
    return Pass(weight, tuple(keys), tuple(columns)), aliases


def aggregate_sql(
    *,
    weight: str,
    keys: Sequence[tuple[str, str]],
    measures: Sequence[Measure],
    fpc: str | None,
    second_order: bool,
    dialect: Dialect,
    zero_weights: bool = True,
    table: str = TABLE,
) -> tuple[str, dict[str, str]]:
    """:func:`aggregate_pass` as SQL text."""
    spec, aliases = aggregate_pass(
        weight=weight,
        keys=keys,
        measures=measures,
        fpc=fpc,
        second_order=second_order,
        zero_weights=zero_weights,
    )
    return spec.sql(dialect, table), aliases


def profile_sql(
    *,
    weight: str,
    design_columns: Sequence[str],
    binary_checks: Sequence[str],
    dialect: Dialect,
    validity: Sequence[str] = (),
    extra: Sequence[str] = (),
    integers: Collection[str] = (),
    validity_columns: Sequence[Sequence[str]] = (),
    known_nulls: Mapping[str, int] | None = None,
    domain_columns: Sequence[str] = (),
    table: str = TABLE,
) -> str:
    """Validation pass: row count, missing design values, smallest weight, non-0/1 values;
    for each validity condition its rows where it fails (``invalid_i``) and where it differs
    from the one before (``differs_i``), from which measures are put in validity classes;
    ``extra`` select items ride along (the non-finite checks, :mod:`equals.survey.finite`).

    ``domain_columns``: the request's domain variables, each with its rows without a value
    (``bynull_i``); one with no value on any row forms no domain and is refused.

    Cheaper forms where the column types allow them: a 0/1 check of an integer column
    (``integers``) is its ``MIN`` and ``MAX`` (``binmin_i``, ``binmax_i``: 0/1 when both lie
    in [0, 1]; a Parquet reader answers them from the file's statistics, without a scan); a
    missing count, or the failures of a condition on one column (``validity_columns[i]``
    names it), is ``COUNT(*) − COUNT(column)``, which reads only the column's validity.

    ``known_nulls`` (column → its count of missing values, from a Parquet file's metadata):
    those counts are written as numbers, not counted; two validity conditions on one column
    each whose counts differ differ on some row (``differs_i`` 1, "some") and two on columns
    without a missing value never differ (0), so only conditions with the same non-zero count
    are compared row by row."""
    d = dialect
    known = known_nulls or {}

    def single(i: int) -> str | None:
        return single_column(
            validity[i], validity_columns[i] if i < len(validity_columns) else (), d
        )

    runs = same_missing_runs(validity, validity_columns, known, d)
    in_run = {i for start, end, _, _ in runs for i in range(start + 1, end + 1)}
    select = ["COUNT(*) AS n_rows", f"MIN({column_value(weight, d)}) AS weight_min"]
    select += [f"SUM(CASE WHEN {column_value(weight, d)} < 0 THEN 1 ELSE 0 END) AS weight_negative"]
    select += [f"SUM(CASE WHEN {column_value(weight, d)} = 0 THEN 1 ELSE 0 END) AS weight_zero"]
    for i, col in enumerate(design_columns):
        if col in known:
            select.append(f"{int(known[col])} AS null_{i}")
        else:
            select.append(f"COUNT(*) - COUNT({d.ident(col)}) AS null_{i}")
    for i, col in enumerate(domain_columns):  # a domain variable with no value is refused
        if col in known:
            select.append(f"{int(known[col])} AS bynull_{i}")
        else:
            select.append(f"COUNT(*) - COUNT({d.ident(col)}) AS bynull_{i}")
    for i, col in enumerate(binary_checks):
        if col in integers:
            select.append(f"MIN({d.ident(col)}) AS binmin_{i}")
            select.append(f"MAX({d.ident(col)}) AS binmax_{i}")
            continue
        c = column_value(col, d)  # a DOUBLE, so that BOOLEAN columns compare on Spark too
        select.append(
            f"SUM(CASE WHEN {c} IS NOT NULL AND {c} <> 0 AND {c} <> 1 THEN 1 ELSE 0 END)"
            f" AS nonbinary_{i}"
        )
    for i, valid in enumerate(validity):
        column = single(i)
        if column is not None and column in known:
            select.append(f"{int(known[column])} AS invalid_{i}")
        elif column is not None:
            select.append(f"COUNT(*) - COUNT({d.ident(column)}) AS invalid_{i}")
        else:
            select.append(f"{_count_if(f'NOT ({valid})')} AS invalid_{i}")
        if not i or i in in_run:
            continue
        before = single(i - 1)
        if column in known and before in known:
            assert column is not None and before is not None
            now, then = int(known[column]), int(known[before])
            if now != then or now == 0:
                select.append(f"{int(now != then)} AS differs_{i}")
                continue
        select.append(differs_item(validity, i))
    for start, _, columns, _ in runs:
        missing = " AND ".join(f"{d.ident(c)} IS NULL" for c in columns)
        select.append(f"{_count_if(missing)} AS samenull_{start}")
    select += extra
    return "SELECT " + ", ".join(select) + f" FROM {table}"


def single_column(valid: str, columns: Sequence[str], d: Dialect) -> str | None:
    """The one column of a validity condition when it is ``column IS NOT NULL``."""
    if len(columns) == 1 and valid == f"{d.ident(columns[0])} IS NOT NULL":
        return columns[0]
    return None


def same_missing_runs(
    validity: Sequence[str],
    validity_columns: Sequence[Sequence[str]],
    known: Mapping[str, int],
    d: Dialect,
) -> list[tuple[int, int, list[str], int]]:
    """Runs (first, last, columns, missing count) of two or more consecutive validity
    conditions ``column IS NOT NULL`` whose columns have the same known, non-zero count of
    missing values — e.g. a block of questions asked of the same persons. Such a run holds on
    the same rows exactly when the rows where *every* column of the run is missing are that
    many (``samenull_<first>`` of :func:`profile_sql`): one count for the run, not one
    comparison per pair."""
    runs: list[tuple[int, int, list[str], int]] = []
    current: list[str] = []
    start, count = 0, -1
    for i, valid in enumerate(validity):
        column = single_column(valid, validity_columns[i] if i < len(validity_columns) else (), d)
        value = known.get(column, 0) if column is not None else 0
        if column is not None and value > 0 and current and value == count:
            current.append(column)
        else:
            if len(current) > 1:
                runs.append((start, i - 1, current, count))
            current = [column] if column is not None and value > 0 else []
            start, count = i, value
    if len(current) > 1:
        runs.append((start, len(validity) - 1, current, count))
    return runs


def differs_item(validity: Sequence[str], i: int) -> str:
    """The rows where validity condition ``i`` and the one before it disagree."""
    return f"{_count_if(f'({validity[i]}) <> ({validity[i - 1]})')} AS differs_{i}"


def is_binary(i: int, profile: Mapping[str, object]) -> bool:
    """Whether binary check ``i`` of :func:`profile_sql` found only 0, 1 (or missing) values."""
    if f"binmin_{i}" in profile:
        low, high = profile[f"binmin_{i}"], profile[f"binmax_{i}"]
        if _missing(low):  # no value at all
            return True
        return float(low) >= 0 and float(high) <= 1  # type: ignore[arg-type]
    count = profile[f"nonbinary_{i}"]
    return _missing(count) or int(count) == 0  # type: ignore[call-overload]


def _missing(value: object) -> bool:
    """NULL, as the engine's frame gives it: None, NaN or pandas' NA."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def levels_sql(column: str, dialect: Dialect, limit: int, table: str = TABLE) -> str:
    c = dialect.ident(column)
    return f"SELECT DISTINCT {c} AS v FROM {table} WHERE {c} IS NOT NULL ORDER BY 1 LIMIT {limit}"
