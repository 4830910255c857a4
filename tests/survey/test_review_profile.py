"""Review of the profile pass from Parquet metadata (``DuckDBEngine.known_nulls``,
``sql.same_missing_runs``, the pairwise fallback in ``plan.prepare``): on awkward files the plan
and the estimates equal those of the same data counted row by row (a DataFrame source, which
has no metadata), and the missing counts taken from the metadata are the true ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from equals.survey import Design, estimate, mean, proportion, ratio, total
from equals.survey.engine import DuckDBEngine
from equals.survey.errors import MissingDesignValueError
from equals.survey.plan import prepare
from equals.survey.quantities import Quantity
from tests.survey.review_data import design_columns

N = 500
DESIGN = Design(weight="w", strata="st", psu="psu")


class Recording(DuckDBEngine):
    """The DuckDB engine, keeping the SQL of every query it answers. Its passes run as SQL
    over the file (``columnar=False``): a loaded request counts its missing values in memory
    and never reads the metadata these tests are about (the estimates of :func:`_check` go
    through the default engine, loaded)."""

    def __init__(self, source: str | Path | pd.DataFrame) -> None:
        super().__init__(source, columnar=False)
        self.queries: list[str] = []

    def query(self, sql: str) -> pd.DataFrame:
        self.queries.append(sql)
        return super().query(sql)


def _mask(rng: np.random.Generator, count: int, n: int = N) -> np.ndarray:
    """Exactly ``count`` missing rows, chosen at random."""
    return rng.permutation(np.r_[np.ones(count, bool), np.zeros(n - count, bool)])


def _base(rng: np.random.Generator, n: int = N) -> dict[str, pa.Array]:
    return design_columns(rng, n)


def _bits(rng: np.random.Generator, mask: np.ndarray) -> pa.Array:
    return pa.array(rng.integers(0, 2, len(mask)), pa.int8(), mask=mask)


def _records(results: list[Any]) -> list[tuple]:  # type: ignore[type-arg]
    return sorted(
        (
            repr(sorted(dict(r.domain).items())),
            r.variable,
            str(r.level),
            r.n,
            r.missing,
            r.estimate,
            r.se,
        )
        for r in results
    )


def _same(got: list[tuple], want: list[tuple]) -> None:  # type: ignore[type-arg]
    assert [g[:5] for g in got] == [w[:5] for w in want]
    np.testing.assert_allclose(
        [g[5:] for g in got], [w[5:] for w in want], rtol=1e-10, equal_nan=True
    )


def _check(path: Path, frame: pd.DataFrame, quantities: list[Quantity], by: list[str]) -> Recording:
    """The Parquet file's plan and estimates are those of the DataFrame; the engine used on the
    file is returned (its queries recorded)."""
    engine = Recording(path)
    plan = prepare(engine, DESIGN, quantities, by)
    counted = prepare(DuckDBEngine(frame), DESIGN, quantities, by)
    assert plan.sql == counted.sql
    _same(
        _records(estimate(path, DESIGN, quantities, by)),
        _records(estimate(frame, DESIGN, quantities, by)),
    )
    return engine


def _runs_broken_by_a_ratio(rng: np.random.Generator) -> pa.Table:
    """Three runs of questions missing as often: q1..q3 on the same rows, a ratio (two
    columns) in the middle of them, q4 and q5 on as many other rows (the fallback), b1 and b2
    booleans on the same rows."""
    asked, other, third = _mask(rng, 120), _mask(rng, 120), _mask(rng, 75)
    return pa.table(
        _base(rng)
        | {
            "q1": _bits(rng, asked),
            "q2": _bits(rng, asked),
            "num": pa.array(rng.uniform(0, 5, N), mask=asked),
            "den": pa.array(rng.uniform(1, 5, N), mask=asked),
            "q3": _bits(rng, asked),
            "q4": _bits(rng, other),
            "q5": _bits(rng, asked),
            "b1": pa.array(rng.random(N) < 0.3, mask=third),
            "b2": pa.array(rng.random(N) < 0.6, mask=third),
        }
    )


RUN_QUANTITIES = [
    proportion("q1"), proportion("q2"), ratio("num", "den"), proportion("q3"),
    proportion("q4"), proportion("q5"), proportion("b1"), proportion("b2"), mean("num"),
]  # fmt: skip

WRITES: dict[str, dict[str, Any]] = {
    "one row group": {},
    "row groups": {"row_group_size": 64},
    "statistics for some columns only": {
        "row_group_size": 64,
        "write_statistics": ["w", "st", "psu", "q1", "q2", "q4"],
    },
    "no dictionary, v1": {"use_dictionary": False, "version": "1.0"},
}


@pytest.mark.parametrize("write", list(WRITES))
def test_runs_broken_by_a_ratio_and_a_run_on_other_rows(tmp_path: Path, write: str) -> None:
    table = _runs_broken_by_a_ratio(np.random.default_rng(7))
    path = tmp_path / "runs.parquet"
    pq.write_table(table, path, **WRITES[write])
    engine = _check(path, table.to_pandas(), RUN_QUANTITIES, ["sex"])
    known = engine.known_nulls()
    if write != "statistics for some columns only":
        for name in ("q1", "q2", "q3", "q4", "q5", "b1", "b2", "num", "den"):
            assert known[name] == table.column(name).null_count, name
    else:  # a column without statistics in any row group is counted, not taken as 0
        assert set(known) == {"w", "st", "psu", "q1", "q2", "q4"}
    profile = engine.queries[0]
    fallback = [q for q in engine.queries[1:] if "differs_" in q]
    if write != "statistics for some columns only":
        assert "samenull_" in profile
        # q3, q4, q5 missing as often, q4 on other rows: compared pair by pair
        assert fallback and '"q4"' in fallback[0]


def test_the_same_count_on_other_rows_is_compared_pair_by_pair(tmp_path: Path) -> None:
    """Every question missing 100 times, on different rows for each: the run's one check fails
    and the pairs are compared; no two questions share a validity class."""
    rng = np.random.default_rng(3)
    table = pa.table(_base(rng) | {f"q{i}": _bits(rng, _mask(rng, 100)) for i in range(4)})
    path = tmp_path / "q.parquet"
    pq.write_table(table, path, row_group_size=128)
    quantities = [proportion(f"q{i}") for i in range(4)]
    engine = _check(path, table.to_pandas(), quantities, ["sex"])
    assert [q for q in engine.queries if "differs_" in q and "samenull_" not in q]
    plan = prepare(DuckDBEngine(path), DESIGN, quantities, [])
    assert plan.sql.count("__n") - 1 == 4  # the cells' count and one per question


def test_a_row_group_where_a_column_is_all_missing(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    first = np.arange(N) < 100
    table = pa.table(
        _base(rng)
        | {"q": pa.array(rng.uniform(0, 1, N), mask=first), "r": _bits(rng, first)}
        | {"never": pa.array([None] * N, pa.float64())}
    )
    path = tmp_path / "a.parquet"
    pq.write_table(table, path, row_group_size=100)
    engine = _check(path, table.to_pandas(), [mean("q"), proportion("r"), total("q")], ["sex"])
    assert engine.known_nulls()["q"] == 100 and engine.known_nulls()["never"] == N


def test_names_with_a_dot_a_space_or_a_quote_and_nested_columns(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    same, other = _mask(rng, 90), _mask(rng, 90)
    nested = pa.StructArray.from_arrays(
        [pa.array(rng.integers(0, 2, N), pa.int8(), mask=other)], names=["b"]
    )
    table = pa.table(
        _base(rng)
        | {"a.b": _bits(rng, same), "a b": _bits(rng, same), 'a"b': _bits(rng, other)}
        | {"it's": _bits(rng, same), "a": nested, "region": pa.array(
            rng.choice(["n", "s", "e"], N), mask=same).dictionary_encode()}
        | {"tags": pa.array([["x"]] * N, pa.list_(pa.string()))}
    )  # fmt: skip
    path = tmp_path / "n.parquet"
    pq.write_table(table, path, row_group_size=200)
    frame = table.drop_columns(["a", "tags"]).to_pandas()
    quantities = [proportion(c) for c in ("a.b", "a b", 'a"b', "it's")]
    engine = _check(path, frame, quantities, ["region"])
    known = engine.known_nulls()
    assert known["a.b"] == known["a b"] == known["it's"] == known['a"b'] == 90
    assert "a" not in known and "tags" not in known


def test_a_top_level_name_that_is_also_a_nested_path(tmp_path: Path) -> None:
    """DuckDB names the leaf b of struct a "a, b" in the metadata: the counts of a top-level
    column "a, b" and of that leaf must not be summed into one (once 90 + 200)."""
    rng = np.random.default_rng(6)
    nested = pa.StructArray.from_arrays([_bits(rng, _mask(rng, 200))], names=["b"])
    table = pa.table(_base(rng) | {"a, b": _bits(rng, _mask(rng, 90)), "a": nested})
    path = tmp_path / "p.parquet"
    pq.write_table(table, path)
    sql = f"SELECT DISTINCT path_in_schema FROM parquet_metadata('{path}')"
    assert ("a, b",) in duckdb.connect().execute(sql).fetchall()  # both columns have this path
    assert DuckDBEngine(path).known_nulls().get("a, b", 90) == 90
    _check(path, table.drop_columns(["a"]).to_pandas(), [proportion("a, b")], ["sex"])


def test_repeated_column_names_are_not_taken_from_the_metadata(tmp_path: Path) -> None:
    """A file with two columns "st" (DuckDB reads them as "st" and "st_1"), the second with
    missing values: the first is the stratum, complete. Its count was once summed over both,
    and the design refused for 'missing values' the stratum does not have."""
    rng = np.random.default_rng(8)
    base = _base(rng)
    y = _bits(rng, _mask(rng, 40))
    second = pa.array(rng.integers(1, 3, N), mask=_mask(rng, 70))
    names = ["st", "st", "psu", "w", "sex", "y", "X", "x"]
    columns = [base["st"], second, base["psu"], base["w"], base["sex"], y, y, second]
    path = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_arrays(columns, names=names), path)
    engine = DuckDBEngine(path)
    assert list(engine.schema()) == ["st", "st_1", "psu", "w", "sex", "y", "X", "x_1"]
    known = engine.known_nulls()
    assert "st" not in known and "st_1" not in known and "x_1" not in known
    assert known["X"] == known["y"] == 40
    frame = duckdb.connect().execute(f"SELECT * FROM read_parquet('{path}')").df()
    quantities = [proportion("y"), proportion("st_1"), proportion("X"), proportion("x_1")]
    _check(path, frame, quantities, ["sex"])


SOURCES: dict[str, Callable[[pa.Table, Path], str | Path | pd.DataFrame]] = {
    "csv": lambda t, d: _csv(t, d / "s.csv"),
    "dataframe": lambda t, d: t.to_pandas(),
}


def _csv(table: pa.Table, path: Path) -> Path:
    table.to_pandas().to_csv(path, index=False)
    return path


@pytest.mark.parametrize("source", list(SOURCES))
def test_csv_and_dataframe_sources_count_every_missing_value(tmp_path: Path, source: str) -> None:
    table = _runs_broken_by_a_ratio(np.random.default_rng(9)).drop_columns(["b1", "b2"])
    quantities = [q for q in RUN_QUANTITIES if not q.variable.startswith("b")]
    engine = Recording(SOURCES[source](table, tmp_path))
    assert engine.known_nulls() == {}
    prepare(engine, DESIGN, quantities, ["sex"])
    assert "samenull_" not in engine.queries[0]
    assert 'COUNT("q1")' in engine.queries[0] and 'COUNT("q3")' in engine.queries[0]
    parquet = tmp_path / "s.parquet"
    pq.write_table(table, parquet)
    _same(
        _records(estimate(SOURCES[source](table, tmp_path), DESIGN, quantities, ["sex"])),
        _records(estimate(parquet, DESIGN, quantities, ["sex"])),
    )


@pytest.mark.parametrize("column", ["w", "st", "psu"])
def test_a_design_column_missing_in_one_row_group_is_refused_as_when_counted(
    tmp_path: Path, column: str
) -> None:
    """The missing design values counted from the metadata (13, all in the first of several
    row groups) are reported as the counting pass reports them."""
    rng = np.random.default_rng(10)
    columns = _base(rng, 200) | {"y": _bits(rng, _mask(rng, 0, 200))}
    columns[column] = pa.array(columns[column].to_numpy(), mask=np.arange(200) < 13)
    table = pa.table(columns)
    path = tmp_path / "m.parquet"
    pq.write_table(table, path, row_group_size=13)
    assert DuckDBEngine(path).known_nulls()[column] == 13
    messages = []
    for source in (path, table.to_pandas()):
        with pytest.raises(MissingDesignValueError) as error:
            estimate(source, DESIGN, [proportion("y")])
        messages.append(str(error.value).split(": ", 1)[1])
    assert (
        messages[0]
        == messages[1]
        == (f"column '{column}' has 13 missing value(s); design variables must be complete")
    )
