"""Adversarial review of the columnar pass and of DuckDBEngine.load.

Reference: the SQL pass on DuckDB (``DuckDBEngine(columnar=False)``). Cells are compared with
the helpers of tests/survey/test_columnar.py; estimates through the public API.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from equals.survey import (
    Design,
    aggregate_many,
    estimate,
    gender_gaps,
    mean,
    proportion,
    ratio,
    total,
)
from equals.survey.columnar import aggregate
from equals.survey.engine import DuckDBEngine
from equals.survey.plan import prepare, run_pass
from tests.survey.review_data import design_columns
from tests.survey.test_columnar import assert_same_cells, both, write

N = 300
DESIGN = Design("w", strata="st", psu="psu")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(2026)


def test_uint64_key_above_2_to_53_is_not_rounded(tmp_path: Path, rng: np.random.Generator) -> None:
    """A uint64 key whose values lie in a small range above 2**53 (here 2**62 + 0..2) is
    range-coded; numpy adds int64 and uint64 as float64, so shifting it into the cell numbers
    rounded the values to multiples of 2**10 and merged distinct keys into one cell (found:
    one cell per PSU instead of one per PSU × u). The key must not be the widest one (that
    one's digits are taken as they are), hence the PSU and sex beside it."""
    cols = design_columns(rng, N)
    cols["u"] = pa.array(2**62 + rng.integers(0, 3, N).astype(np.uint64), pa.uint64())
    cols["y"] = pa.array(rng.normal(size=N))
    path = write(tmp_path, cols)
    for by in (["u"], ["u", "sex"]):
        assert_same_cells(*both(path, DESIGN, [mean("y")], by))


def test_a_half_float_column_is_not_loaded(tmp_path: Path, rng: np.random.Generator) -> None:
    """pyarrow reads a Parquet float16 column as an Arrow halffloat, which DuckDB cannot scan
    ("Unsupported Internal Arrow Type e"): loading it made the profile pass fail where the
    SQL path (DuckDB's own Parquet reader) estimates. It is not loaded; the columnar pass
    still reads it, with the SQL's cells."""
    cols = design_columns(rng, N)
    cols["h"] = pa.array(rng.normal(size=N).astype(np.float16), mask=rng.random(N) < 0.2)
    path = write(tmp_path, cols)
    engine = DuckDBEngine(path)
    engine.load(["w", "st", "psu", "h"])
    assert "h" not in engine.known_nulls() or engine.known_nulls()["h"] == cols["h"].null_count
    engine.unload()
    assert_same_cells(*both(path, DESIGN, [mean("h"), total("h")], ["sex"]))


def test_dataframe_nullable_and_categorical_dtypes(rng: np.random.Generator) -> None:
    """pandas nullable Int64/boolean/string columns, categoricals with unused and unsorted
    categories (text and integers) and float32 levels reach the columnar pass through
    DuckDB (chunked arrays, ENUMs as dictionaries): the same cells as the SQL."""
    frame = pa.table(design_columns(rng, N)).to_pandas()
    frame["yi"] = pd.array(rng.integers(0, 3, N), dtype="Int64")
    frame.loc[rng.random(N) < 0.2, "yi"] = pd.NA
    frame["bb"] = pd.array(rng.integers(0, 2, N).astype(bool), dtype="boolean")
    frame.loc[rng.random(N) < 0.2, "bb"] = pd.NA
    frame["s"] = pd.array(rng.choice(["a", "b", "c"], N), dtype="string")
    frame.loc[rng.random(N) < 0.2, "s"] = pd.NA
    frame["cat"] = pd.Categorical(rng.choice(["x", "y"], N), categories=["z", "y", "x", "unused"])
    frame["cati"] = pd.Categorical(rng.choice([3, 1], N), categories=[1, 2, 3])
    frame["f32"] = rng.choice([0.1, 0.2, 0.7], N).astype(np.float32)
    cases = [
        ([proportion("yi"), mean("yi")], ["s"]),
        ([proportion("bb"), mean("bb")], ["cat"]),
        ([proportion("s"), proportion("s", "a")], ["cat", "sex"]),
        ([proportion("cat"), proportion("cati")], ["cati"]),
        ([proportion("f32"), ratio("yi", "f32")], ["sex"]),
        ([proportion("sex")], ["sex"]),  # one column as a domain and as a variable
    ]
    for qs, by in cases:
        assert_same_cells(*both(frame, DESIGN, qs, by))


def test_parquet_keys_and_levels_of_awkward_kinds(tmp_path: Path, rng: np.random.Generator) -> None:
    """large_string and dictionary text with nulls, negative and extreme int64 keys, uint8,
    keys missing on every row but one (missing on all, they are refused:
    test_empty_domains.py), a column name with quotes, spaces and an accent, fpc and no-PSU
    designs, zero weights, one value column as strata and as domain."""
    cols = design_columns(rng, N)
    cols |= {
        "ls": pa.array(rng.choice(["é", "b", None, "a"], N), pa.large_string()),
        "dn": pa.array(rng.choice(["p", "q", None], N)).dictionary_encode(),
        "neg": pa.array(rng.integers(-5, 0, N), pa.int64()),
        "ext": pa.array(rng.choice([-(2**63), 2**63 - 1, 0], N), pa.int64()),
        "none_i": pa.array([None] * (N - 1) + [7], pa.int32()),  # a value on one row only
        "none_s": pa.array(["z"] + [None] * (N - 1), pa.string()),
        "u8": pa.array(rng.integers(250, 256, N).astype(np.uint8)),
        "bn": pa.array(rng.integers(0, 2, N).astype(bool), mask=rng.random(N) < 0.2),
        "q x'\"é": pa.array(rng.integers(0, 3, N), pa.int16()),
        "fpc": pa.array(np.asarray(cols["st"]).astype(float) * 1000),
        "y": pa.array(rng.normal(size=N), mask=rng.random(N) < 0.2),
        "x": pa.array(rng.uniform(1, 2, N), mask=rng.random(N) < 0.3),
    }
    w = np.asarray(cols["w"]).copy()
    w[rng.random(N) < 0.2] = 0.0
    cols["w0"] = pa.array(w)
    path = write(tmp_path, cols, row_group_size=37)
    cases = [
        (DESIGN, [mean("y"), proportion("ls")], ["ls", "dn"]),
        (DESIGN, [proportion("dn", "p"), proportion("u8")], ["neg", "ext", "u8"]),
        (DESIGN, [mean("y")], ["none_i", "none_s", "sex"]),
        (DESIGN, [proportion("bn"), mean("bn")], ["q x'\"é"]),
        (DESIGN, [mean("q x'\"é"), ratio("y", "x")], ["st"]),
        (Design("w", strata="st", psu="psu", fpc="fpc"), [mean("y")], ["ls"]),
        (Design("w", strata="st", fpc="fpc"), [ratio("y", "x")], ["dn"]),
        (Design("w0", strata="st"), [mean("y"), proportion("dn")], ["sex"]),
        (Design("w0"), [total("y")], ["neg"]),
    ]
    for design, qs, by in cases:
        assert_same_cells(*both(path, design, qs, by))


def test_sliced_and_chunked_arrow_tables(tmp_path: Path, rng: np.random.Generator) -> None:
    """Arrays with an offset (a slice) and tables of several chunks: the values are read
    from Arrow's buffers at their offset (validity, booleans, dictionary indices, uint64)."""
    rows = 2 * N
    cols = design_columns(rng, rows)
    cols |= {
        "g": pa.array(rng.choice(["a", "b", "c", None], rows)),
        "gd": pa.array(rng.choice(["a", "b", None], rows)).dictionary_encode(),
        "y": pa.array(rng.integers(0, 2, rows).astype(np.int8), mask=rng.random(rows) < 0.2),
        "b": pa.array(rng.integers(0, 2, rows).astype(bool), mask=rng.random(rows) < 0.2),
        "u": pa.array(
            2**62 + rng.integers(0, 3, rows).astype(np.uint64), mask=rng.random(rows) < 0.1
        ),
        "z": pa.array(rng.normal(size=rows), mask=rng.random(rows) < 0.2),
    }
    full = pa.table(cols)
    qs = [proportion("y"), mean("b"), proportion("g"), proportion("gd", "a"), ratio("z", "y")]
    tables = {
        "sliced": full.slice(N + 7, N - 20),
        "chunked": pa.concat_tables([full.slice(0, 100), full.slice(250, 130), full.slice(401, 5)]),
    }
    for name, table in tables.items():
        path = tmp_path / f"{name}.parquet"
        pq.write_table(table.combine_chunks(), path)
        for by in (["g"], ["gd", "sex"], ["u", "g", "sex"]):
            engine = DuckDBEngine(path, columnar=False)
            plan = prepare(engine, DESIGN, qs, by)
            fast = aggregate(table, plan.spec)
            assert fast is not None
            assert_same_cells(fast, engine.cells(plan.sql))


def test_one_engine_many_requests_some_failing(tmp_path: Path, rng: np.random.Generator) -> None:
    """One engine serves a sequence of requests — estimates, a request failing validation
    (a missing stratum, negative weights, an unknown column), one with a column the load does
    not read (a date) or the columnar pass does not (a boolean key), gaps, a batch — and
    gives the same results (and the same errors) as an SQL engine serving the same sequence."""
    cols = design_columns(rng, N)
    cols |= {
        "g": pa.array(rng.choice(["zeta", "alpha", None], N)),
        "y": pa.array(rng.integers(0, 2, N).astype(np.int8), mask=rng.random(N) < 0.2),
        "z": pa.array(rng.normal(size=N)),
        "day": pa.array(rng.integers(0, 3, N).astype("datetime64[D]")),
        "miss_st": pa.array(np.asarray(cols["st"]), mask=rng.random(N) < 0.05),
        "neg": pa.array(np.where(rng.random(N) < 0.05, -1.0, 1.0)),
        "bk": pa.array(rng.integers(0, 2, N).astype(bool)),
    }
    path = write(tmp_path, cols, row_group_size=60)

    def results(engine: DuckDBEngine) -> list[object]:
        def rounded(es: list[object]) -> list[object]:
            return [
                (e.variable, e.statistic, e.domain, e.n, round(e.estimate, 10), round(e.se, 10))  # type: ignore[attr-defined]
                for e in es
            ]

        requests = [
            lambda: rounded(
                estimate(path, DESIGN, [proportion("y"), mean("z")], ["g"], engine=engine)
            ),
            lambda: estimate(
                path, Design("w", strata="miss_st", psu="psu"), [mean("z")], engine=engine
            ),
            lambda: estimate(
                path, Design("neg", strata="st", psu="psu"), [mean("z")], engine=engine
            ),
            lambda: estimate(path, DESIGN, [mean("nonexistent")], ["g"], engine=engine),
            lambda: rounded(estimate(path, DESIGN, [mean("z")], ["day"], engine=engine)),
            lambda: rounded(
                estimate(path, DESIGN, [proportion("g")], ["bk", "sex"], engine=engine)
            ),
            lambda: [
                (g.domain, round(g.difference.estimate, 10), round(g.difference.se, 10))
                for g in gender_gaps(
                    path, DESIGN, [mean("z")], sex="sex", female=2, male=1, by=["g"], engine=engine
                )
            ],
            lambda: rounded(
                aggregate_many(
                    path, DESIGN, [proportion("y")], [["g"], ["sex"]], engine=engine
                ).estimate(["g"])
            ),
            lambda: rounded(
                estimate(path, DESIGN, [proportion("g", "zeta")], ["sex"], engine=engine)
            ),
        ]
        out: list[object] = []
        for request in requests:
            try:
                out.append(request())
            except Exception as exc:  # the error itself is compared
                out.append((type(exc).__name__, str(exc)))
        return out

    fast, slow = results(DuckDBEngine(path)), results(DuckDBEngine(path, columnar=False))
    assert fast == slow
    assert sum(isinstance(r, tuple) for r in slow) == 3  # the three failing requests


def test_a_load_not_run_does_not_outlive_its_request(
    tmp_path: Path, rng: np.random.Generator
) -> None:
    """A request prepared (its columns loaded) but never run — or failing between its
    profile and its pass — left its Arrow table as the view: the next request, whose load is
    declined (a date column), then ran its profile on the old columns (DuckDB "Referenced
    column y not found") and its missing counts were the old request's. ``load`` ends any
    previous load first."""
    cols = design_columns(rng, N)
    cols |= {
        "z": pa.array(rng.normal(size=N)),
        "y": pa.array(rng.normal(size=N), mask=rng.random(N) < 0.3),
        "day": pa.array(rng.integers(0, 3, N).astype("datetime64[D]")),
    }
    path = write(tmp_path, cols)
    engine = DuckDBEngine(path)
    prepare(engine, DESIGN, [mean("z")], ["sex"])  # loaded, never run
    plan = prepare(engine, DESIGN, [mean("y")], ["day"])  # not loaded: a date
    assert engine.known_nulls()["y"] == cols["y"].null_count
    assert_same_cells(run_pass(engine, plan), DuckDBEngine(path, columnar=False).cells(plan.sql))


def test_a_dictionary_with_a_missing_entry(tmp_path: Path, rng: np.random.Generator) -> None:
    """An Arrow dictionary column whose dictionary itself holds a null (rows pointing at it
    are missing, though their index is valid) given straight to the columnar pass: the key
    raised "Categorical categories cannot be null" and a proportion counted those rows as
    valid. Not reachable from a Parquet file or DuckDB (their dictionaries hold no null)."""
    cols = design_columns(rng, N)
    indices = pa.array(rng.integers(0, 3, N), pa.int32())
    cols["g"] = pa.DictionaryArray.from_arrays(indices, pa.array(["a", None, "b"]))
    cols["z"] = pa.array(rng.normal(size=N))
    table = pa.table(cols)
    path = write(tmp_path, cols | {"g": cols["g"].cast(pa.string())})
    for qs, by in (([mean("z")], ["g", "sex"]), ([proportion("g"), proportion("g", "a")], ["sex"])):
        engine = DuckDBEngine(path, columnar=False)
        plan = prepare(engine, DESIGN, qs, by)
        fast = aggregate(table, plan.spec)
        assert fast is not None
        assert_same_cells(fast, engine.cells(plan.sql))
