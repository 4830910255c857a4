"""Review of the key coding (``equals.survey.codes``, ``CellTable.coded``): domain and design
keys of every kind a Parquet file can hold give the estimates of the same partition coded by
pandas (the reference: the key replaced by small integer codes from ``pd.factorize``, read from
a DataFrame), with the original values as domain labels; and against R's ``survey`` package for
a dictionary-encoded text key with missing values over several row groups."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from equals.survey import Design, estimate, mean, proportion, ratio
from equals.survey.codes import arrow_codes, factorize_sorted
from equals.survey.engine import CellTable
from tests.conftest import require
from tests.survey.review_data import design_columns

N = 400
DESIGN = Design(weight="w", strata="st", psu="psu")


def _base(rng: np.random.Generator, n: int = N) -> dict[str, pa.Array]:
    return design_columns(rng, n) | {
        "y": pa.array(rng.integers(0, 2, n), pa.int8()),
        "x": pa.array(rng.uniform(1, 2, n)),
    }


def _keys(rng: np.random.Generator, n: int = N) -> dict[str, pa.Array]:
    missing = rng.random(n) < 0.25
    days = np.array(["2020-01-01", "2021-05-05", "1969-12-31"], dtype="datetime64[D]")
    return {
        "int_missing": pa.array(rng.integers(1, 4, n), pa.int32(), mask=missing),
        "text_missing": pa.array(rng.choice(["a", "b", "B", "é", ""], n), mask=missing),
        "ids_1e12": pa.array(rng.choice([10**12, 10**12 + 5, 3], n), pa.int64()),
        "above_2_53": pa.array(rng.choice([2**53, 2**53 + 1], n), pa.int64(), mask=missing),
        "negative": pa.array(rng.choice([-5, -1, 2], n), pa.int64()),
        "int8_full_range": pa.array(rng.choice([-128, 127, 0], n), pa.int8(), mask=missing),
        "int64_extremes": pa.array(rng.choice([-(2**63), 2**63 - 1, 0], n), pa.int64()),
        "int64_extremes_missing": pa.array(
            rng.choice([-(2**63), 2**63 - 1], n), pa.int64(), mask=missing
        ),
        "uint64_high": pa.array(
            rng.choice(np.array([2**64 - 1, 1, 2**63], dtype=np.uint64), n), pa.uint64()
        ),
        "float": pa.array(rng.choice([1.5, -0.5, 2.0], n)),
        "float_missing": pa.array(rng.choice([1.5, -0.5, 2.0], n), mask=missing),
        "date": pa.array(rng.choice(days, n)),
        "date_missing": pa.array(rng.choice(days, n), mask=missing),
        "bool_missing": pa.array(rng.random(n) < 0.5, mask=missing),
        "dictionary": pa.array(rng.choice(["z", "a", "m"], n), mask=missing).dictionary_encode(),
        "large_string": pa.array(rng.choice(["z", "a", "m"], n), pa.large_string()),
    }


def _records(
    results: list[Any], key: str | None = None, labels: dict[object, object] | None = None
) -> list[tuple]:  # type: ignore[type-arg]
    """Results as comparable rows; the reference's ``"key"`` domain is renamed ``key`` and its
    codes replaced by their values (``labels``)."""
    out = []
    for r in results:
        domain = dict(r.domain)
        if key is not None and labels is not None:
            domain[key] = labels[domain.pop("key")]
        out.append((tuple(sorted(domain.items())), r.variable, r.estimate, r.se, r.n, r.missing))
    return sorted(out)


def _close(got: list[tuple], want: list[tuple]) -> None:  # type: ignore[type-arg]
    assert [g[:2] + g[4:] for g in got] == [w[:2] + w[4:] for w in want]
    np.testing.assert_allclose([g[2:4] for g in got], [w[2:4] for w in want], rtol=1e-10)


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pa.Table]:
    rng = np.random.default_rng(1)
    table = pa.table(_base(rng) | _keys(rng))
    path = tmp_path_factory.mktemp("keys") / "keys.parquet"
    pq.write_table(table, path, row_group_size=97)  # five row groups
    return path, table


@pytest.mark.parametrize("key", list(_keys(np.random.default_rng(0))))
def test_a_key_of_any_type_gives_the_estimates_of_its_pandas_codes(
    key: str, key_file: tuple[Path, pa.Table]
) -> None:
    path, table = key_file
    quantities = [proportion("y"), ratio("x", "w")]
    got = _records(estimate(path, DESIGN, quantities, [key, "sex"]))
    # The reference: the key's rows partitioned by pandas, as small integer codes.
    values = table.column(key).to_pylist()
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=True)
    frame = table.drop_columns(list(_keys(np.random.default_rng(0)))).to_pandas()
    key_codes = pd.array(codes + 1, dtype="Int64")
    key_codes[codes < 0] = pd.NA
    frame["key"] = key_codes
    # dates are labelled in ISO form, integral floats as integers (2.0 == 2)
    labels: dict[object, object] = {
        i + 1: v.isoformat() if hasattr(v, "isoformat") else v for i, v in enumerate(uniques)
    }
    want = _records(estimate(frame, DESIGN, quantities, ["key", "sex"]), key, labels)
    assert len(got) == 2 * 2 * len(uniques)  # every value a domain, missing keys in none
    _close(got, want)


def test_keys_beyond_64_bit_offsets_are_coded_as_pandas_does() -> None:
    """int64 keys more than 2**62 apart (once an IndexError, or two values merged into one
    code) and uint64 keys at or above 2**63 (once labelled with wrapped negative values)."""
    cases = [
        pa.array([-(2**63), 2**63 - 1, 0, -(2**63)], pa.int64()),
        pa.array([-(2**63), None, 5, 2**63 - 1], pa.int64()),
        pa.array([2**64 - 1, 1, 2**63, 1], pa.uint64()),
        pa.array([2**63, 2**63 + 2, None], pa.uint64()),
        pa.array([-128, None, 127], pa.int8()),
    ]
    for column in cases:
        codes, uniques = arrow_codes(column)
        want_codes, want_uniques = pd.factorize(
            pd.Series(column.to_pylist(), dtype=object), sort=True
        )
        assert codes.tolist() == want_codes.tolist(), column
        assert [int(u) for u in uniques] == list(want_uniques), column
    plain, _ = factorize_sorted(np.array([-(2**63), 2**63 - 1, 7], dtype=np.int64))
    assert plain.tolist() == [0, 2, 1]
    wide, labels = factorize_sorted(np.array([2**64 - 1, 3], dtype=np.uint64))
    assert wide.tolist() == [1, 0] and [int(v) for v in labels] == [3, 2**64 - 1]


@pytest.mark.parametrize(
    ("column", "want"),
    [
        (pa.array([1.5, None, -0.5]), [1.5, None, -0.5]),
        (pa.array([4, None, -5], pa.int16()), [4, None, -5]),
        (pa.array([2**63, None, 1], pa.uint64()), [2**63, None, 1]),
        (pa.array([None, None, None], pa.int64()), [None, None, None]),
        (pa.array(["b", None, "a"]), ["b", None, "a"]),
        (pa.array([None, None, None], pa.string()), [None, None, None]),
    ],
)
def test_cell_table_keys_give_back_the_values(column: pa.Array, want: list[object]) -> None:
    """``CellTable.keys`` (values with NA) for keys with missing values of every kind (a float
    or uint64 key with a missing value, and an all-missing key, once raised)."""
    table = CellTable(pa.table({"k__by0": column}), np.zeros((len(column), 1)), ("cell__n",))
    got = [None if pd.isna(v) else v for v in table.keys["k__by0"].tolist()]
    assert got == want


R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "NA")
des <- svydesign(ids = ~psu, strata = ~st, weights = ~w, data = d, nest = TRUE)
out <- list()
for (level in sort(unique(d$region[!is.na(d$region)]))) {
  sub <- des[!is.na(d$region) & d$region == level, ]
  for (v in c("q1", "q2", "q3")) {
    fit <- svymean(as.formula(paste0("~", v)), sub, na.rm = TRUE)
    out[[length(out) + 1]] <- list(region = level, variable = v,
                                   estimate = unname(coef(fit))[1], se = unname(SE(fit))[1])
  }
}
cat(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE))
"""


