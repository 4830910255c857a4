"""Harmonise a survey through its mapping: portable SQL ``CASE`` expressions, no row loops.

:func:`harmonised_engine` wraps any :class:`~equals.survey.engine.Engine` (DuckDB or Spark)
in one that exposes the harmonised columns — ``sex`` ('female'/'male'), ``age_group``,
``location`` ('urban'/'rural'), ``education``, ``labour_force``, each concept as 1.0/0.0
(NULL when missing), ``scope__*`` in-scope markers (1 or NULL) and the design columns under
``d__weight``, ``d__strata``, ``d__psu``, ``d__fpc``, ``d__hhweight`` — as the estimators'
table. The estimators' SQL reads ``FROM survey_data``; the wrapper runs it over
``(SELECT <harmonised columns> FROM survey_data) AS survey_data``. Only ANSI SQL is used
(``CASE WHEN … IN (…)``, ``CAST(… AS DOUBLE)``), so the same text runs on Spark SQL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from equals.indicators.microdata.mapping import AgeMap, Binary, Categorical, Code, SurveyMapping
from equals.survey.design import Design
from equals.survey.engine import CellTable, ColumnKind, Engine
from equals.survey.sql import TABLE, Dialect, literal

if TYPE_CHECKING:
    import pandas as pd

WEIGHT, STRATA, PSU, FPC, HH_WEIGHT = "d__weight", "d__strata", "d__psu", "d__fpc", "d__hhweight"
_FROM = re.compile(rf"\bFROM\s+{TABLE}\b")


def normalise(code: Code, kind: ColumnKind) -> Code | None:
    """A mapping code as a value of a column of ``kind`` (None: it cannot occur there)."""
    if kind is ColumnKind.NUMERIC:
        if isinstance(code, bool):
            return int(code)
        if isinstance(code, int | float):
            return code
        try:
            number = float(code)
        except ValueError:
            return None
        return int(number) if number.is_integer() else number
    if kind is ColumnKind.BOOLEAN:
        if isinstance(code, bool):
            return code
        if code in (0, 1, "0", "1"):
            return bool(int(code))
        text = str(code).strip().lower()
        return {"true": True, "false": False}.get(text)
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    if isinstance(code, bool):
        return str(code).lower()
    return str(code)


def value_key(value: object, kind: ColumnKind) -> object:
    """A data value in the form :func:`normalise` gives codes (for set membership)."""
    if (
        kind is ColumnKind.NUMERIC
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        f = float(value)
        return int(f) if f.is_integer() else f
    if kind is ColumnKind.BOOLEAN:
        return bool(value)
    return value


def _in(expr: str, codes: Sequence[Code], kind: ColumnKind) -> str:
    values = [v for v in (normalise(c, kind) for c in codes) if v is not None]
    if not values:
        return "1 = 0"
    return f"{expr} IN ({', '.join(literal(v) for v in dict.fromkeys(values))})"


def categorical_sql(cat: Categorical, kind: ColumnKind, d: Dialect) -> str:
    col = d.ident(cat.column)
    whens = " ".join(
        f"WHEN {_in(col, codes, kind)} THEN {literal(label)}" for label, codes in cat.codes
    )
    return f"CASE {whens} ELSE NULL END"


def binary_sql(b: Binary, kind: ColumnKind, d: Dialect) -> str:
    col = d.ident(b.column)
    return (
        f"CASE WHEN {_in(col, b.yes, kind)} THEN CAST(1 AS DOUBLE) "
        f"WHEN {_in(col, b.no, kind)} THEN CAST(0 AS DOUBLE) ELSE CAST(NULL AS DOUBLE) END"
    )


def _age_value(age: AgeMap, d: Dialect) -> str:
    return f"CAST({d.ident(age.column)} AS DOUBLE)"


def age_group_sql(age: AgeMap, d: Dialect) -> str:
    a = _age_value(age, d)
    whens = []
    for g in age.groups:
        cond = f"{a} >= {g.low}" + ("" if g.high is None else f" AND {a} < {g.high + 1}")
        whens.append(f"WHEN {a} <= {age.max:g} AND {cond} THEN {literal(g.label)}")
    return f"CASE {' '.join(whens)} ELSE NULL END" if whens else "CAST(NULL AS VARCHAR(1))"


def age_scope_sql(age: AgeMap, min_age: int | None, max_age: int | None, d: Dialect) -> str:
    a = _age_value(age, d)
    conds = [f"{a} >= {age.min:g}", f"{a} <= {age.max:g}"]
    if min_age is not None:
        conds.append(f"{a} >= {min_age}")
    if max_age is not None:
        conds.append(f"{a} < {max_age + 1}")
    return f"CASE WHEN {' AND '.join(conds)} THEN 1 ELSE NULL END"


def codes_scope_sql(column: str, codes: Sequence[Code], kind: ColumnKind, d: Dialect) -> str:
    return f"CASE WHEN {_in(d.ident(column), codes, kind)} THEN 1 ELSE NULL END"


class HarmonisedEngine:
    """An engine whose table is the harmonised projection of another engine's table."""

    def __init__(
        self, base: Engine, columns: Mapping[str, tuple[str, ColumnKind]], description: str
    ) -> None:
        self.base = base
        self.name = base.name
        self.dialect = base.dialect
        self.location = base.location
        self.columns = dict(columns)
        d = base.dialect
        select = ",\n  ".join(f"{expr} AS {d.ident(name)}" for name, (expr, _) in columns.items())
        self.select_sql = f"SELECT\n  {select}\nFROM {TABLE}"
        self.description = description

    def schema(self) -> dict[str, ColumnKind]:
        return {name: kind for name, (_, kind) in self.columns.items()}

    def rewrite(self, sql: str) -> str:
        return _FROM.sub(lambda _: f"FROM ({self.select_sql}) AS {TABLE}", sql)

    def query(self, sql: str) -> pd.DataFrame:
        return self.base.query(self.rewrite(sql))

    def cells(self, sql: str) -> CellTable:
        return self.base.cells(self.rewrite(sql))


