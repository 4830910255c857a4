"""The Spark engine: the same SQL text as DuckDB, run by Spark SQL (PySpark).

:class:`SparkEngine` implements :class:`equals.survey.engine.Engine` over a Spark DataFrame
exposed as the temporary view ``survey_data`` of its own Spark session (``newSession()``:
views are private to the engine, the SparkContext is shared). The estimators send it the
queries of :mod:`equals.survey.sql` quoted with :data:`~equals.survey.sql.SPARK`; only the
small aggregated table (stratum × PSU × domain cells) comes back to Python, where the
variance algebra runs exactly as for DuckDB — so both engines give the same numbers
(tests/survey/test_spark.py checks 1e-9 relative agreement, and agreement with R).

Sources: CSV (header row; typed as DuckDB types them — a column of whole numbers → BIGINT,
of other numbers → DOUBLE, anything else, leading zeros or quoted values → STRING; empty
fields are missing), Parquet (any
path Spark can read, e.g. a directory of part files, ``hdfs://`` or ``s3a://``), Stata
``.dta`` and SPSS ``.sav`` (read by pyreadstat on the driver, then distributed), a pandas
DataFrame, or a Spark DataFrame.

Session. One SparkSession per process, created lazily on first use and reused by every
engine (:func:`spark_session`); :func:`stop_spark` stops it (also registered at exit). The
default is local mode, ``local[2]``, with no network exposure: the UI is off, the driver
binds to 127.0.0.1, 2 shuffle partitions, console progress bars off, Arrow for results.

Running on a cluster::

    equals survey estimate hdfs:///surveys/lfs2024.parquet --weight w --strata stratum \\
        --psu psu --proportion internet --by sex,urban \\
        --engine spark --spark-master spark://host:7077

(or ``yarn``, ``k8s://…``; ``EQUALS_SPARK_MASTER`` sets the default master). The file must
be readable by the executors (HDFS, S3, a shared mount). Only the aggregated cells travel
back to the driver, so the driver needs little memory whatever the size of the data.

When it pays off: DuckDB on one machine reads ~10⁷ person records per second per core from
Parquet (docs/benchmarks.md), so a national survey or a few survey rounds take seconds.
Spark's fixed costs (a JVM, ~10–20 s to start a session, ~0.5–2 s per query plan) only pay
off when the microdata no longer fit one machine's disk or when the data already live in a
Spark/Hadoop cluster: full censuses (10⁸–10⁹ records), many pooled rounds, or data that
must not leave the cluster. The aggregation is one ``GROUP BY`` pass, so it scales with the
number of executors.
"""

from __future__ import annotations

import atexit
import math
import threading
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from equals.core.i18n import Msg
from equals.survey.engine import READERS, CellTable, ColumnKind, read_statistical_file
from equals.survey.errors import EngineUnavailableError, SurveyFileError
from equals.survey.sql import SPARK, TABLE

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

DEFAULT_MASTER = "local[2]"
LOCAL_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
    "spark.driver.maxResultSize": "4g",  # the cells table of a fine domain can exceed 1g
}
CLUSTER_CONF: dict[str, str] = {
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.maxResultSize": "4g",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
}
CHUNK_CELLS = 500_000  # cells brought to the driver per part
_INTEGRAL = ("ByteType", "ShortType", "IntegerType", "LongType")
_NUMERIC = (*_INTEGRAL, "FloatType", "DoubleType", "DecimalType")

_lock = threading.Lock()
_session: SparkSession | None = None
_master: str | None = None


def spark_available() -> bool:
    """Whether pyspark is importable (Java is checked when the session starts)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def _is_local(master: str) -> bool:
    return master.startswith("local")


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """The process's SparkSession, created on first use (a different master restarts it)."""
    global _session, _master
    wanted = master or DEFAULT_MASTER
    with _lock:
        if _session is not None and (master is None or wanted == _master):
            return _session
        if _session is not None:
            _stop_locked()
        if not spark_available():
            raise EngineUnavailableError(
                Msg("the spark engine needs pyspark: pip install 'equals-hub[spark]' (and Java 17)")
            )
        from pyspark.sql import SparkSession

        settings = {**(LOCAL_CONF if _is_local(wanted) else CLUSTER_CONF), **(conf or {})}
        builder = SparkSession.builder.master(wanted).appName("equals-survey")
        for key, value in settings.items():
            builder = builder.config(key, value)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pyspark vs pandas 3 notices
                session = builder.getOrCreate()
        except Exception as exc:  # no Java, bad master URL, port in use …
            detail = str(exc).splitlines()[0] if str(exc) else ""
            raise EngineUnavailableError(
                Msg(
                    "cannot start Spark (master %(master)s): %(detail)s",
                    master=wanted,
                    detail=detail,
                )
            ) from exc
        session.sparkContext.setLogLevel("ERROR")
        _session, _master = session, wanted
        return session


