"""The validation (profile) pass in its cheaper forms: 0/1 checks of integer columns by MIN and
MAX, missing counts by COUNT(column), no non-finite sums for integer columns."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from equals.survey import Design, estimate, proportion
from equals.survey.engine import DuckDBEngine
from equals.survey.errors import NonFiniteValueError
from equals.survey.plan import integer_columns
from equals.survey.sql import DUCKDB, is_binary, profile_sql


def _table(n: int = 600) -> pa.Table:
    rng = np.random.default_rng(11)
    yes = rng.random(n) < 0.4
    asked = rng.random(n) < 0.7
    return pa.table(
        {
            "stratum": pa.array(rng.integers(1, 4, n), pa.int16()),
            "psu": pa.array(rng.integers(0, 40, n), pa.int32()),
            "w": pa.array(rng.uniform(0.5, 3.0, n), pa.float64()),
            "sex": pa.array(rng.integers(1, 3, n), pa.int8()),
            # 0/1 with missing values (not asked), as the ICT questions
            "uses": pa.array(np.where(asked, yes, 0), pa.int8(), mask=~asked),
            # an integer column with a third value: a proportion per level
            "level3": pa.array(rng.integers(0, 3, n), pa.int32()),
            # the same rows missing as "uses": one validity class
            "also": pa.array(rng.integers(0, 2, n), pa.int64(), mask=~asked),
            "flag": pa.array(rng.random(n) < 0.5, pa.bool_()),
            "never": pa.array([None] * n, pa.int8()),
        }
    )


VARS = ["uses", "level3", "also", "flag", "never"]
DESIGN = Design(weight="w", strata="stratum", psu="psu")


def _records(results: list) -> list[tuple]:  # type: ignore[type-arg]
    return sorted(
        (
            r.variable,
            str(r.level if r.level is None else float(r.level)),
            str(r.domain),
            r.estimate,
            r.se,
            r.n,
            r.missing,
        )
        for r in results
    )


def test_integer_columns_of_a_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "s.parquet"
    pq.write_table(_table(), path)
    got = integer_columns(DuckDBEngine(path))
    assert got == {"stratum", "psu", "sex", "uses", "level3", "also", "flag", "never"}
    assert "w" not in got


def test_min_max_forms_give_the_estimates_of_the_case_forms(tmp_path: Path) -> None:
    """Integer columns (MIN/MAX 0/1 checks, COUNT(column) missing counts) and the same values
    as doubles (the CASE forms, as on Spark) give the same estimates to the last digit."""
    table = _table()
    path = tmp_path / "s.parquet"
    pq.write_table(table, path)
    as_doubles = table.to_pandas()
    for col in ("stratum", "psu", "sex", "uses", "level3", "also", "flag", "never"):
        as_doubles[col] = as_doubles[col].astype("float64")
    quantities = [proportion(v) for v in VARS]
    fast = estimate(path, DESIGN, quantities, by=["sex"])
    plain = estimate(as_doubles, DESIGN, quantities, by=["sex"])
    got, want = _records(fast), _records(plain)
    assert [r[:3] + r[5:] for r in got] == [r[:3] + r[5:] for r in want]
    for a, b in zip(got, want, strict=True):
        for x, y in zip(a[3:5], b[3:5], strict=True):
            assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y, rel=1e-12)
    levels = {r.variable: set() for r in fast}  # type: dict[str, set[object]]
    for r in fast:
        levels[r.variable].add(r.level)
    assert levels["uses"] == {None}  # 0/1: one proportion
    assert levels["also"] == {None}
    assert levels["flag"] == {None}
    assert levels["level3"] == {0, 1, 2}  # 0, 1 and 2: a proportion per level
    assert all(math.isnan(r.estimate) or r.n == 0 for r in fast if r.variable == "never")


def test_profile_sql_uses_min_max_and_count_for_integer_columns() -> None:
    sql = profile_sql(
        weight="w",
        design_columns=["stratum"],
        binary_checks=["uses", "x"],
        dialect=DUCKDB,
        validity=['"uses" IS NOT NULL', '"uses" IS NOT NULL AND "x" IS NOT NULL'],
        integers={"uses"},
        validity_columns=[["uses"], ["uses", "x"]],
    )
    assert 'MIN("uses") AS binmin_0' in sql and 'MAX("uses") AS binmax_0' in sql
    assert "AS nonbinary_1" in sql and "nonbinary_0" not in sql  # x: a double, the CASE form
    assert 'COUNT(*) - COUNT("stratum") AS null_0' in sql
    assert 'COUNT(*) - COUNT("uses") AS invalid_0' in sql
    assert 'COUNT(CASE WHEN NOT ("uses" IS NOT NULL AND "x" IS NOT NULL) THEN 1 END)' in sql


@pytest.mark.parametrize(
    ("profile", "binary"),
    [
        ({"binmin_0": 0, "binmax_0": 1}, True),
        ({"binmin_0": 1, "binmax_0": 1}, True),
        ({"binmin_0": None, "binmax_0": None}, True),  # every value missing
        ({"binmin_0": float("nan"), "binmax_0": float("nan")}, True),
        ({"binmin_0": pd.NA, "binmax_0": pd.NA}, True),
        ({"binmin_0": -1, "binmax_0": 1}, False),
        ({"binmin_0": 0, "binmax_0": 2}, False),
        ({"nonbinary_0": 0}, True),
        ({"nonbinary_0": None}, True),
        ({"nonbinary_0": 3}, False),
    ],
)
def test_is_binary(profile: dict[str, object], binary: bool) -> None:
    assert is_binary(0, profile) is binary


def test_a_nan_weight_is_still_refused_when_integer_columns_are_not_summed(
    tmp_path: Path,
) -> None:
    table = _table()
    weights = table.column("w").to_numpy().copy()
    weights[[3, 9]] = np.nan
    table = table.set_column(table.schema.get_field_index("w"), "w", pa.array(weights))
    path = tmp_path / "s.parquet"
    pq.write_table(table, path)
    with pytest.raises(NonFiniteValueError) as info:
        estimate(path, DESIGN, [proportion("uses")])
    assert info.value.column == "w" and info.value.count == 2


def test_missing_counts_come_from_the_parquet_metadata(tmp_path: Path) -> None:
    """A Parquet file records each column's missing values: the profile writes those counts
    as numbers, and its answers are those of the counting pass (the reference: the same
    profile without the metadata, which counts every row)."""
    path = tmp_path / "s.parquet"
    pq.write_table(_table(), path, row_group_size=150)  # four row groups
    eng = DuckDBEngine(path)
    known = eng.known_nulls()
    asked = _table().column("uses").null_count
    assert known["uses"] == known["also"] == asked > 0
    assert known["never"] == 600 and known["stratum"] == 0
    validity = ['"uses" IS NOT NULL', '"also" IS NOT NULL', '"level3" IS NOT NULL',
                '"never" IS NOT NULL', '"sex" IS NOT NULL', '"stratum" IS NOT NULL']  # fmt: skip
    args = {
        "weight": "w",
        "design_columns": ["stratum", "psu"],
        "binary_checks": [],
        "dialect": DUCKDB,
        "validity": validity,
        "validity_columns": [[c.split('"')[1]] for c in validity],
    }
    fast = profile_sql(**args, known_nulls=known)  # type: ignore[arg-type]
    counted = profile_sql(**args)  # type: ignore[arg-type]
    assert f"{asked} AS invalid_0" in fast and 'COUNT("uses")' not in fast
    assert "1 AS differs_2" in fast and "0 AS differs_5" in fast  # 0 missing vs 0 missing
    # "uses" and "also": the same count, so one check that they are missing on the same rows
    assert "differs_1" not in fast and "AS samenull_0" in fast
    got, want = eng.query(fast).iloc[0], eng.query(counted).iloc[0]
    assert int(got["samenull_0"]) == asked and int(want["differs_1"]) == 0
    for name in want.index:
        if name.startswith("differs") and name != "differs_1":  # metadata: "some row differs"
            assert (int(got[name]) == 0) == (int(want[name]) == 0), name
        elif name in got.index:
            assert got[name] == want[name], name


def _blocks(n: int, shift: bool) -> pa.Table:
    """Three questions missing for the same number of persons: "a" and "b" on the same rows,
    "c" on the same rows too, or (``shift``) on as many other rows."""
    rng = np.random.default_rng(2)
    asked = rng.random(n) < 0.6
    other = np.roll(asked, 1) if shift else asked
    value = rng.integers(0, 2, n)
    return pa.table(
        {
            "stratum": pa.array(rng.integers(1, 3, n), pa.int16()),
            "psu": pa.array(rng.integers(0, 30, n), pa.int32()),
            "w": pa.array(rng.uniform(0.5, 3.0, n)),
            "a": pa.array(value, pa.int8(), mask=~asked),
            "b": pa.array(1 - value, pa.int8(), mask=~asked),
            "c": pa.array(value, pa.int8(), mask=~other),
        }
    )


@pytest.mark.parametrize("shift", [False, True], ids=["same-rows", "same-count-other-rows"])
def test_validity_classes_from_the_metadata_equal_those_counted(
    tmp_path: Path, shift: bool
) -> None:
    """Columns with the same count of missing values share a validity class only when they
    are missing on the same rows: the plan of a Parquet file (metadata counts, one check per
    run, pairs compared only when that check fails) is the plan of the same data counted row
    by row (a DataFrame), to the same aggregation SQL."""
    from equals.survey.plan import prepare

    table = _blocks(900, shift)
    assert table.column("a").null_count == table.column("c").null_count
    path = tmp_path / "s.parquet"
    pq.write_table(table, path, row_group_size=200)
    quantities = [proportion(v) for v in ("a", "b", "c")]
    from_file = prepare(DuckDBEngine(path), DESIGN, quantities, [])
    counted = prepare(DuckDBEngine(table.to_pandas()), DESIGN, quantities, [])
    assert from_file.sql == counted.sql
    shared = from_file.sql.count("__n") - 1  # the cell's count and one per class
    assert shared == (2 if shift else 1)


def test_a_parquet_file_without_statistics_is_counted(tmp_path: Path) -> None:
    path = tmp_path / "s.parquet"
    pq.write_table(_table(), path, write_statistics=False)
    eng = DuckDBEngine(path)
    assert eng.known_nulls() == {}
    assert DuckDBEngine(_table().to_pandas()).known_nulls() == {}
    quantities = [proportion(v) for v in VARS]
    with_stats = tmp_path / "t.parquet"
    pq.write_table(_table(), with_stats)
    got = _records(estimate(path, DESIGN, quantities, by=["sex"]))
    want = _records(estimate(with_stats, DESIGN, quantities, by=["sex"]))
    assert [r[:3] + r[5:] for r in got] == [r[:3] + r[5:] for r in want]
    for a, b in zip(got, want, strict=True):  # the same sums, perhaps in another order
        for x, y in zip(a[3:5], b[3:5], strict=True):
            assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y, rel=1e-12)