def design_of(mapping: SurveyMapping, *, households: bool = False) -> Design:
    """The design over the harmonised columns (household weight for household indicators)."""
    m = mapping.design
    return Design(
        weight=HH_WEIGHT if households and mapping.households else WEIGHT,
        strata=STRATA if m.strata else None,
        psu=PSU if m.psu else None,
        fpc=FPC if m.fpc else None,
        lonely_psu=m.lonely_psu,
    )


def harmonised_engine(
    base: Engine, mapping: SurveyMapping, scopes: Mapping[str, str] | None = None
) -> HarmonisedEngine:
    """``base`` seen through ``mapping``; ``scopes``: extra marker columns (name → SQL)."""
    schema = base.schema()
    d = base.dialect
    cols: dict[str, tuple[str, ColumnKind]] = {}

    def kind(column: str) -> ColumnKind:
        return schema.get(column, ColumnKind.OTHER)

    m = mapping.design
    for alias, column in ((WEIGHT, m.weight), (STRATA, m.strata), (PSU, m.psu), (FPC, m.fpc)):
        if column:
            cols[alias] = (d.ident(column), kind(column))
    if mapping.households:
        cols[HH_WEIGHT] = (d.ident(mapping.households.weight), kind(mapping.households.weight))
    if mapping.sex:
        cols["sex"] = (categorical_sql(mapping.sex, kind(mapping.sex.column), d), ColumnKind.STRING)
    if mapping.age:
        cols["age_group"] = (age_group_sql(mapping.age, d), ColumnKind.STRING)
    elif mapping.age_group:
        ag = mapping.age_group
        cols["age_group"] = (categorical_sql(ag, kind(ag.column), d), ColumnKind.STRING)
    for name in ("location", "education", "labour_force"):
        cat = mapping.breakdown(name)
        if cat:
            cols[name] = (categorical_sql(cat, kind(cat.column), d), ColumnKind.STRING)
    for concept, b in mapping.concepts:
        cols[concept] = (binary_sql(b, kind(b.column), d), ColumnKind.NUMERIC)
    for name, expr in (scopes or {}).items():
        cols[name] = (expr, ColumnKind.NUMERIC)
    return HarmonisedEngine(base, cols, f"{base.location} through {mapping.name}")


def finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None