def _stop_locked() -> None:
    global _session, _master
    if _session is not None:
        try:
            _session.stop()
        finally:
            _session, _master = None, None


def stop_spark() -> None:
    """Stop the shared SparkSession, if one was started (safe to call twice)."""
    with _lock:
        _stop_locked()


atexit.register(stop_spark)


def _kind(type_name: str) -> ColumnKind:
    if type_name.startswith(_NUMERIC):
        return ColumnKind.NUMERIC
    if type_name == "BooleanType":
        return ColumnKind.BOOLEAN
    if type_name in ("StringType", "VarcharType", "CharType"):
        return ColumnKind.STRING
    return ColumnKind.OTHER


def _has_scheme(path: str) -> bool:
    head, sep, _ = path.partition("://")
    return bool(sep) and head.isalnum() and len(head) > 1


_INT_PATTERN = "^[+-]?(0|[1-9][0-9]{0,17})$"  # DuckDB: a leading zero (007) keeps text


def _typed_csv(raw: DataFrame, unquoted: DataFrame | None) -> DataFrame:
    """Columns read as text → DuckDB's CSV candidates: BIGINT if every value is a whole
    number, else DOUBLE if every value is a number, else STRING; like DuckDB, a column with a
    quoted value ("123") stays text. ``unquoted``: the same file read with quoting off, to
    see the quotes (used only when it has the same header)."""
    fields = raw.schema.fields
    checks = []
    for i, field in enumerate(fields):
        c = SPARK.ident(field.name)
        checks += [
            f"SUM(CASE WHEN {c} IS NOT NULL THEN 1 ELSE 0 END) AS v{i}",
            f"SUM(CASE WHEN {c} IS NOT NULL AND NOT ({c} RLIKE '{_INT_PATTERN}') "
            f"THEN 1 ELSE 0 END) AS i{i}",
            f"SUM(CASE WHEN {c} IS NOT NULL AND TRY_CAST({c} AS DOUBLE) IS NULL "
            f"THEN 1 ELSE 0 END) AS d{i}",
        ]
    if not checks:
        return raw
    counts = raw.selectExpr(*checks).collect()[0]
    quoted: set[str] = set()
    if unquoted is not None:
        names = [f.name.strip('"') for f in unquoted.schema.fields]
        if names == [f.name for f in fields]:
            probes = [
                f"MAX(CASE WHEN STARTSWITH({SPARK.ident(u.name)}, '\"') THEN 1 ELSE 0 END) AS q{i}"
                for i, u in enumerate(unquoted.schema.fields)
            ]
            row = unquoted.selectExpr(*probes).collect()[0]
            quoted = {f.name for i, f in enumerate(fields) if row[f"q{i}"]}
    exprs = []
    for i, field in enumerate(fields):
        c = SPARK.ident(field.name)
        if not counts[f"v{i}"] or field.name in quoted:
            exprs.append(c)
        elif not counts[f"i{i}"]:
            exprs.append(f"CAST({c} AS BIGINT) AS {c}")
        elif not counts[f"d{i}"]:
            exprs.append(f"CAST({c} AS DOUBLE) AS {c}")
        else:
            exprs.append(c)
    return raw.selectExpr(*exprs)


def _decimals_to_double(frame: DataFrame) -> DataFrame:
    exprs = []
    for field in frame.schema.fields:
        col = SPARK.ident(field.name)
        is_decimal = type(field.dataType).__name__ == "DecimalType"
        exprs.append(f"CAST({col} AS DOUBLE) AS {col}" if is_decimal else col)
    return frame.selectExpr(*exprs)


