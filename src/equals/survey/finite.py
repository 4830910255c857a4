"""Checks that run before any estimate: the file has rows, and the numbers used are finite.

A ``NaN`` or ``±inf`` in a weight, a numeric design column (stratum, PSU, fpc) or an analysis
variable is refused with :class:`~equals.survey.errors.NonFiniteValueError`, naming the column
and the number of rows. (An *empty* cell is different: a missing analysis value leaves that
row out of the estimate, as R's ``na.rm = TRUE``; a missing design value is refused elsewhere.)
DataFrame sources follow pandas: there ``NaN`` *is* the missing value, so only ±inf remain.

One portable SQL pass (DuckDB and Spark SQL) counts the non-finite values of every column.
"""

from __future__ import annotations

from collections.abc import Sequence

from equals.survey.design import Design
from equals.survey.engine import ColumnKind, Engine
from equals.survey.errors import NonFiniteValueError, SurveyError
from equals.survey.sql import TABLE, column_value

_INF = "CAST('Infinity' AS DOUBLE)"


def _nonfinite(col: str, engine: Engine) -> str:
    v = column_value(col, engine.dialect)
    return f"SUM(CASE WHEN isnan({v}) OR abs({v}) = {_INF} THEN 1 ELSE 0 END)"


def _plural(n: int) -> str:
    return f"{n} non-finite value{'s' if n != 1 else ''} (NaN or ±infinity)"


def check_rows(engine: Engine) -> None:
    """A file with a header and no rows gets that message (not "column is not numeric")."""
    n = int(engine.query(f"SELECT COUNT(*) AS n FROM {TABLE}").iloc[0]["n"])
    if n == 0:
        raise SurveyError("the file has no rows, only a header", location=engine.location)


def check_finite(
    engine: Engine,
    design: Design,
    variables: Sequence[str],
    schema: dict[str, ColumnKind],
) -> None:
    """Raise :class:`NonFiniteValueError` for the first column holding NaN or ±inf."""
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
    numeric = [c for c in roles if schema.get(c) is ColumnKind.NUMERIC]
    if not numeric:
        return
    select = ", ".join(f"{_nonfinite(c, engine)} AS f{i}" for i, c in enumerate(numeric))
    row = engine.query(f"SELECT COUNT(*) AS n_rows, {select} FROM {TABLE}").iloc[0]
    n_rows = int(row["n_rows"])
    for i, col in enumerate(numeric):
        count = int(row[f"f{i}"] or 0)
        if not count:
            continue
        role = roles[col]
        what = f"{role} {col!r} has {_plural(count)} in {n_rows} rows; "
        if role == "column":
            advice = (
                "recode them as missing (an empty cell) to leave those rows out of its estimates"
            )
        elif role == "weight column":
            advice = "weights must be finite numbers: correct those rows or drop them"
        else:
            advice = "design values must be finite: correct those rows or drop them"
        raise NonFiniteValueError(what + advice, column=col, count=count, location=engine.location)
