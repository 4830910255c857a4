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


def _same(a: object, b: object) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-10, abs_tol=1e-13), (a, b)
    else:
        assert a == b


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
            _same(a.to_record(), b.to_record())
    for by in [[], ["urban"], ["age", "urban"]]:
        got = batch.gender_gaps(sex="sex", female=2, male=1, by=by)
        want = gender_gaps(df, design, qs, sex="sex", female=2, male=1, by=by)
        for g, h in zip(got, want, strict=True):
            _same(g.to_record(), h.to_record())
    many = estimate_many(df, design, qs, bys)
    assert [len(r) for r in many] == [len(estimate(df, design, qs, by)) for by in bys]