@pytest.mark.r
def test_a_dictionary_text_key_with_missing_values_matches_r(tmp_path: Path) -> None:
    """A dictionary-encoded text domain with missing values, several row groups, three
    questions missing on the same rows (one metadata run): R's svymean on each domain."""
    require(shutil.which("Rscript") is not None, "Rscript (r-base + r-cran-survey) not installed")
    rng = np.random.default_rng(5)
    n = 600
    asked = rng.random(n) < 0.7
    region = rng.choice(["North", "south", "East", "west"], n)
    table = pa.table(
        {
            "st": pa.array(np.repeat([1, 2, 3], n // 3), pa.int32()),
            "psu": pa.array(rng.integers(0, 12, n), pa.int32()),
            "w": pa.array(rng.uniform(0.5, 3, n)),
            "region": pa.array(region, mask=rng.random(n) < 0.1).dictionary_encode(),
            "q1": pa.array(rng.integers(0, 2, n), pa.int8(), mask=~asked),
            "q2": pa.array(rng.integers(0, 2, n), pa.int8(), mask=~asked),
            "q3": pa.array(rng.uniform(0, 9, n), mask=~asked),
        }
    )
    path = tmp_path / "r.parquet"
    pq.write_table(table, path, row_group_size=128)
    csv = tmp_path / "r.csv"
    frame = table.to_pandas()
    frame["region"] = frame["region"].astype(object)
    frame.to_csv(csv, index=False, na_rep="NA")
    script = tmp_path / "r.R"
    script.write_text(R_SCRIPT)
    proc = subprocess.run(
        ["Rscript", str(script), str(csv)], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    want = {(r["region"], r["variable"]): (r["estimate"], r["se"]) for r in json.loads(proc.stdout)}
    got = estimate(path, DESIGN, [proportion("q1"), proportion("q2"), mean("q3")], ["region"])
    assert {(r.domain["region"], r.variable) for r in got} == set(want)
    for r in got:
        est, se = want[(r.domain["region"], r.variable)]
        assert r.estimate == pytest.approx(est, rel=1e-10)
        assert r.se == pytest.approx(se, rel=1e-8)


@pytest.mark.parametrize("extra", [True, False], ids=["units-are-psus", "units-are-cells"])
def test_per_unit_equals_the_gather(key_file: tuple[Path, pa.Table], extra: bool) -> None:
    """``Units.per_unit`` (a repeat along units sorted by group) gives ``per_group[units.g]``,
    with a missing key (cells in no group); units are PSUs when the cells have a key beyond
    the groups' (sorted by group: the repeat), else the cells themselves (the gather)."""
    from equals.survey.cells import build_cells, by_key
    from equals.survey.domains import domain_groups
    from equals.survey.engine import DuckDBEngine
    from equals.survey.plan import prepare
    from equals.survey.variance import Units

    path, _ = key_file
    engine = DuckDBEngine(path)
    by = ["text_missing", "sex"] + (["int_missing"] if extra else [])
    plan = prepare(engine, DESIGN, [proportion("y")], by)
    cells = build_cells(engine.cells(plan.sql), DESIGN, "<test>", plan.aliases)
    groups = domain_groups(cells, [by_key(0), by_key(1)], ["text_missing", "sex"])
    units = Units(cells, groups)
    assert bool((np.diff(units.g) >= 0).all()) == extra
    assert (units.unit is not None) == extra
    per_group = np.random.default_rng(2).normal(size=groups.n)
    np.testing.assert_array_equal(units.per_unit(per_group), per_group[units.g])


@pytest.mark.parametrize("kind", [pa.int64(), pa.string(), pa.float64()])
def test_a_domain_variable_missing_on_every_row_is_refused(
    tmp_path: Path, kind: pa.DataType
) -> None:
    """Every cell in no group (once a ValueError from a reshape of 0 groups, then an empty
    list): now refused by name before the pass (tests/survey/test_empty_domains.py)."""
    from equals.survey.errors import EmptyDomainVariableError

    rng = np.random.default_rng(4)
    table = pa.table(_base(rng, 60) | {"k": pa.nulls(60, kind)})
    path = tmp_path / "k.parquet"
    pq.write_table(table, path)
    for source in (path, table.to_pandas()):
        with pytest.raises(EmptyDomainVariableError, match="'k' has no value on any row"):
            estimate(source, DESIGN, [proportion("y"), mean("x")], ["k"])
        with pytest.raises(EmptyDomainVariableError, match="'k'"):
            estimate(source, DESIGN, [proportion("y")], ["k", "sex"])
