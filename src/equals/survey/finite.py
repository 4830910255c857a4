"""Checks that run before any estimate: the file has rows, and the numbers used are finite.

A ``NaN`` or ``±inf`` in a weight, a numeric design column (stratum, PSU, fpc) or an analysis
variable is refused with :class:`~equals.survey.errors.NonFiniteValueError`, naming the column
and the number of rows. (An *empty* cell is different: a missing analysis value leaves that
row out of the estimate, as R's ``na.rm = TRUE``; a missing design value is refused elsewhere.)
DataFrame sources follow pandas: there ``NaN`` *is* the missing value, so only ±inf remain.

The check rides on the validation (profile) pass: that pass sums every numeric column to check
as a double (:func:`finite_sums`); a sum is finite unless the column holds a NaN or ±inf (or,
rarely, its finite values overflow), so a finite sum clears the column without a scan of its
own. Only when a sum is not finite does a second portable SQL pass (DuckDB and Spark SQL)
count that column's non-finite values, for the error message (:func:`raise_nonfinite`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from equals.core.i18n import Msg
from equals.survey.design import Design
from equals.survey.engine import ColumnKind, Engine
from equals.survey.errors import NonFiniteValueError, SurveyError
from equals.survey.sql import TABLE, Dialect, column_value

_INF = "CAST('Infinity' AS DOUBLE)"


def _nonfinite(col: str, engine: Engine) -> str:
    v = column_value(col, engine.dialect)
    if engine.dialect.name == "duckdb":
        # Not isnan(): DuckDB folds it to false from a Parquet file's min/max statistics,
        # which leave NaN out, and so counted no NaN in a column whose sum was NaN.
        return f"SUM(CASE WHEN NOT isfinite({v}) THEN 1 ELSE 0 END)"
    return f"SUM(CASE WHEN isnan({v}) OR abs({v}) = {_INF} THEN 1 ELSE 0 END)"


def _plural(n: int) -> Msg:
    if n == 1:
        return Msg("%(n)s non-finite value (NaN or ±infinity)", n=n)
    return Msg("%(n)s non-finite values (NaN or ±infinity)", n=n)


def _role(role: str) -> Msg:
    match role:
        case "stratum column":
            return Msg("stratum column")
        case "PSU column":
            return Msg("PSU column")
        case "fpc column":
            return Msg("fpc column")
        case _:
            return Msg("%(role)s", role=role)


def check_rows(engine: Engine) -> None:
    """A file with a header and no rows gets that message (not "column is not numeric")."""
    n = int(engine.query(f"SELECT COUNT(*) AS n FROM {TABLE}").iloc[0]["n"])
    if n == 0:
        raise SurveyError(Msg("the file has no rows, only a header"), location=engine.location)


def finite_roles(
    design: Design, variables: Sequence[str], schema: Mapping[str, ColumnKind]
) -> dict[str, str]:
    """The numeric columns to check (weight, design columns, then analysis variables), each
    with its role for the message."""
    roles: dict[str, str] = {}
    for col, role in (
        (design.weight, "weight column"),
        (design.strata, "stratum column"),
        (design.psu, "PSU column"),
        (design.fpc, "fpc column"),
    ):
        if col:
            roles.setdefault(col, role)
    for col in variables:
        roles.setdefault(col, "column")
    return {c: role for c, role in roles.items() if schema.get(c) is ColumnKind.NUMERIC}


def finite_sums(columns: Sequence[str], dialect: Dialect) -> list[str]:
    """Select items ``finite_i``: the sum of column i as a double (NaN or ±inf when the column
    holds one), for the profile pass."""
    return [f"SUM({column_value(c, dialect)}) AS finite_{i}" for i, c in enumerate(columns)]


def flagged(columns: Sequence[str], profile: Mapping[str, object]) -> list[str]:
    """The columns whose ``finite_i`` sum in the profile is not a finite number."""
    out = []
    for i, col in enumerate(columns):
        try:
            number = float(profile[f"finite_{i}"])  # type: ignore[arg-type]
        except (TypeError, ValueError):  # no value at all (NULL): nothing non-finite
            continue
        if not math.isfinite(number):  # NaN or ±inf; NaN also for an all-NULL column
            out.append(col)
    return out


def check_finite(
    engine: Engine,
    design: Design,
    variables: Sequence[str],
    schema: dict[str, ColumnKind],
) -> None:
    """Raise :class:`NonFiniteValueError` for the first column holding NaN or ±inf (a pass of
    its own; :func:`equals.survey.plan.prepare` folds it into the profile pass instead)."""
    raise_nonfinite(engine, finite_roles(design, variables, schema))


def raise_nonfinite(engine: Engine, roles: Mapping[str, str]) -> None:
    """Count the non-finite values of the columns ``roles`` (column → role) and raise
    :class:`NonFiniteValueError` for the first that has any."""
    numeric = list(roles)
    if not numeric:
        return
    select = ", ".join(f"{_nonfinite(c, engine)} AS f{i}" for i, c in enumerate(numeric))
    row = engine.query(f"SELECT COUNT(*) AS n_rows, {select} FROM {TABLE}").iloc[0]
    n_rows = int(row["n_rows"])
    for i, col in enumerate(numeric):
        count = int(row[f"f{i}"] or 0)
        if not count:
            continue
        role, values = roles[col], _plural(count)
        if role == "column":
            message = Msg(
                "column %(col)s has %(values)s in %(rows)s rows; recode them as missing (an "
                "empty cell) to leave those rows out of its estimates",
                col=repr(col),
                values=values,
                rows=n_rows,
            )
        elif role == "weight column":
            message = Msg(
                "weight column %(col)s has %(values)s in %(rows)s rows; weights must be finite "
                "numbers: correct those rows or drop them",
                col=repr(col),
                values=values,
                rows=n_rows,
            )
        else:
            message = Msg(
                "%(role)s %(col)s has %(values)s in %(rows)s rows; design values must be "
                "finite: correct those rows or drop them",
                role=_role(role),
                col=repr(col),
                values=values,
                rows=n_rows,
            )
        raise NonFiniteValueError(message, column=col, count=count, location=engine.location)
