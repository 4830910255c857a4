"""DuckDB engine: the aggregation pass fetched in chunks equals the plain query result."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equals.settings import Settings
from equals.survey import engine as engine_module
from equals.survey.codes import factorize_sorted
from equals.survey.engine import CellTable, DuckDBEngine
from equals.survey.sql import TABLE


def _frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "psu": rng.integers(0, n // 3, n),
            "grp": rng.choice(["a", "b", None], n),
            "w": rng.uniform(0.5, 3.0, n),
            "y": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
        }
    )


SQL = (
    'SELECT "psu" AS k__psu, "grp" AS k__by0, COUNT(*) AS cell__n, '
    'SUM(CASE WHEN "y" IS NOT NULL THEN "w" * "y" ELSE 0 END) AS m0__wy, '
    f'MIN("y") AS m0__min FROM {TABLE} GROUP BY 1, 2'
)


def _sorted(table: CellTable) -> pd.DataFrame:
    keys = table.keys.astype(object)  # text keys come as sorted categoricals from DuckDB
    frame = keys.assign(**{n: table.values[:, j] for j, n in enumerate(table.names)})
    return frame.sort_values(["k__psu", "k__by0"], na_position="last").reset_index(drop=True)


@pytest.mark.parametrize("stream_rows", [0, 10**9], ids=["temp-table", "streamed"])
def test_chunked_cells_equal_the_query(monkeypatch: pytest.MonkeyPatch, stream_rows: int) -> None:
    monkeypatch.setattr(engine_module, "CHUNK_VECTORS", 1)  # 2,048 cells a chunk: many chunks
    monkeypatch.setattr(engine_module, "STREAM_ROWS", stream_rows)
    eng = DuckDBEngine(_frame(30_000))
    got = eng.cells(SQL)
    want = CellTable.from_frame(eng.query(SQL))
    assert len(got.values) > 3 * 2048
    assert got.names == want.names == ("cell__n", "m0__wy", "m0__min")
    assert got.values.flags.f_contiguous
    # Same cells, whatever order each fetch returned them in.
    pd.testing.assert_frame_equal(_sorted(got), _sorted(want), check_dtype=False)
    assert np.isnan(want.values).sum() == 0  # a NULL MIN (every y missing) reads as 0
    assert eng.con.execute("SELECT COUNT(*) FROM duckdb_tables()").fetchall()[0][0] == 0


def test_memory_limit_and_spill_directory_are_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is passed in (the CLI passes ``Settings.duckdb_memory``); the library itself
    never reads the environment, so ``$EQUALS_DUCKDB_MEMORY`` alone changes nothing here."""
    monkeypatch.setenv("EQUALS_DUCKDB_MEMORY", "123MB")
    eng = DuckDBEngine(_frame(100), memory_limit="123MB")
    limit = eng.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    spill = eng.con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
    assert limit.replace(" ", "").upper().startswith(("117", "123", "122"))  # MiB or MB
    assert "equals-duckdb-" in spill
    default = DuckDBEngine(_frame(100))
    limit = default.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit.replace(" ", "").upper().startswith(("476", "500"))  # 500MB, not the env's


def test_the_cli_takes_engine_settings_from_the_environment() -> None:
    env = {"EQUALS_DUCKDB_MEMORY": "2GB", "EQUALS_SPARK_MASTER": "spark://h:7077"}
    settings = Settings.from_env(env, db_url="sqlite://")
    assert (settings.duckdb_memory, settings.spark_master) == ("2GB", "spark://h:7077")


def test_csv_types_are_the_same_in_the_pass(tmp_path: Path) -> None:
    """The pass runs in a database of its own (closed after, so DuckDB frees its memory);
    it reads a CSV with the types the engine found once: codes with leading zeros stay text,
    numbers stay numbers."""
    path = tmp_path / "s.csv"
    path.write_text("psu,code,w,y\n1,007,1.5,2\n1,010,2.0,\n2,007,1.0,4\n")
    eng = DuckDBEngine(path)
    assert eng.schema()["code"].value == "string" and eng.schema()["y"].value == "numeric"
    sql = (
        f'SELECT "code" AS k__by0, COUNT(*) AS cell__n, SUM("w" * "y") AS m0__wy '
        f"FROM {TABLE} GROUP BY 1"
    )
    table = eng.cells(sql)
    got = dict(zip(table.keys["k__by0"], table.values[:, 1], strict=True))
    assert got == {"007": 1.5 * 2 + 1.0 * 4, "010": 0.0}


