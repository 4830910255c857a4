"""One-scan batches equal separate requests (NULL by-values, missing analysis values)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from equals.survey import (
    Design,
    aggregate_many,
    estimate,
    estimate_many,
    gender_gaps,
    mean,
    proportion,
)


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 3000
    psu = rng.integers(0, 60, n)
    df = pd.DataFrame(
        {
            "stratum": psu // 10,
            "psu": psu,
            "weight": rng.uniform(0.5, 3.0, n),
            "fpc": (psu // 10 + 1) * 50.0,
            "sex": rng.choice([1.0, 2.0, np.nan], n, p=[0.48, 0.48, 0.04]),
            "urban": np.array(["u", "r", None], dtype=object)[
                rng.choice(3, n, p=[0.5, 0.45, 0.05])
            ],
            "age": rng.integers(1, 5, n),
            "y": rng.integers(0, 2, n).astype(float),
            "x": rng.normal(10, 2, n),
        }
    )
    df.loc[rng.random(n) < 0.1, "y"] = np.nan
    df.loc[rng.random(n) < 0.05, "x"] = np.nan
    return df


def same(a: object, b: object) -> None:
    """Two results' records agree: floats to 1e-10 (NaN with NaN), the rest exactly."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys()
        for k in a:
            same(a[k], b[k])
    elif isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            assert math.isnan(a) and math.isnan(b), (a, b)
        else:
            assert math.isclose(a, b, rel_tol=1e-10, abs_tol=1e-13), (a, b)
    else:
        assert a == b, (a, b)


@pytest.mark.parametrize(
    "design",
    [
        Design(weight="weight", strata="stratum", psu="psu"),
        Design(weight="weight", strata="stratum", psu="psu", fpc="fpc"),
        Design(weight="weight", strata="stratum"),
        Design(weight="weight"),
    ],
)
def test_batch_equals_separate_requests(design: Design) -> None:
    df = _frame()
    qs = [proportion("y"), mean("x")]
    bys: list[list[str]] = [[], ["sex"], ["sex", "urban"], ["urban"], ["age", "urban"]]
    batch = aggregate_many(df, design, qs, [*bys, ["sex", "urban", "age"]])
    for by in bys:
        for a, b in zip(batch.estimate(by), estimate(df, design, qs, by), strict=True):
            same(a.to_record(), b.to_record())
    for by in [[], ["urban"], ["age", "urban"]]:
        got = batch.gender_gaps(sex="sex", female=2, male=1, by=by)
        want = gender_gaps(df, design, qs, sex="sex", female=2, male=1, by=by)
        for g, h in zip(got, want, strict=True):
            same(g.to_record(), h.to_record())
    many = estimate_many(df, design, qs, bys)
    assert [len(r) for r in many] == [len(estimate(df, design, qs, by)) for by in bys]


@pytest.mark.parametrize(
    "design",
    [
        Design(weight="weight", strata="stratum", psu="psu"),
        Design(weight="weight", strata="stratum", psu="psu", fpc="fpc"),
        Design(weight="weight", strata="stratum"),
    ],
)
def test_keys_constant_within_psus_equal_separate_requests(design: Design) -> None:
    """Region and rural/urban set per PSU (one PSU without a region): the batch takes PSU ×
    region totals as PSU totals with the region attached, not summed again — the same
    estimates and gaps as separate requests, alone or with keys that vary within PSUs."""
    df = _frame()
    region = np.array(["north", "south", "east", None], dtype=object)
    df["region"] = region[df["psu"] % 4]
    df.loc[df["psu"] == 3, "region"] = None
    df["rural"] = (df["psu"] % 3 == 0).astype(int)
    qs = [proportion("y"), mean("x")]
    bys: list[list[str]] = [
        [],
        ["region"],
        ["sex", "region"],
        ["region", "rural"],
        ["age", "rural"],
        ["sex", "age"],
        ["region", "urban", "age"],
    ]
    batch = aggregate_many(df, design, qs, [*bys, ["sex", "urban", "age", "region", "rural"]])
    for by in bys:
        got, want = batch.estimate(by), estimate(df, design, qs, by)
        assert len(got) == len(want) > 0
        for a, b in zip(got, want, strict=True):
            same(a.to_record(), b.to_record())
    for by in [["region"], ["rural", "region"], ["age", "region"], []]:
        got_gaps = batch.gender_gaps(sex="sex", female=2, male=1, by=by)
        want_gaps = gender_gaps(df, design, qs, sex="sex", female=2, male=1, by=by)
        assert len(got_gaps) == len(want_gaps) > 0
        for g, h in zip(got_gaps, want_gaps, strict=True):
            same(g.to_record(), h.to_record())


def test_psu_level_keys_are_found_on_the_cells() -> None:
    from equals.survey.cells import psu_level_keys

    df = _frame()
    df["region"] = df["psu"] % 4
    df["rural"] = (df["psu"] % 3 == 0).astype(int)
    df.loc[df.index[0], "rural"] = 1 - df.loc[df.index[0], "rural"]  # one row off: not PSU-level
    batch = aggregate_many(
        df, Design("weight", "stratum", "psu"), [mean("x")], [["sex", "region", "rural"]]
    )
    level = psu_level_keys(batch.cells)
    assert set(level) == {batch.keys(["region"])["region"]}
    no_psu = aggregate_many(df, Design("weight", "stratum"), [mean("x")], [["region"]])
    assert psu_level_keys(no_psu.cells) == {}
