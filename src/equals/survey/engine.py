"""Engines run the SQL of :mod:`equals.survey.sql` over a survey file or table.

An :class:`Engine` exposes the source's schema and runs a query, returning a small pandas
DataFrame (the aggregated cells). :class:`DuckDBEngine` reads CSV and Parquet directly
(out-of-core), and Stata ``.dta`` / SPSS ``.sav`` through pyreadstat.
:class:`equals.survey.spark.SparkEngine` runs the same SQL text with
:data:`equals.survey.sql.SPARK` quoting (PySpark, local mode or a cluster).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from equals.survey.errors import EngineUnavailableError, SurveyFileError, UnknownEngineError
from equals.survey.sql import DUCKDB, TABLE, Dialect

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

ENGINES = ("duckdb", "spark")
READERS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".dta": "stata", ".sav": "spss"}
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "REAL")  # fmt: skip


class ColumnKind(StrEnum):
    NUMERIC = "numeric"
    BOOLEAN = "boolean"
    STRING = "string"
    OTHER = "other"


class Engine(Protocol):
    """What the estimators need from an engine."""

    name: str
    dialect: Dialect
    location: str  # the file (or "<DataFrame>") for error messages

    def schema(self) -> dict[str, ColumnKind]: ...

    def query(self, sql: str) -> pd.DataFrame: ...


def _kind(duck_type: str) -> ColumnKind:
    t = duck_type.upper()
    if t.startswith(_NUMERIC):
        return ColumnKind.NUMERIC
    if t == "BOOLEAN":
        return ColumnKind.BOOLEAN
    if t.startswith("VARCHAR"):
        return ColumnKind.STRING
    return ColumnKind.OTHER


def _sql_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


class DuckDBEngine:
    """DuckDB over a file or a DataFrame, exposed as the view ``survey_data``."""

    name = "duckdb"
    dialect = DUCKDB

    def __init__(self, source: str | Path | pd.DataFrame, *, threads: int | None = None) -> None:
        import duckdb

        self.con: duckdb.DuckDBPyConnection = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if isinstance(source, str | Path):
            path = Path(source)
            self.location = str(path)
            self._open_file(path)
        else:
            self.location = "<DataFrame>"
            self.con.register(TABLE, source)
        self._schema: dict[str, ColumnKind] | None = None

    def _open_file(self, path: Path) -> None:
        if not path.is_file():
            raise SurveyFileError("file not found", location=str(path))
        kind = READERS.get(path.suffix.lower())
        if kind is None:
            raise SurveyFileError(
                f"unsupported file type {path.suffix!r} (use .csv, .parquet, .dta or .sav)",
                location=str(path),
            )
        try:
            if kind == "csv":
                self.con.execute(
                    f"CREATE VIEW {TABLE} AS SELECT * FROM read_csv({_sql_string(str(path))}, "
                    "header = true, sample_size = -1, "
                    "auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])"
                )
            elif kind == "parquet":
                self.con.execute(
                    f"CREATE VIEW {TABLE} AS SELECT * FROM read_parquet({_sql_string(str(path))})"
                )
            else:
                self.con.register(TABLE, read_statistical_file(path, kind))
            self.con.execute(f"DESCRIBE SELECT * FROM {TABLE}").fetchall()
        except SurveyFileError:
            raise
        except Exception as exc:  # reader errors from DuckDB or pyreadstat
            raise SurveyFileError(f"cannot read file: {exc}", location=str(path)) from exc

    def schema(self) -> dict[str, ColumnKind]:
        if self._schema is None:
            rows = self.con.execute(f"DESCRIBE SELECT * FROM {TABLE}").fetchall()
            self._schema = {str(r[0]): _kind(str(r[1])) for r in rows}
        return self._schema

    def query(self, sql: str) -> pd.DataFrame:
        return self.con.execute(sql).df()


def read_statistical_file(path: Path, kind: str) -> pd.DataFrame:
    """Stata / SPSS file as a DataFrame of codes (value labels are not applied)."""
    import pyreadstat

    reader = pyreadstat.read_dta if kind == "stata" else pyreadstat.read_sav
    frame, _meta = reader(str(path), apply_value_formats=False)
    return frame


def open_engine(
    engine: str | Engine, source: str | Path | pd.DataFrame, *, spark_master: str | None = None
) -> Engine:
    """An engine by name (``duckdb`` or ``spark``) or an engine instance (returned as is).

    ``spark_master``: the Spark master URL for ``spark`` (default ``local[2]``)."""
    if not isinstance(engine, str):
        return engine
    location = str(source) if isinstance(source, str | Path) else "<DataFrame>"
    if spark_master and engine != "spark":
        raise UnknownEngineError(
            f"a Spark master ({spark_master}) needs the spark engine (--engine spark)",
            location=location,
        )
    if engine == "duckdb":
        return DuckDBEngine(source)
    if engine == "spark":
        from equals.survey.spark import SparkEngine, spark_available

        if not spark_available():
            raise EngineUnavailableError(
                "the spark engine needs pyspark: pip install 'equals-hub[spark]' (and Java 17)",
                location=location,
            )
        try:
            return SparkEngine(source, master=spark_master)
        except EngineUnavailableError as exc:
            raise EngineUnavailableError(exc.message, location=location) from exc
    raise UnknownEngineError(
        f"unknown engine {engine!r} (choose from: {', '.join(ENGINES)})", location=location
    )