class SparkEngine:
    """Spark SQL over a file, a pandas DataFrame or a Spark DataFrame (view ``survey_data``).

    ``master``: a Spark master URL (default ``local[2]``, or ``EQUALS_SPARK_MASTER``);
    ``conf``: extra Spark settings for a new session; ``cache``: keep the source in executor
    memory between queries (useful when one engine answers many requests).
    """

    name = "spark"
    dialect = SPARK

    def __init__(
        self,
        source: str | Path | pd.DataFrame | DataFrame,
        *,
        master: str | None = None,
        conf: Mapping[str, str] | None = None,
        cache: bool = False,
    ) -> None:
        import pandas as pd

        self.spark = spark_session(master, conf).newSession()
        self._schema: dict[str, ColumnKind] | None = None
        if isinstance(source, str | Path):
            self.location = str(source)
            frame = self._read(str(source))
        elif isinstance(source, pd.DataFrame):
            self.location = "<DataFrame>"
            frame = self._from_pandas(source)
        else:
            self.location = "<Spark DataFrame>"
            frame = source
        frame = _decimals_to_double(frame)
        if cache:
            frame = frame.cache()
        self.frame = frame
        frame.createOrReplaceTempView(TABLE)

    def _from_pandas(self, frame: pd.DataFrame) -> DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyspark vs pandas 3 notices
            return self.spark.createDataFrame(frame)

    def _read(self, location: str) -> DataFrame:
        remote = _has_scheme(location)
        suffix = Path(location.rstrip("/")).suffix.lower()
        if not remote and not Path(location).exists():
            raise SurveyFileError(Msg("file not found"), location=location)
        kind = READERS.get(suffix)
        if kind is None and not remote and Path(location).is_dir():
            kind = "parquet"  # a directory of Parquet part files, as Spark writes them
        if kind is None:
            raise SurveyFileError(
                Msg(
                    "unsupported file type %(suffix)s (use .csv, .parquet, .dta or .sav)",
                    suffix=repr(suffix),
                ),
                location=location,
            )
        try:
            if kind == "csv":
                raw = self.spark.read.csv(location, header=True, inferSchema=False)
                unquoted = self.spark.read.csv(location, header=True, quote="")
                frame = _typed_csv(raw, unquoted)
            elif kind == "parquet":
                frame = self.spark.read.parquet(location)
            else:
                frame = self._from_pandas(read_statistical_file(Path(location), kind))
            frame.schema  # noqa: B018  (resolve now: reader errors belong to the file)
        except Exception as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SurveyFileError(
                Msg("cannot read file: %(reason)s", reason=message), location=location
            ) from exc
        return frame

    def schema(self) -> dict[str, ColumnKind]:
        if self._schema is None:
            self._schema = {
                f.name: _kind(type(f.dataType).__name__) for f in self.frame.schema.fields
            }
        return self._schema

    def query(self, sql: str) -> pd.DataFrame:
        return self._pandas(self.spark.sql(sql))

    def cells(self, sql: str) -> CellTable:
        """The pass's cells, computed once (cached on the executors, spilling to disk) and
        brought to the driver in parts of at most ``CHUNK_CELLS``: neither the driver JVM
        nor a task ever serialises the whole table at once."""
        from pyspark import StorageLevel
        from pyspark.sql.functions import spark_partition_id

        frame = self.spark.sql(sql).persist(StorageLevel.MEMORY_AND_DISK)
        chunked = None
        try:
            count = frame.count()
            parts = max(1, math.ceil(count / CHUNK_CELLS))
            if parts == 1:
                return CellTable.from_chunks(count, frame.columns, [self._pandas(frame)])
            chunked = frame.repartition(parts).persist(StorageLevel.MEMORY_AND_DISK)
            pieces = (self._pandas(chunked.where(spark_partition_id() == i)) for i in range(parts))
            return CellTable.from_chunks(count, frame.columns, pieces)
        finally:
            if chunked is not None:
                chunked.unpersist()
            frame.unpersist()

    @staticmethod
    def _pandas(frame: DataFrame) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyspark vs pandas 3 notices
            result: Any = frame.toPandas()
        out: pd.DataFrame = result
        return out

    def close(self) -> None:
        """Drop this engine's view (and cached data); the shared session stays up."""
        if self.frame.is_cached:
            self.frame.unpersist()
        self.spark.catalog.dropTempView(TABLE)
