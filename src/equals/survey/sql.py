"""SQL text of the engine's passes, in one place, portable between DuckDB and Spark SQL.

Only ANSI constructs are used — ``SELECT … GROUP BY``, ``SUM``, ``COUNT``, ``MIN``, ``MAX``,
``CASE WHEN``, ``CAST(… AS DOUBLE)`` — so the same text runs on DuckDB and on Spark SQL; the
only dialect difference is how identifiers are quoted (``"x"`` vs ```x```).

The aggregation pass reduces the microdata to one row per cell = stratum × PSU × domain keys,
holding weighted first moments of every measure (and, when every row is its own PSU,
second moments in w², so that the variance needs no row-level table).
"""

from __future__ import annotations

from collections.abc import Sequence
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
class Measure:
    """A per-row numeric expression ``y`` (and ``x`` for ratios) with its validity condition.

    ``y``, ``x`` and ``valid`` are SQL expressions over the source row. ``binary``: ``y`` is
    0 or 1 on every valid row (a proportion), so y² = y and the moments in y² are not summed.
    """

    name: str
    y: str
    valid: str
    x: str | None = None
    binary: bool = False


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
    """The aggregates of a pass: ``columns`` are (alias, aggregate) pairs that are summed;
    ``aliases`` name moments that equal another column and so are not summed twice
    (``<m>__wyy`` → ``<m>__wy`` for a 0/1 measure; ``…__np`` → ``…__n`` when no weight is 0)."""

    columns: list[tuple[str, str]]
    aliases: dict[str, str]


def measure_columns(m: Measure, w: str, second_order: bool, *, zero_weights: bool) -> Moments:
    """The moments of one measure. Aliases: ``<name>__<moment>``."""
    v = m.valid
    cols = [("n", _count_if(v))]
    if zero_weights:
        cols.append(("np", _count_if(f"{v} AND {w} <> 0")))
    cols += [("w", _sum_if(v, w)), ("wy", _sum_if(v, f"{w} * {m.y}"))]
    if not m.binary:
        cols.append(("wyy", _sum_if(v, f"{w} * {m.y} * {m.y}")))
    if m.x is not None:
        cols += [
            ("wx", _sum_if(v, f"{w} * {m.x}")),
            ("wxx", _sum_if(v, f"{w} * {m.x} * {m.x}")),
            ("wxy", _sum_if(v, f"{w} * {m.x} * {m.y}")),
        ]
    if second_order:
        ww = f"{w} * {w}"
        cols += [("ww", _sum_if(v, ww)), ("wwy", _sum_if(v, f"{ww} * {m.y}"))]
        if not m.binary:
            cols.append(("wwyy", _sum_if(v, f"{ww} * {m.y} * {m.y}")))
        if m.x is not None:
            cols += [
                ("wwx", _sum_if(v, f"{ww} * {m.x}")),
                ("wwxx", _sum_if(v, f"{ww} * {m.x} * {m.x}")),
                ("wwxy", _sum_if(v, f"{ww} * {m.x} * {m.y}")),
            ]
    aliases = {} if zero_weights else {"np": "n"}
    if m.binary:
        aliases |= {"wyy": "wy", "wwyy": "wwy"} if second_order else {"wyy": "wy"}
    return Moments(
        [(f"{m.name}__{alias}", agg) for alias, agg in cols],
        {f"{m.name}__{a}": f"{m.name}__{b}" for a, b in aliases.items()},
    )


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
    """The one pass over the microdata: cells = GROUP BY ``keys`` ((alias, column) pairs).

    Returns the SQL and the aliases of the moments it does not sum (see :class:`Moments`);
    ``zero_weights=False`` (the profile found no weight of 0) drops the counts of rows with
    non-zero weight, which then equal the row counts."""
    d = dialect
    w = column_value(weight, d)
    select = [f"{d.ident(col)} AS {d.ident(alias)}" for alias, col in keys]
    select += ["COUNT(*) AS cell__n"]
    aliases: dict[str, str] = {}
    if zero_weights:
        select += [f"{_count_if(f'{w} <> 0')} AS cell__np"]
    else:
        aliases["cell__np"] = "cell__n"
    if fpc:
        select += [f"MIN({column_value(fpc, d)}) AS cell__fpc_min"]
        select += [f"MAX({column_value(fpc, d)}) AS cell__fpc_max"]
    for m in measures:
        moments = measure_columns(m, w, second_order, zero_weights=zero_weights)
        select += [f"{agg} AS {d.ident(alias)}" for alias, agg in moments.columns]
        aliases |= moments.aliases
    sql = "SELECT\n  " + ",\n  ".join(select) + f"\nFROM {table}"
    if keys:
        sql += "\nGROUP BY " + ", ".join(d.ident(col) for _, col in keys)
    return sql, aliases


def profile_sql(
    *,
    weight: str,
    design_columns: Sequence[str],
    binary_checks: Sequence[str],
    dialect: Dialect,
    table: str = TABLE,
) -> str:
    """Validation pass: row count, missing design values, smallest weight, non-0/1 values."""
    d = dialect
    select = ["COUNT(*) AS n_rows", f"MIN({column_value(weight, d)}) AS weight_min"]
    select += [f"SUM(CASE WHEN {column_value(weight, d)} < 0 THEN 1 ELSE 0 END) AS weight_negative"]
    select += [f"SUM(CASE WHEN {column_value(weight, d)} = 0 THEN 1 ELSE 0 END) AS weight_zero"]
    for i, col in enumerate(design_columns):
        select.append(f"SUM(CASE WHEN {d.ident(col)} IS NULL THEN 1 ELSE 0 END) AS null_{i}")
    for i, col in enumerate(binary_checks):
        c = column_value(col, d)  # a DOUBLE, so that BOOLEAN columns compare on Spark too
        select.append(
            f"SUM(CASE WHEN {c} IS NOT NULL AND {c} <> 0 AND {c} <> 1 THEN 1 ELSE 0 END)"
            f" AS nonbinary_{i}"
        )
    return "SELECT " + ", ".join(select) + f" FROM {table}"


def levels_sql(column: str, dialect: Dialect, limit: int, table: str = TABLE) -> str:
    c = dialect.ident(column)
    return f"SELECT DISTINCT {c} AS v FROM {table} WHERE {c} IS NOT NULL ORDER BY 1 LIMIT {limit}"
