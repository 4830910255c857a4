"""The one-pass machinery against independent references: shared validity classes, totals at
coarser key sets (``regroup``), and batches whose domain sets are summed from one another.

References: the row-level variance of tests/survey/test_properties.py (R's ``onestrat`` written
out literally, sharing no code with the engine) and pandas ``groupby(...).sum()``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from equals.survey import Design, EstimationOptions, aggregate_many, estimate, mean, proportion
from equals.survey.cells import PSU, STRATUM, build_cells, by_key, regroup
from equals.survey.engine import DuckDBEngine
from equals.survey.plan import prepare
from tests.survey.test_properties import SETTINGS, reference_se


def survey(seed: int) -> pd.DataFrame:
    """Strata × PSUs × persons; y1 and y2 missing on the same rows (one question block),
    y3 on other rows, b never; two domain variables, one with missing values."""
    rng = np.random.default_rng(seed)
    rows = []
    for h in range(3):
        for p in range(int(rng.integers(2, 5))):
            for _ in range(int(rng.integers(1, 9))):
                rows.append((f"s{h}", p, float(rng.uniform(0.5, 40))))
    df = pd.DataFrame(rows, columns=["h", "psu", "w"])
    n = len(df)
    asked = rng.random(n) < 0.8
    df["y1"] = np.where(asked, rng.integers(0, 2, n), np.nan)
    df["y2"] = np.where(asked, np.round(rng.normal(5, 2, n), 2), np.nan)
    df["y3"] = np.where(rng.random(n) < 0.85, rng.integers(0, 2, n), np.nan)
    df["b"] = rng.integers(0, 2, n)
    df["sex"] = rng.choice([1, 2], n)
    df["d"] = pd.array(rng.choice(["a", "b", None], n, p=[0.45, 0.45, 0.1]), dtype=object)
    return df


def reference(df: pd.DataFrame, col: str, by: list[str]) -> dict[tuple[object, ...], tuple]:
    """(mean, SE) per domain from rows: influence w(y − ȳ)/W inside the domain, 0 elsewhere;
    (NaN, NaN) for a domain where the variable is missing on every row ("no data")."""
    out: dict[tuple[object, ...], tuple[float, float]] = {}
    in_domains = df[by].notna().all(axis=1) if by else pd.Series(True, index=df.index)
    keys = df.loc[in_domains, by].drop_duplicates().itertuples(index=False) if by else [()]
    for key in keys:
        inside = df[col].notna() & in_domains
        for b, v in zip(by, key, strict=True):
            inside &= df[b] == v
        w, y = df["w"].to_numpy(), df[col].fillna(0).to_numpy()
        big_w = w[inside].sum()
        if big_w == 0:
            out[tuple(key)] = (math.nan, math.nan)
            continue
        ybar = (w * y)[inside].sum() / big_w
        z = np.where(inside, w * (y - ybar) / big_w, 0.0)
        out[tuple(key)] = (ybar, reference_se(df, z))
    return out


def test_measures_asked_of_the_same_rows_share_their_counts() -> None:
    df = survey(3)
    engine = DuckDBEngine(df)
    design = Design("w", strata="h", psu="psu")
    qs = [proportion("y1"), mean("y2"), proportion("y3"), proportion("b")]
    plan = prepare(engine, design, qs, [])
    names = {i.quantity.variable: i.measure for i in plan.items}
    # y1 and y2: one class; y3 its own; b (never missing) uses the cell's own moments.
    assert plan.aliases[f"{names['y1']}__w"] == plan.aliases[f"{names['y2']}__w"]
    assert plan.aliases.get(f"{names['y3']}__w") not in (None, plan.aliases[f"{names['y1']}__w"])
    assert plan.aliases[f"{names['b']}__w"] == "cell__w"
    assert plan.aliases[f"{names['b']}__n"] == "cell__n"
    # The pass sums one weight column per class, not one per measure.
    assert plan.sql.count('AS "v') == 2 * 2  # n and w of the two classes (no zero weights)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
@example(seed=113)  # a domain where y1 is missing on every row: "no data", as R's NA
@example(seed=1872008)  # an SE that is 0 in exact arithmetic: the reference has round-off
def test_batched_estimates_match_row_level_reference(seed: int) -> None:
    df = survey(seed)
    design = Design("w", strata="h", psu="psu")
    bys: list[list[str]] = [[], ["sex"], ["d"], ["sex", "d"]]
    qs = [mean("y1"), mean("y2"), mean("y3"), mean("b")]
    batch = aggregate_many(df, design, qs, bys)
    for by in bys:
        got = batch.estimate(by)
        for col in ("y1", "y2", "y3", "b"):
            want = {tuple(map(str, k)): v for k, v in reference(df, col, by).items()}
            mine = {tuple(str(r.domain[b]) for b in by): r for r in got if r.variable == col}
            assert mine.keys() == want.keys(), (by, col)
            for key, r in mine.items():
                ybar, se = want[key]
                if math.isnan(ybar):
                    assert r.n == 0 and r.flags == ("no_data",), (by, col, key)
                    continue
                assert r.estimate == pytest.approx(ybar, rel=1e-12), (by, col, key)
                # abs: an SE that is 0 in exact arithmetic (one PSU with values) comes out as
                # round-off of the mean's size in the reference (1e-15 for a mean of 6.2)
                assert r.se == pytest.approx(se, rel=1e-9, abs=1e-13), (by, col, key)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), psu=st.booleans())
def test_regroup_equals_groupby_sums(seed: int, psu: bool) -> None:
    df = survey(seed)
    design = Design("w", strata="h", psu="psu" if psu else None)
    engine = DuckDBEngine(df)
    plan = prepare(engine, design, [mean("y2"), proportion("b")], ["sex", "d"])
    cells = build_cells(engine.cells(plan.sql), design, "<test>", plan.aliases)
    raw = engine.query(plan.sql)
    unit = [STRATUM, PSU] if psu else [STRATUM]
    for keys in ([], [by_key(0)], [by_key(1)]):
        table = regroup(cells, keys)
        want = raw.groupby(unit + keys, dropna=False)[["cell__n", "cell__w"]].sum()
        assert len(table) == len(want)
        # Each row of the table is one unit; its totals are the groupby's.
        got = pd.DataFrame(
            {
                "h": table.stratum,
                "p": table.psu if psu else 0,
                **{k: table.codes[k] for k in keys},
                "n": table.col("cell__n"),
                "w": table.col("cell__w"),
            }
        ).sort_values(["h", "p", *keys])
        assert got["n"].sum() == len(df)
        assert sorted(got["n"]) == sorted(want["cell__n"])
        assert np.allclose(np.sort(got["w"]), np.sort(want["cell__w"]), rtol=1e-13)
        assert not got.duplicated(["h", "p", *keys]).any()


def test_regroup_shares_rows_that_are_already_units() -> None:
    df = survey(5)
    design = Design("w", strata="h", psu="psu")
    engine = DuckDBEngine(df.assign(region=df["h"]))  # region is constant within a stratum
    plan = prepare(engine, design, [mean("y2")], ["sex", "region"])
    cells = build_cells(engine.cells(plan.sql), design, "<test>", plan.aliases)
    table = regroup(cells, [by_key(0)])  # sex alone: region adds no split within a PSU
    assert table.values is cells.values and len(table) == len(cells)


def test_batch_domain_sets_summed_from_finer_sets_equal_separate_requests() -> None:
    df = survey(11)
    design = Design("w", strata="h", psu="psu")
    bys: list[list[str]] = [["sex", "d"], ["d"], ["sex"], []]
    qs = [proportion("y1"), mean("y2"), proportion("y3")]
    batch = aggregate_many(df, design, qs, bys)
    assert len(batch._tables) >= 2  # coarser sets were totalled (from the finer ones)
    for by in bys:
        for a, b in zip(batch.estimate(by), estimate(df, design, qs, by), strict=True):
            assert a.domain == b.domain and a.n == b.n and a.df == b.df
            assert math.isclose(a.estimate, b.estimate, rel_tol=1e-12)
            assert math.isclose(a.se, b.se, rel_tol=1e-10, abs_tol=1e-15)


@pytest.mark.parametrize("psu", [True, False])
def test_units_in_any_order_give_the_same_variances(psu: bool) -> None:
    """Sorted units are totalled run by run (``reduceat``), others by ``bincount``: the same
    estimates, SEs and gap covariances whichever order the cells come in."""
    from dataclasses import replace

    from equals.survey.domains import domain_groups
    from equals.survey.engine import ColumnKind
    from equals.survey.estimators import aggregated
    from equals.survey.gaps import gaps_from_cells
    from equals.survey.variance import Units

    df = survey(13)
    design = Design("w", strata="h", psu="psu" if psu else None)
    engine = DuckDBEngine(df)
    plan = prepare(engine, design, [mean("y2"), proportion("y3")], ["sex", "d", "b"])
    cells = build_cells(engine.cells(plan.sql), design, "<test>", plan.aliases)
    table = regroup(cells, [by_key(0), by_key(1)])  # totals over b: sorted rows
    assert len(table) < len(cells)
    order = np.random.default_rng(1).permutation(len(table))
    shuffled = replace(
        table,
        codes={k: c[order] for k, c in table.codes.items()},
        values=np.asfortranarray(table.values[order]),
        stratum=table.stratum[order],
        psu=None if table.psu is None else table.psu[order],
    )
    results = []
    for t in (table, shuffled):
        units = Units(t, domain_groups(t, [by_key(0), by_key(1)], ["sex", "d"]))
        results.append((units.runs is not None, aggregated(units, plan.items).results()))
    (sorted_runs, a), (shuffled_runs, b) = results
    assert sorted_runs and not shuffled_runs
    for x, y in zip(a, b, strict=True):
        assert x.domain == y.domain and x.n == y.n
        assert math.isclose(x.estimate, y.estimate, rel_tol=1e-12)
        assert math.isclose(x.se, y.se, rel_tol=1e-12, abs_tol=1e-15)
    gaps = [
        gaps_from_cells(
            t,
            plan.items,
            by={"d": by_key(1)},
            sex_key=by_key(0),
            sex_kind=ColumnKind.NUMERIC,
            sex="sex",
            female=2,
            male=1,
            options=EstimationOptions(),
            location="<test>",
        )
        for t in (table, shuffled)
    ]
    assert len(gaps[0]) == len(gaps[1]) > 0
    for x, y in zip(*gaps, strict=True):
        assert x.domain == y.domain
        assert math.isclose(x.covariance, y.covariance, rel_tol=1e-12, abs_tol=1e-18)
        assert math.isclose(x.difference.se, y.difference.se, rel_tol=1e-12, abs_tol=1e-15)
