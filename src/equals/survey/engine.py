"""Engines run the SQL of :mod:`equals.survey.sql` over a survey file or table.

An :class:`Engine` exposes the source's schema, runs a query returning a small pandas
DataFrame, and fetches an aggregation pass as a :class:`CellTable` (its moments as one float
matrix). :class:`DuckDBEngine` reads CSV and Parquet directly and out-of-core (a memory limit
makes DuckDB spill its aggregation to disk; the cells are streamed into the matrix in batches),
and Stata ``.dta`` / SPSS ``.sav`` through pyreadstat.
:class:`equals.survey.spark.SparkEngine` runs the same SQL text with
:data:`equals.survey.sql.SPARK` quoting (PySpark, local mode or a cluster).
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from equals.core.i18n import Msg
from equals.survey.codes import Coded, arrow_codes, factorize_sorted, is_text
from equals.survey.errors import EngineUnavailableError, SurveyFileError, UnknownEngineError
from equals.survey.sql import DUCKDB, TABLE, Dialect

if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa

ENGINES = ("duckdb", "spark")
READERS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".dta": "stata", ".sav": "spss"}
_INTEGER = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
            "UINTEGER", "UBIGINT", "UHUGEINT", "BOOLEAN")  # fmt: skip
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE", "DECIMAL",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "REAL")  # fmt: skip


MEMORY_LIMIT = "500MB"  # DuckDB's working memory for a pass; beyond it, it spills to disk
ROW_OVERHEAD = 48  # bytes per row of the columnar pass beyond its columns (cell numbers …)
CHUNK_VECTORS = 50  # cells fetched per chunk, in DuckDB vectors of 2,048 rows
STREAM_ROWS = 4_000_000  # sources up to this many rows stream their cells (no temp table)
STREAM_THREADS = 1  # DuckDB threads of the streamed pass, unless the engine's are given


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

    def cells(self, sql: str) -> CellTable: ...


@dataclass(frozen=True)
class CellTable:
    """An aggregation pass's result: its key columns (``k__*``) as codes into their sorted
    distinct values (:mod:`equals.survey.codes`; −1: missing) and every other column (the
    moments) as one column-major float matrix, missing values as 0."""

    key_table: pa.Table | pd.DataFrame | dict[str, Coded]  # the key columns (or their codes)
    values: npt.NDArray[np.float64]
    names: tuple[str, ...]  # the moment column of ``values`` by position

    @cached_property
    def coded(self) -> dict[str, Coded]:
        """The key columns as codes, found on first use — after the engine has handed its
        working memory back (the keys are coded where the cells are built), so that the codes
        and the engine's memory are never held at once."""
        table: Any = self.key_table
        if isinstance(table, dict):  # coded by the columnar pass
            return table
        if not hasattr(table, "column_names"):  # a DataFrame
            return {str(k): factorize_sorted(table[k]) for k in table.columns}
        import pyarrow as pa

        coded = {str(k): arrow_codes(table.column(k)) for k in table.column_names}
        pa.default_memory_pool().release_unused()  # Arrow's allocator keeps what it freed
        return coded

    @property
    def keys(self) -> pd.DataFrame:
        """The key columns as values (missing: NA; text as sorted categoricals)."""
        import pandas as pd

        columns: dict[str, Any] = {}
        for name, (codes, uniques) in self.coded.items():
            if uniques.dtype == object:
                categories: Any = pd.Index(uniques, dtype=object)
                columns[name] = pd.Categorical.from_codes(codes, categories=categories)
            elif (codes < 0).any():
                present = uniques[np.maximum(codes, 0)] if len(uniques) else codes
                column: Any = pd.array(present)  # Int64, UInt64, Float64, datetime…
                column[codes < 0] = pd.NA
                columns[name] = column
            else:
                columns[name] = uniques[codes]
        return pd.DataFrame(columns, index=pd.RangeIndex(len(self.values)))

    @classmethod
    def from_chunks(
        cls, count: int, names: Sequence[str], chunks: Iterable[pd.DataFrame]
    ) -> CellTable:
        """Fill a matrix allocated once for ``count`` cells from chunks of rows, so that the
        cells are never held twice (only their key columns are concatenated)."""
        import pandas as pd

        keys = [c for c in names if c.startswith("k__")]
        moments = tuple(c for c in names if not c.startswith("k__"))
        values = np.empty((count, len(moments)), dtype=np.float64, order="F")
        parts: list[pd.DataFrame] = []
        row = 0
        for chunk in chunks:
            if row + len(chunk) > count:
                raise RuntimeError(f"more cells than counted ({count})")
            rows = slice(row, row + len(chunk))
            for j, name in enumerate(moments):
                values[rows, j] = chunk[name].to_numpy(dtype=np.float64, na_value=0.0)
            parts.append(chunk[keys])
            row += len(chunk)
        if row != count:
            raise RuntimeError(f"{row} cells fetched, {count} counted")
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=keys)
        return cls(frame, values, moments)

    @classmethod
    def from_arrow(cls, count: int, batches: Iterable[pa.RecordBatch]) -> CellTable:
        """As :meth:`from_chunks`, from Arrow record batches: the moments go column by column
        into the matrix; the keys stay Arrow columns, coded from Arrow when first used
        (:func:`~equals.survey.codes.arrow_codes`), without a DataFrame in between."""
        import pyarrow as pa

        values: npt.NDArray[np.float64] | None = None
        keys: list[str] = []
        moments: tuple[str, ...] = ()
        parts: list[pa.RecordBatch] = []
        schema: pa.Schema | None = None
        row = 0
        for batch in batches:
            if values is None:
                schema = batch.schema
                keys = [c for c in schema.names if c.startswith("k__")]
                moments = tuple(c for c in schema.names if not c.startswith("k__"))
                values = np.empty((count, len(moments)), dtype=np.float64, order="F")
            if row + batch.num_rows > count:
                raise RuntimeError(f"more cells than counted ({count})")
            for j, name in enumerate(moments):
                column = batch.column(name)
                if column.null_count:
                    column = column.fill_null(0)
                values[row : row + batch.num_rows, j] = column.to_numpy(zero_copy_only=False)
            parts.append(batch.select(keys))
            row += batch.num_rows
        if row != count or values is None or schema is None:
            raise RuntimeError(f"{row} cells fetched, {count} counted")
        key_table = pa.Table.from_batches(parts, schema=pa.schema([schema.field(k) for k in keys]))
        return cls(key_table, values, moments)

    @classmethod
    def from_codes(
        cls, keys: dict[str, Coded], values: npt.NDArray[np.float64], names: tuple[str, ...]
    ) -> CellTable:
        """Cells whose keys are already codes (:mod:`equals.survey.columnar`)."""
        return cls(keys, values, names)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> CellTable:
        return cls.from_chunks(len(frame), [str(c) for c in frame.columns], [frame])


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

    def __init__(
        self,
        source: str | Path | pd.DataFrame,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        columnar: bool = True,
    ) -> None:
        """``memory_limit``: DuckDB's working memory (default 500MB; the CLI passes
        ``Settings.duckdb_memory``); larger aggregations spill to a temporary directory,
        removed at exit. ``columnar=False``: the aggregation pass always runs as SQL in DuckDB
        (by default a source of at most :data:`STREAM_ROWS` rows is aggregated on its columns
        in memory, :mod:`equals.survey.columnar`)."""
        self._threads = threads
        self._columnar = columnar
        self._loaded: pa.Table | None = None  # columns read for one request (see load)
        self._memory = memory_limit or MEMORY_LIMIT
        self._frame: pd.DataFrame | None = None  # a DataFrame source (or a Stata/SPSS file)
        self._view: str | None = None  # the view over a CSV or Parquet file
        self._parquet: str | None = None  # the Parquet file (its metadata has null counts)
        self._nulls: dict[str, int] | None = None
        self._con: duckdb.DuckDBPyConnection | None = self._connect()
        if isinstance(source, str | Path):
            path = Path(source)
            self.location = str(source)  # as given: a URL keeps its double slash
            self._open_file(path)
        else:
            self.location = "<DataFrame>"
            self._frame = source
            self.con.register(TABLE, source)
        self._schema: dict[str, ColumnKind] | None = None
        self._types: dict[str, str] = {}

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The engine's connection, with the source as the view ``survey_data``; opened again
        after a streamed pass has closed it (see :meth:`cells`)."""
        if self._con is None:
            con = self._connect()
            if self._view is not None:
                con.execute(f"CREATE VIEW {TABLE} AS {self._view}")
            else:
                con.register(TABLE, self._frame)
            self._con = con
        return self._con

    def _connect(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory DuckDB database with this engine's settings."""
        import duckdb

        con = duckdb.connect()
        if self._threads:
            con.execute(f"SET threads = {int(self._threads)}")
        con.execute(f"SET memory_limit = {_sql_string(self._memory)}")
        con.execute(f"SET temp_directory = {_sql_string(_spill_directory())}")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")  # a library prints nothing of its own
        return con

    def _open_file(self, path: Path) -> None:
        if not path.is_file():
            raise SurveyFileError(Msg("file not found"), location=self.location)
        kind = READERS.get(path.suffix.lower())
        if kind is None:
            raise SurveyFileError(
                Msg(
                    "unsupported file type %(suffix)s (use .csv, .parquet, .dta or .sav)",
                    suffix=repr(path.suffix),
                ),
                location=self.location,
            )
        try:
            if kind == "csv":
                self._view = (
                    f"SELECT * FROM read_csv({_sql_string(str(path))}, header = true, "
                    "sample_size = -1, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])"
                )
            elif kind == "parquet":
                self._view = f"SELECT * FROM read_parquet({_sql_string(str(path))})"
                self._parquet = str(path)
                import pyarrow.parquet  # noqa: F401 — its reader reads the columns (load), once opened
            else:
                self._frame = read_statistical_file(path, kind)
            if self._view is not None:
                self.con.execute(f"CREATE VIEW {TABLE} AS {self._view}")
            else:
                self.con.register(TABLE, self._frame)
            types = self.con.execute(f"DESCRIBE SELECT * FROM {TABLE}").fetchall()
        except SurveyFileError:
            raise
        except Exception as exc:  # reader errors from DuckDB or pyreadstat
            raise SurveyFileError(_reader_message(exc, path), location=self.location) from exc
        if kind == "csv":  # other connections read the CSV with the types found once
            columns = ", ".join(
                f"{_sql_string(str(n))}: {_sql_string(str(t))}" for n, t, *_ in types
            )
            self._view = (
                f"SELECT * FROM read_csv({_sql_string(str(path))}, header = true, "
                f"columns = {{{columns}}})"
            )

    def schema(self) -> dict[str, ColumnKind]:
        if self._schema is None:
            rows = self.con.execute(f"DESCRIBE SELECT * FROM {TABLE}").fetchall()
            self._types = {str(r[0]): str(r[1]).upper() for r in rows}
            self._schema = {name: _kind(t) for name, t in self._types.items()}
        return self._schema

    def integer_columns(self) -> frozenset[str]:
        """Columns of an integer or boolean type (no NaN, no ±infinity)."""
        self.schema()
        return frozenset(c for c, t in self._types.items() if t in _INTEGER)

    def query(self, sql: str) -> pd.DataFrame:
        with self._reading():
            return self.con.execute(sql).df()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A failure to read the file while a pass runs — a corrupt Parquet page, a file
        changed since it was opened — as a :class:`SurveyFileError` naming it, in one line
        (DuckDB's or Arrow's own error is its cause). A DataFrame has nothing to read."""
        import duckdb
        import pyarrow as pa

        try:
            yield
        except (
            duckdb.IOException,
            duckdb.InvalidInputException,
            pa.ArrowException,
            OSError,
        ) as exc:
            if self._view is None and self._parquet is None:
                raise
            message = _reader_message(exc, Path(self.location))
            raise SurveyFileError(message, location=self.location) from exc

    def known_nulls(self) -> dict[str, int]:
        """Each column's count of missing values, from a Parquet file's metadata (no scan):
        the top-level columns whose every row group records its null count. Empty for other
        sources."""
        if self._loaded is not None:  # counted by Arrow as it read them: exact
            return {c: self._loaded.column(c).null_count for c in self._loaded.column_names}
        if self._parquet is None:
            return {}
        if self._nulls is None:
            rows = self.con.execute(
                "SELECT path_in_schema, SUM(stats_null_count), "
                "COUNT(*) - COUNT(stats_null_count), COUNT(DISTINCT column_id) "
                f"FROM parquet_metadata({_sql_string(self._parquet)}) GROUP BY path_in_schema"
            ).fetchall()
            # Only a column whose name is the file's own, once: DuckDB renames a repeated
            # name ("x", "x" → "x", "x_1"), and a path is shared by a top-level column and a
            # nested one ("a, b" and field b of struct a) whose counts must not be summed.
            schema = self.con.execute(
                f"SELECT name, num_children FROM parquet_schema({_sql_string(self._parquet)})"
            ).fetchall()
            top = _top_level_names([(str(n), int(k or 0)) for n, k in schema])
            repeated = {n for n, k in Counter(top).items() if k > 1}
            names = {n for n, t in zip(self.schema(), top, strict=False) if n == t} - repeated
            self._nulls = {
                str(name): int(nulls)
                for name, nulls, unknown, columns in rows
                if str(name) in names and not unknown and nulls is not None and columns == 1
            }
        return self._nulls

    def cells(self, sql: str) -> CellTable:
        """:meth:`_cells`, a failure to read the file as one clear error."""
        with self._reading():
            return self._cells(sql)

    def _cells(self, sql: str) -> CellTable:
        """Run the pass and fetch its cells as Arrow batches into a matrix allocated once.

        A source of at most :data:`STREAM_ROWS` rows (so at most that many cells) is streamed
        straight from the aggregation: the batches are held until the count is known, then
        copied into the matrix one by one. A larger source (or a CSV, whose rows are not known
        without a scan) goes through a temporary table (spilled to disk beyond the memory
        limit) fetched in chunks: the cells are never held twice in Python, and DuckDB's own
        copy stays within its memory limit.

        Either way DuckDB hands its working memory back before the cells are copied and the
        estimates computed: the streamed pass runs on the engine's own connection, which is
        then closed (and opened again if the engine is used again) — opening a database costs
        ~30 ms of CPU, and more wall time under load while DuckDB starts its threads — and the
        temporary-table pass runs in a database of its own, closed at the end.

        The streamed pass runs on :data:`STREAM_THREADS` (one) DuckDB thread unless the engine
        was given ``threads``: its cells are many (~0.3 per row in the benchmark's survey), and
        with more threads each builds its own hash table of nearly every cell and then merges
        them, which touches about twice the new memory. On 2 cores one thread took a quarter
        less CPU for the request and the same wall time at the median (less under load; see
        docs/benchmarks.md). The setting goes with the connection, closed after the pass."""
        rows = self._rows_known(self.con)
        if rows is not None and rows <= STREAM_ROWS:
            try:
                if not self._threads:
                    self.con.execute(f"SET threads = {STREAM_THREADS}")
                result = self.con.sql(sql)
                names = [str(c) for c in result.columns]
                batches = list(result.to_arrow_reader(CHUNK_VECTORS * 2048))
            finally:
                self.close()  # DuckDB's memory goes back before the matrix is filled
            count = sum(b.num_rows for b in batches)
            if not count:
                return CellTable.from_chunks(0, names, [])
            return CellTable.from_arrow(count, _drain(batches))
        con = self._connect()
        try:
            if self._view is not None:
                con.execute(f"CREATE VIEW {TABLE} AS {self._view}")
            else:
                con.register(TABLE, self._frame)
            table = "equals_cells"
            con.execute(f"CREATE TEMP TABLE {table} AS {sql}")
            count = con.execute(f"SELECT COUNT(*) FROM {table}").fetchall()[0][0]
            if not count:
                cursor = con.execute(f"SELECT * FROM {table}")
                names = [str(d[0]) for d in cursor.description or ()]
                return CellTable.from_chunks(0, names, [])
            reader = con.sql(f"SELECT * FROM {table}").to_arrow_reader(CHUNK_VECTORS * 2048)
            return CellTable.from_arrow(int(count), reader)
        finally:
            con.close()

    def load(self, columns: Sequence[str]) -> None:
        """Read ``columns`` of a Parquet source of at most :data:`STREAM_ROWS` rows into
        memory, as Arrow (text as dictionaries), for the passes of one request: the profile
        pass then scans them in memory instead of decoding the file again, their missing
        counts are exact (not a writer's statistics), and the columnar pass takes them
        (:meth:`arrow_columns`, which also ends the load). Only columns of plain types
        (integers, floats, booleans, text) are loaded; otherwise the source is the whole
        file (a previous load ends either way)."""
        # A load left by a request not run (prepared only, or failed between its profile and
        # its pass) ends first: else a load declined here kept the old columns as the view.
        self.unload()
        if not self._columnar or self._parquet is None:
            return
        rows = self._rows_known(self.con)
        if rows is None or not self.fits(columns, rows):
            return
        with self._reading():
            table = _read_parquet_columns(self._parquet, columns, STREAM_ROWS, plain=True)
        if table is None:
            return
        self.schema()  # the file's own types, before the view is replaced
        self.con.execute(f"DROP VIEW IF EXISTS {TABLE}")
        self.con.register(TABLE, table)
        self._loaded = table

    def unload(self) -> None:
        """End a :meth:`load`: the source is the whole file again."""
        if self._loaded is not None:
            self.close()

    def arrow_columns(self, columns: Sequence[str], rows: int | None = None) -> pa.Table | None:
        """The source's rows of ``columns`` as an Arrow table, for the columnar pass
        (:mod:`equals.survey.columnar`); None when this engine runs its passes as SQL, or
        when ``rows`` rows of these columns would not fit the engine's memory limit
        (:meth:`fits`).

        A Parquet file is read by Arrow itself, its text columns as dictionaries (their codes
        come with them) — when each column is one of the file's own top-level names, once;
        any other source is read through DuckDB, with DuckDB's types. Either way the
        connection is then closed, so DuckDB's memory goes back first (as in :meth:`cells`)."""
        if not self._columnar:
            return None
        with self._reading():
            return self._arrow_columns(columns, rows)

    def _arrow_columns(self, columns: Sequence[str], rows: int | None) -> pa.Table | None:
        try:
            if rows is not None and not self.fits(columns, rows):
                return None
            loaded, self._loaded = self._loaded, None
            if loaded is not None and set(columns) <= set(loaded.column_names):
                return loaded.select(list(columns))
            if self._parquet is not None:
                table = _read_parquet_columns(self._parquet, columns)
                if table is not None:
                    return table
            select = ", ".join(self.dialect.ident(c) for c in columns)
            reader = self.con.sql(f"SELECT {select} FROM {TABLE}").to_arrow_reader(1 << 20)
            return reader.read_all()
        finally:
            self.close()

    def fits(self, columns: Sequence[str], rows: int) -> bool:
        """Whether ``rows`` rows of ``columns``, held in memory with the columnar pass's
        per-row arrays (:data:`ROW_OVERHEAD` bytes), stay within the engine's memory limit —
        the bound a user sets for DuckDB (``EQUALS_DUCKDB_MEMORY``) holds for this pass too.
        A request over it runs as SQL, which DuckDB keeps within the limit by spilling."""
        self.schema()
        width = sum(_width(self._types.get(c, "")) for c in dict.fromkeys(columns))
        return rows * (width + ROW_OVERHEAD) <= _byte_count(self._memory)

    def close(self) -> None:
        """Close the connection (the next use of :attr:`con` opens a new one)."""
        if self._con is not None:
            self._con.close()
            self._con = None
        self._loaded = None  # a load's columns were the closed connection's view

    def _rows_known(self, con: duckdb.DuckDBPyConnection) -> int | None:
        """The source's row count where it costs no scan (a DataFrame, a Parquet file's
        metadata); None for a CSV."""
        if self._frame is not None:
            return len(self._frame)
        if self._view is not None and self._view.startswith("SELECT * FROM read_parquet("):
            return int(con.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchall()[0][0])
        return None


def _read_parquet_columns(
    path: str, columns: Sequence[str], max_rows: int | None = None, *, plain: bool = False
) -> pa.Table | None:
    """The columns of a Parquet file read by Arrow (text as dictionaries), or None when one
    of them is not a unique top-level name of the file (DuckDB then reads it), the file has
    more than ``max_rows`` rows or, with ``plain``, a column is of another type than
    integers, floats, booleans or text."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    if max_rows is not None and file.metadata.num_rows > max_rows:
        return None
    schema = file.schema_arrow
    names = [str(n) for n in schema.names]
    counts = Counter(names)
    if any(counts[c] != 1 for c in columns):
        return None
    if plain and not all(_plain(schema.field(c).type) for c in columns):
        return None
    text = [c for c in columns if is_text(schema.field(c).type)]
    file = pq.ParquetFile(path, read_dictionary=text) if text else file
    table = file.read(columns=list(columns), use_threads=True)
    if text:  # one dictionary per column, not one per row group
        table = table.unify_dictionaries()
    return table.combine_chunks() if table.num_rows else table


_WIDTHS = {"TINYINT": 1, "UTINYINT": 1, "BOOLEAN": 1, "SMALLINT": 2, "USMALLINT": 2,
           "INTEGER": 4, "UINTEGER": 4, "FLOAT": 4, "VARCHAR": 16}  # fmt: skip


def _width(duck_type: str) -> int:
    """Bytes per row of a column of this DuckDB type in Arrow (8 for any other type; text
    as a 16-byte view, an upper bound of its dictionary index)."""
    return _WIDTHS.get(duck_type.upper(), 8)


_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}  # fmt: skip


def _byte_count(size: str) -> int:
    """A DuckDB memory setting ("500MB", "2GiB", "1.5 GB") in bytes; the default's when it
    cannot be read."""
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", size)
    if found and found.group(2).upper() in _UNITS:
        return int(float(found.group(1)) * _UNITS[found.group(2).upper()])
    return _byte_count(MEMORY_LIMIT) if size != MEMORY_LIMIT else 500 * 10**6


def _plain(kind: pa.DataType) -> bool:
    """Integers, floats, booleans or text (a dictionary of text too). Not half floats: DuckDB
    does not scan an Arrow float16 (its own Parquet reader reads them)."""
    import pyarrow as pa

    t = pa.types
    if t.is_dictionary(kind):
        return is_text(kind.value_type)
    floating = t.is_floating(kind) and not t.is_float16(kind)
    return bool(t.is_integer(kind) or floating or t.is_boolean(kind) or is_text(kind))


def _top_level_names(schema: Sequence[tuple[str, int]]) -> list[str]:
    """The top-level column names of a Parquet schema given as (name, number of children) in
    the file's order (the root first, then each column followed by its nested fields)."""
    names: list[str] = []
    i = 1
    for _ in range(schema[0][1] if schema else 0):
        names.append(schema[i][0])
        pending = schema[i][1]  # nested fields still to skip
        i += 1
        while pending:
            pending += schema[i][1] - 1
            i += 1
    return names


def _drain(batches: list[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The batches in order, each released as soon as it has been handed over."""
    batches.reverse()
    while batches:
        yield batches.pop()


_SPILL: list[str] = []


def _reader_message(exc: Exception, path: Path) -> Msg:
    """One line for a reader error: DuckDB's CSV errors run to 25 lines of reader settings."""
    text = str(exc)
    if "not utf-8 encoded" in text.lower() or "invalid unicode" in text.lower():
        line = _first_non_utf8_line(path)
        if line:
            return Msg(
                "line %(line)s is not UTF-8 text; save the file as UTF-8 "
                "(e.g. iconv -f latin1 -t utf-8 in.csv > out.csv)",
                line=line,
            )
        return Msg(
            "the file is not UTF-8 text; save the file as UTF-8 "
            "(e.g. iconv -f latin1 -t utf-8 in.csv > out.csv)"
        )
    found = re.search(r"CSV Error on Line: (\d+)", text)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    if found:
        return Msg(
            "cannot read file (line %(line)s): %(reason)s", line=found.group(1), reason=first[:300]
        )
    return Msg("cannot read file: %(reason)s", reason=first[:300])


def _first_non_utf8_line(path: Path) -> int | None:
    """The 1-based number of the first line that is not UTF-8 (read only after a failure)."""
    try:
        with path.open("rb") as f:
            for number, raw in enumerate(f, start=1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    return number
    except OSError:
        return None
    return None


def _spill_directory() -> str:
    """One temporary directory per process for DuckDB's spilled data, removed at exit."""
    if not _SPILL:
        _SPILL.append(tempfile.mkdtemp(prefix="equals-duckdb-"))
        atexit.register(shutil.rmtree, _SPILL[0], True)
    return _SPILL[0]


def read_statistical_file(path: Path, kind: str) -> pd.DataFrame:
    """Stata / SPSS file as a DataFrame of codes (value labels are not applied)."""
    import pyreadstat

    reader = pyreadstat.read_dta if kind == "stata" else pyreadstat.read_sav
    frame, _meta = reader(str(path), apply_value_formats=False)
    return frame


def open_engine(
    engine: str | Engine,
    source: str | Path | pd.DataFrame,
    *,
    spark_master: str | None = None,
    memory_limit: str | None = None,
) -> Engine:
    """An engine by name (``duckdb`` or ``spark``) or an engine instance (returned as is).

    ``spark_master``: the Spark master URL for ``spark`` (default ``local[2]``);
    ``memory_limit``: DuckDB's working memory (default 500MB)."""
    if not isinstance(engine, str):
        return engine
    location = str(source) if isinstance(source, str | Path) else "<DataFrame>"
    if spark_master and engine != "spark":
        raise UnknownEngineError(
            Msg(
                "a Spark master (%(master)s) needs the spark engine (--engine spark)",
                master=spark_master,
            ),
            location=location,
        )
    if engine == "duckdb":
        return DuckDBEngine(source, memory_limit=memory_limit)
    if engine == "spark":
        from equals.survey.spark import SparkEngine, spark_available

        if not spark_available():
            raise EngineUnavailableError(
                Msg(
                    "the spark engine needs pyspark: pip install 'equals-hub[spark]' (and Java 17)"
                ),
                location=location,
            )
        try:
            return SparkEngine(source, master=spark_master)
        except EngineUnavailableError as exc:
            raise EngineUnavailableError(exc.message, location=location) from exc
    raise UnknownEngineError(
        Msg(
            "unknown engine %(engine)s (choose from: %(choices)s)",
            engine=repr(engine),
            choices=", ".join(ENGINES),
        ),
        location=location,
    )