def test_parquet_cells_stream_or_go_through_a_table_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Parquet file's row count is read from its metadata: small files stream their cells,
    large ones go through a temporary table; both give the same cells."""
    path = tmp_path / "s.parquet"
    _frame(20_000).to_parquet(path)
    eng = DuckDBEngine(path)
    assert eng._rows_known(eng.con) == 20_000  # from the metadata
    monkeypatch.setattr(engine_module, "CHUNK_VECTORS", 1)
    streamed = eng.cells(SQL)
    monkeypatch.setattr(engine_module, "STREAM_ROWS", 19_999)
    tabled = eng.cells(SQL)
    pd.testing.assert_frame_equal(_sorted(streamed), _sorted(tabled))
    assert len(streamed.values) > 2048 and streamed.values.flags.f_contiguous


def test_text_keys_are_coded_as_pandas_factorize_would() -> None:
    """Text keys arrive coded (Arrow dictionary, sorted): the same codes and values as
    ``pd.factorize(sort=True)`` on the strings, a missing value coded −1."""
    eng = DuckDBEngine(_frame(10_000))
    got = eng.cells(SQL)
    assert isinstance(got.keys["k__by0"].dtype, pd.CategoricalDtype)
    codes, uniques = factorize_sorted(got.keys["k__by0"])
    strings = got.keys["k__by0"].astype(object)
    want_codes, want_uniques = pd.factorize(strings, sort=True, use_na_sentinel=True)
    assert list(uniques) == list(want_uniques) == ["a", "b"]
    np.testing.assert_array_equal(codes, want_codes)
    assert (codes == -1).sum() == strings.isna().sum() > 0


def test_engine_is_usable_after_a_streamed_pass(tmp_path: Path) -> None:
    """The streamed pass closes the engine's connection (DuckDB's memory goes back before the
    cells are copied); the engine opens a new one, with the same source, when used again."""
    path = tmp_path / "s.parquet"
    _frame(5_000).to_parquet(path)
    eng = DuckDBEngine(path)
    first = eng.cells(SQL)
    assert eng._con is None  # closed by the streamed pass
    assert int(eng.query(f"SELECT COUNT(*) AS n FROM {TABLE}")["n"][0]) == 5_000
    again = eng.cells(SQL)
    pd.testing.assert_frame_equal(_sorted(first), _sorted(again))
    frame = DuckDBEngine(_frame(5_000))  # a registered DataFrame is registered again
    frame.cells(SQL)
    assert int(frame.query(f"SELECT COUNT(*) AS n FROM {TABLE}")["n"][0]) == 5_000


def test_arrow_cells_keep_missing_keys_and_zero_missing_moments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Streamed from Arrow in many batches: a missing moment (a cell where every value is
    missing) is 0 in every batch, whatever Arrow's buffer holds under it; an integer key with
    missing values keeps them missing (coded −1), one without is coded as its values; the
    cells equal the query's, fetched through pandas."""
    monkeypatch.setattr(engine_module, "CHUNK_VECTORS", 1)
    rng = np.random.default_rng(11)
    n = 40_000
    frame = pd.DataFrame(
        {
            "psu": rng.integers(0, 9_000, n),
            "region": pd.array(
                np.where(rng.random(n) < 0.2, None, rng.integers(1, 5, n)), dtype="Int64"
            ),
            "y": np.where(rng.random(n) < 0.5, np.nan, rng.normal(size=n)),
        }
    )
    sql = (
        'SELECT "psu" AS k__psu, "region" AS k__by0, COUNT(*) AS cell__n, '
        f'SUM("y") AS m0__y, MAX("y") AS m0__max FROM {TABLE} GROUP BY 1, 2'
    )
    eng = DuckDBEngine(frame)
    got = eng.cells(sql)
    want = CellTable.from_frame(eng.query(sql))
    assert len(got.values) > 3 * 2048
    assert np.isnan(want.values).sum() == 0 and np.isnan(got.values).sum() == 0
    assert (got.values[:, 1] == 0).sum() > 1000  # many cells with every y missing
    key = ["k__psu", "k__by0"]
    both = [
        t.keys.astype("float64")
        .assign(**{m: t.values[:, j] for j, m in enumerate(t.names)})
        .sort_values(key, na_position="last")
        .reset_index(drop=True)
        for t in (got, want)
    ]
    pd.testing.assert_frame_equal(both[0], both[1])
    codes, uniques = factorize_sorted(got.keys["k__by0"])
    assert list(uniques) == [1, 2, 3, 4] and (codes == -1).sum() == got.keys["k__by0"].isna().sum()
    psu_codes, psu_values = factorize_sorted(got.keys["k__psu"])
    np.testing.assert_array_equal(psu_values[psu_codes], got.keys["k__psu"].to_numpy())


def test_the_streamed_pass_runs_on_one_thread_unless_threads_are_given(tmp_path: Path) -> None:
    """The streamed aggregation runs on STREAM_THREADS DuckDB threads (its connection is then
    closed, so later queries have DuckDB's default again, also after a failed pass); an engine
    given ``threads`` keeps them."""
    path = tmp_path / "s.parquet"
    _frame(5_000).to_parquet(path)
    sql = (
        f"SELECT current_setting('threads') AS k__by0, COUNT(*) AS cell__n FROM {TABLE} GROUP BY 1"
    )

    def threads_in_pass(eng: DuckDBEngine) -> int:
        table = eng.cells(sql)
        assert table.values[:, 0].tolist() == [5_000.0]
        return int(table.keys["k__by0"].iloc[0])

    eng = DuckDBEngine(path)
    default = int(eng.query("SELECT current_setting('threads') AS t")["t"][0])
    assert threads_in_pass(eng) == engine_module.STREAM_THREADS == 1
    assert int(eng.query("SELECT current_setting('threads') AS t")["t"][0]) == default
    assert threads_in_pass(DuckDBEngine(path, threads=2)) == 2
    failing = DuckDBEngine(path)
    with pytest.raises(Exception, match="nope"):
        failing.cells(f"SELECT nope AS k__by0, COUNT(*) AS cell__n FROM {TABLE} GROUP BY 1")
    assert int(failing.query("SELECT current_setting('threads') AS t")["t"][0]) == default
