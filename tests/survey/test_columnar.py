"""The columnar pass (equals.survey.columnar) gives the cells the SQL pass gives.

Reference: the same plan's SQL text run by DuckDB (``DuckDBEngine(columnar=False)``), which is
itself checked against R ``survey`` (tests/survey/test_golden.py) and Spark. Cells are
compared as sets of rows (key values → moments), to 1e-12 relative: the sums are the same
numbers added in another order.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equals.survey import Design, aggregate_many, estimate, mean, proportion, ratio, total
from equals.survey.columnar import aggregate, cell_numbers
from equals.survey.engine import CellTable, DuckDBEngine
from equals.survey.plan import prepare, run_pass
from equals.survey.quantities import Quantity
from tests.survey.review_data import design_columns


def rows_of(table: CellTable) -> dict[tuple[object, ...], dict[str, float]]:
    keys = table.keys
    columns = [[None if pd.isna(v) else v for v in keys[c].tolist()] for c in keys.columns]
    out: dict[tuple[object, ...], dict[str, float]] = {}
    for i in range(len(table.values)):
        key = tuple(c[i] for c in columns)
        assert key not in out, f"cell {key} twice"
        out[key] = {name: float(table.values[i, j]) for j, name in enumerate(table.names)}
    return out


def assert_same_cells(fast: CellTable, slow: CellTable) -> None:
    assert fast.names == slow.names
    a, b = rows_of(fast), rows_of(slow)
    assert a.keys() == b.keys()
    for key, moments in b.items():
        for name, want in moments.items():
            got = a[key][name]
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12), (key, name)


def both(
    source: Path | pd.DataFrame, design: Design, qs: Sequence[Quantity], by: Sequence[str]
) -> tuple[CellTable, CellTable]:
    engine = DuckDBEngine(source)
    plan = prepare(engine, design, qs, by)
    fast = run_pass(engine, plan)
    assert isinstance(fast.key_table, dict), "the columnar pass ran"
    slow = DuckDBEngine(source, columnar=False).cells(plan.sql)
    return fast, slow


def write(tmp_path: Path, columns: dict[str, pa.Array], row_group_size: int = 50) -> Path:
    path = tmp_path / "survey.parquet"
    pq.write_table(pa.table(columns), path, row_group_size=row_group_size)
    return path


def with_nulls(rng: np.random.Generator, values: np.ndarray, kind: pa.DataType) -> pa.Array:
    mask = rng.random(len(values)) < 0.2
    return pa.array(values, type=kind, mask=mask)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


N = 400


def test_keys_of_every_kind_and_missing_answers(tmp_path: Path, rng: np.random.Generator) -> None:
    cols = design_columns(rng, N)
    cols |= {
        "region": pa.array(rng.choice(["Nord", "Sud", "Est", None], N)),  # text with nulls
        "age": pa.array(rng.integers(0, 5, N), pa.int16()),
        "big": pa.array(rng.integers(0, 3, N) * 2**61, pa.int64()),  # wide, few values
        "u": pa.array(rng.integers(2**63, 2**63 + 3, N, dtype=np.uint64), pa.uint64()),
        "y": with_nulls(rng, rng.integers(0, 2, N), pa.int8()),
        "z": with_nulls(rng, rng.normal(size=N), pa.float64()),
        "b": pa.array(rng.integers(0, 2, N).astype(bool)),
    }
    path = write(tmp_path, cols)
    design = Design("w", strata="st", psu="psu")
    qs = [proportion("y"), mean("z"), mean("b"), total("z"), ratio("z", "y")]
    for by in (["sex"], ["region", "age"], ["big", "u"], ["sex", "region", "age", "big"]):
        assert_same_cells(*both(path, design, qs, by))


def test_text_levels_integer_levels_and_dictionaries_per_row_group(
    tmp_path: Path, rng: np.random.Generator
) -> None:
    cols = design_columns(rng, N)
    cols |= {
        "work": pa.array(rng.choice(["employed", "unemployed", "outside", None], N)),
        "edu": with_nulls(rng, rng.integers(1, 5, N), pa.int32()),
        "grade": with_nulls(rng, rng.integers(0, 3, N).astype(np.float64), pa.float64()),
    }
    # Row groups of 50 rows: each has its own dictionary, in another order.
    path = write(tmp_path, cols, row_group_size=50)
    design = Design("w", strata="st", psu="psu")
    qs = [proportion("work"), proportion("edu"), proportion("grade"), proportion("work", "outside")]
    assert_same_cells(*both(path, design, qs, ["work", "sex"]))


def test_no_psu_design_zero_weights_and_fpc(tmp_path: Path, rng: np.random.Generator) -> None:
    cols = design_columns(rng, N)
    w = rng.uniform(0.5, 3, N)
    w[rng.random(N) < 0.1] = 0.0  # zero weights: their rows count apart
    cols["w"] = pa.array(w)
    cols["fpc"] = pa.array(np.asarray(cols["st"]) * 1000.0)
    cols["y"] = with_nulls(rng, rng.normal(size=N), pa.float64())
    cols["x"] = with_nulls(rng, rng.uniform(1, 2, N), pa.float32())
    path = write(tmp_path, cols)
    # No PSU: the second moments (w², w²y², …) are summed too.
    for design in (Design("w", strata="st"), Design("w", strata="st", psu="psu", fpc="fpc")):
        assert_same_cells(*both(path, design, [mean("y"), ratio("y", "x")], ["sex"]))


def test_csv_and_dataframe_sources(tmp_path: Path, rng: np.random.Generator) -> None:
    """Sources other than Parquet reach the columnar pass through DuckDB, with its types."""
    frame = pa.table(design_columns(rng, N)).to_pandas()
    frame["y"] = pd.array(rng.integers(0, 2, N), dtype="Int8")
    frame.loc[rng.random(N) < 0.2, "y"] = pd.NA
    frame["area"] = rng.choice(["urban", "rural"], N)
    csv = tmp_path / "survey.csv"
    frame.to_csv(csv, index=False)
    design = Design("w", strata="st", psu="psu")
    for source in (csv, frame):
        assert_same_cells(*both(source, design, [proportion("y"), mean("y")], ["area", "sex"]))


def test_types_it_does_not_read_go_to_sql(tmp_path: Path, rng: np.random.Generator) -> None:
    cols = design_columns(rng, N)
    cols["amount"] = pa.array(
        [decimal.Decimal(int(v)) / 100 for v in rng.integers(0, 10_000, N)], pa.decimal128(10, 2)
    )
    cols["day"] = pa.array(rng.integers(0, 3, N).astype("datetime64[D]"))
    path = write(tmp_path, cols)
    engine = DuckDBEngine(path)
    design = Design("w", strata="st", psu="psu")
    for qs, by in (([mean("amount")], ["sex"]), ([mean("w")], ["day"])):
        plan = prepare(engine, design, qs, by)
        table = engine.arrow_columns(plan.spec.columns)
        assert table is not None and aggregate(table, plan.spec) is None
        fast = run_pass(engine, plan)
        assert not isinstance(fast.key_table, dict), "the SQL pass ran"
        assert_same_cells(fast, DuckDBEngine(path, columnar=False).cells(plan.sql))


def test_estimates_the_same_either_way(tmp_path: Path, rng: np.random.Generator) -> None:
    cols = design_columns(rng, N) | {
        "y": with_nulls(rng, rng.integers(0, 2, N), pa.int8()),
        "g": pa.array(rng.choice(["a", "b", "c"], N)),
    }
    path = write(tmp_path, cols)
    design = Design("w", strata="st", psu="psu")
    bys = [[], ["sex"], ["g"], ["g", "sex"]]
    fast = aggregate_many(path, design, [proportion("y")], bys, engine=DuckDBEngine(path))
    slow = aggregate_many(
        path, design, [proportion("y")], bys, engine=DuckDBEngine(path, columnar=False)
    )
    for by in bys:
        for a, b in zip(fast.estimate(by), slow.estimate(by), strict=True):
            assert (a.domain, a.n) == (b.domain, b.n)
            assert a.estimate == pytest.approx(b.estimate, rel=1e-12)
            assert a.se == pytest.approx(b.se, rel=1e-10, abs=1e-15)
    gaps = zip(
        fast.gender_gaps(sex="sex", female=2, male=1, by=["g"]),
        slow.gender_gaps(sex="sex", female=2, male=1, by=["g"]),
        strict=True,
    )
    for a, b in gaps:
        assert a.difference.se == pytest.approx(b.difference.se, rel=1e-10)


def test_a_larger_source_is_aggregated_by_duckdb(
    tmp_path: Path, rng: np.random.Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, design_columns(rng, N))
    monkeypatch.setattr("equals.survey.plan.STREAM_ROWS", N - 1)
    engine = DuckDBEngine(path)
    plan = prepare(engine, Design("w", strata="st", psu="psu"), [mean("w")], ["sex"])
    assert not isinstance(run_pass(engine, plan).key_table, dict)


class TestCellNumbers:
    def _keys(self, columns: dict[str, pa.Array]) -> list[object]:
        from equals.survey.columnar import _Key

        return [_Key(c, len(c)) for c in columns.values()]

    def test_no_key_is_one_cell(self) -> None:
        number, n = cell_numbers([], 5)
        assert n == 1 and number.tolist() == [0] * 5

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        data=st.lists(
            st.tuples(
                st.sampled_from([None, 0, 1, 2**40, -(2**63), 2**63 - 1]),
                st.sampled_from([None, "a", "b", "é"]),
                st.integers(-3, 3),
            ),
            min_size=1,
            max_size=60,
        )
    )
    def test_one_number_per_combination(
        self, data: list[tuple[int | None, str | None, int]]
    ) -> None:
        a, b, c = zip(*data, strict=True)
        columns = {
            "a": pa.array(a, pa.int64()),
            "b": pa.array(b, pa.string()).dictionary_encode(),
            "c": pa.array(c, pa.int8()),
        }
        number, n = cell_numbers(self._keys(columns), len(data))  # type: ignore[arg-type]
        assert sorted(set(number.tolist())) == list(range(n))
        seen: dict[tuple[object, ...], int] = {}
        for row, cell in zip(data, number.tolist(), strict=True):
            assert seen.setdefault(row, cell) == cell
        assert len(seen) == n

    def test_many_wide_keys_stay_within_64_bits(self) -> None:
        rng = np.random.default_rng(1)
        rows = 5_000
        columns = {f"k{i}": pa.array(rng.integers(0, 3_000, rows)) for i in range(8)}
        number, n = cell_numbers(self._keys(columns), rows)  # type: ignore[arg-type]
        want = pd.DataFrame({k: np.asarray(v) for k, v in columns.items()}).drop_duplicates()
        assert n == len(want) and number.max() == n - 1 and not math.isnan(n)


class TestLoad:
    """A Parquet request's columns are read once into memory (DuckDBEngine.load): the
    profile pass scans them there, and the columnar pass takes them."""

    def test_missing_counts_are_counted_not_taken_from_the_writer(
        self, tmp_path: Path, rng: np.random.Generator
    ) -> None:
        cols = design_columns(rng, N) | {"y": with_nulls(rng, rng.integers(0, 2, N), pa.int8())}
        path = tmp_path / "nostats.parquet"
        pq.write_table(pa.table(cols), path, write_statistics=False)
        engine = DuckDBEngine(path)
        engine.load(["w", "st", "psu", "y"])
        assert engine.known_nulls() == {"w": 0, "st": 0, "psu": 0, "y": cols["y"].null_count}
        engine.unload()
        assert "y" not in engine.known_nulls()  # the file records none

    def test_a_failed_request_leaves_the_engine_whole(
        self, tmp_path: Path, rng: np.random.Generator
    ) -> None:
        cols = design_columns(rng, N) | {"y": pa.array(rng.normal(size=N))}
        cols["bad"] = pa.array(np.where(rng.random(N) < 0.1, -1.0, 1.0))
        path = write(tmp_path, cols)
        engine = DuckDBEngine(path)
        with pytest.raises(Exception, match="negative"):
            prepare(engine, Design("bad", strata="st", psu="psu"), [mean("y")], [])
        # The next request on the same engine reads other columns of the whole file.
        plan = prepare(engine, Design("w", strata="st", psu="psu"), [mean("y")], ["sex"])
        assert_same_cells(
            run_pass(engine, plan), DuckDBEngine(path, columnar=False).cells(plan.sql)
        )
        assert set(engine.schema()) == set(cols)

    def test_other_types_are_not_loaded(self, tmp_path: Path, rng: np.random.Generator) -> None:
        cols = design_columns(rng, N)
        cols["day"] = pa.array(rng.integers(0, 3, N).astype("datetime64[D]"))
        path = write(tmp_path, cols)
        engine = DuckDBEngine(path)
        engine.load(["w", "day"])
        assert "psu" in engine.known_nulls()  # not loaded: the file's metadata answers
        engine.load(["w", "sex"])
        assert engine.known_nulls() == {"w": 0, "sex": 0}  # loaded: counted in memory
        held = engine.arrow_columns(["w", "sex"])
        assert held is not None and held.column_names == ["w", "sex"]

    def test_a_file_written_with_dictionaries_is_loaded(
        self, tmp_path: Path, rng: np.random.Generator
    ) -> None:
        """pandas categoricals (and Arrow dictionaries) are stored with their Arrow type: text
        all the same."""
        frame = pa.table(design_columns(rng, N)).to_pandas()
        frame["age"] = pd.Categorical(rng.choice(["15-24", "25-74", "75+"], N))
        path = tmp_path / "categorical.parquet"
        frame.to_parquet(path)
        engine = DuckDBEngine(path)
        engine.load(["w", "st", "psu", "age"])
        assert engine.known_nulls() == {"w": 0, "st": 0, "psu": 0, "age": 0}
        plan = prepare(engine, Design("w", strata="st", psu="psu"), [mean("w")], ["age"])
        assert_same_cells(
            run_pass(engine, plan), DuckDBEngine(path, columnar=False).cells(plan.sql)
        )


@pytest.mark.parametrize("columnar", [True, False])
def test_a_source_without_rows_is_refused_clearly(tmp_path: Path, columnar: bool) -> None:
    """Before the non-finite check, whose counts are NULL on no rows (a bare ValueError)."""
    from equals.survey.errors import SurveyError

    table = pa.table(
        design_columns(np.random.default_rng(1), 0) | {"y": pa.array([], pa.float64())}
    )
    path = tmp_path / "empty.parquet"
    pq.write_table(table, path)
    for source in (path, table.to_pandas()):
        engine = DuckDBEngine(source, columnar=columnar)
        with pytest.raises(SurveyError, match="no rows"):
            prepare(engine, Design("w", strata="st", psu="psu"), [mean("y")], ["sex"])


def test_keys_nested_in_the_psus_add_no_cell_and_one_row_off_does() -> None:
    """Region is constant within each PSU (left out of the cell numbers); urban differs on one
    row of one PSU (kept: that PSU has two cells)."""
    from equals.survey.columnar import _Key

    psu = np.repeat(np.arange(10), 10)
    region = psu // 5
    urban = (psu % 2).copy()
    urban[37] = 1 - urban[37]
    columns = [pa.array(psu), pa.array(region, pa.int16()), pa.array(urban, pa.int8())]
    number, n = cell_numbers([_Key(c, 100) for c in columns], 100)
    assert n == 11
    pairs = {
        (p, u): c for p, u, c in zip(psu.tolist(), urban.tolist(), number.tolist(), strict=True)
    }
    assert len(pairs) == 11 and len(set(pairs.values())) == 11


def test_columns_over_the_memory_limit_stay_with_duckdb(
    tmp_path: Path, rng: np.random.Generator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The columnar pass holds a request's columns in memory: a request whose columns would
    not fit the engine's memory limit (EQUALS_DUCKDB_MEMORY, also DuckDB's) runs as SQL."""
    cols = design_columns(rng, N) | {"y": pa.array(rng.normal(size=N))}
    path = write(tmp_path, cols)
    engine = DuckDBEngine(path, memory_limit="2GB")
    assert engine.fits(["w", "st", "psu", "y"], 10_000_000)  # 10M × (8+4+4+8+48) bytes
    assert not engine.fits(["w", "st", "psu", "y"], 30_000_000)
    assert engine.arrow_columns(["w", "y"], rows=10**12) is None
    monkeypatch.setattr("equals.survey.engine.ROW_OVERHEAD", 10**12)  # nothing fits now
    plan = prepare(engine, Design("w", strata="st", psu="psu"), [mean("y")], ["sex"])
    assert "psu" in engine.known_nulls()  # not loaded: the file's metadata answers
    fast = run_pass(engine, plan)
    assert not isinstance(fast.key_table, dict), "the SQL pass ran"
    assert_same_cells(fast, DuckDBEngine(path, columnar=False).cells(plan.sql))


@pytest.mark.parametrize("columnar", [True, False])
def test_a_corrupt_page_is_one_clear_error_naming_the_file(
    tmp_path: Path, rng: np.random.Generator, columnar: bool
) -> None:
    """The footer reads, a data page does not: found while the passes read the file (by Arrow
    when loaded, by DuckDB otherwise), and said in one line, not a library's traceback."""
    from equals.survey.errors import SurveyFileError

    path = tmp_path / "survey.parquet"
    pq.write_table(pa.table(design_columns(rng, 3000)), path, compression="zstd")
    data = bytearray(path.read_bytes())
    for i in range(200, 2000):  # the first pages, not the footer
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    engine = DuckDBEngine(path, columnar=columnar)
    with pytest.raises(SurveyFileError, match="cannot read file") as caught:
        estimate(path, Design("w", strata="st", psu="psu"), [mean("w")], ["sex"], engine=engine)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
