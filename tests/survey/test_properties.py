"""Properties of the estimators on random designs, against a naive row-level reference.

The reference below is R's ``onestrat``/``svyrecvar`` written out literally (Lumley 2010,
appendix C): influence per row, PSU totals over *all* PSUs of the stratum, centred within the
stratum, scaled by n_h/(n_h − 1). It shares no code with :mod:`equals.survey`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equals.survey import Design, LonelyPSU, estimate, mean, proportion, total
from equals.survey.errors import LonelyPSUError

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def survey(seed: int, strata: int, with_missing: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for h in range(strata):
        for p in range(int(rng.integers(2, 6))):
            for _ in range(int(rng.integers(1, 7))):
                rows.append((f"s{h}", p, float(rng.uniform(0.5, 50))))
    df = pd.DataFrame(rows, columns=["h", "psu", "w"])
    df["y"] = np.round(rng.normal(10, 3, len(df)), 3)
    df["b"] = rng.integers(0, 2, len(df))
    df["d"] = rng.choice(["a", "b", "c"], len(df))
    if with_missing:
        df.loc[rng.random(len(df)) < 0.15, "y"] = np.nan
    return df


def reference_se(df: pd.DataFrame, z: np.ndarray, psu: bool = True) -> float:
    """sqrt(Σ_h n_h/(n_h−1) Σ_i (z_hi − z̄_h)²) over every PSU of the design."""
    work = df.assign(z=z, unit=df["psu"] if psu else np.arange(len(df)))
    v = 0.0
    for _, g in work.groupby("h"):
        totals = g.groupby("unit")["z"].sum().to_numpy()
        n = len(totals)
        if n > 1:
            v += n / (n - 1) * float(((totals - totals.mean()) ** 2).sum())
    return math.sqrt(v)


def domain_mean_influence(df: pd.DataFrame, col: str, domain: str) -> tuple[float, np.ndarray]:
    inside = ((df["d"] == domain) & df[col].notna()).to_numpy()
    w, y = df["w"].to_numpy(), df[col].fillna(0).to_numpy()
    big_w = w[inside].sum()
    if big_w == 0:  # every value of the domain is missing: no estimate
        return math.nan, np.zeros(len(df))
    ybar = (w * y)[inside].sum() / big_w
    return ybar, np.where(inside, w * (y - ybar) / big_w, 0.0)


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    strata=st.integers(1, 4),
    psu=st.booleans(),
    missing=st.booleans(),
)
def test_domain_means_match_row_level_reference(
    seed: int, strata: int, psu: bool, missing: bool
) -> None:
    df = survey(seed, strata, missing)
    design = Design("w", strata="h", psu="psu" if psu else None)
    results = {r.domain["d"]: r for r in estimate(df, design, [mean("y")], ["d"])}
    for dom, r in results.items():
        ybar, z = domain_mean_influence(df, "y", str(dom))
        if math.isnan(ybar):
            assert r.n == 0 and r.flags == ("no_data",)
            continue
        assert r.estimate == pytest.approx(ybar, rel=1e-12)
        # Without PSUs the variance comes from raw second moments: absolute round-off of
        # V is about eps·ȳ², so compare V with that floor.
        floor = (1e-24 if psu else 1e-13) * (ybar**2 + 1)
        assert r.se**2 == pytest.approx(reference_se(df, z, psu) ** 2, rel=1e-9, abs=floor)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), strata=st.integers(1, 3))
def test_totals_match_reference(seed: int, strata: int) -> None:
    df = survey(seed, strata)
    (r,) = estimate(df, Design("w", strata="h", psu="psu"), [total("y")])
    z = (df["w"] * df["y"]).to_numpy()
    assert r.estimate == pytest.approx(z.sum(), rel=1e-12)
    assert r.se == pytest.approx(reference_se(df, z), rel=1e-9)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(0.01, 1000))
def test_scaling_weights_leaves_means_and_ses(seed: int, scale: float) -> None:
    df = survey(seed, 3)
    design = Design("w", strata="h", psu="psu")
    qs = [mean("y"), proportion("b"), total("y")]
    base = estimate(df, design, qs, ["d"])
    scaled = estimate(df.assign(w=df["w"] * scale), design, qs, ["d"])
    for a, b in zip(base, scaled, strict=True):
        factor = scale if a.statistic == "total" else 1.0
        assert b.estimate == pytest.approx(a.estimate * factor, rel=1e-9)
        assert b.se == pytest.approx(a.se * factor, rel=1e-8, abs=1e-12)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_domain_is_not_the_subset(seed: int) -> None:
    """Same point estimate as analysing the subset alone; the SE keeps every PSU (svyby)."""
    df = survey(seed, 3)
    design = Design("w", strata="h", psu="psu", lonely_psu=LonelyPSU.CERTAINTY)
    dom = {r.domain["d"]: r for r in estimate(df, design, [mean("y")], ["d"])}["a"]
    sub_df = df[df["d"] == "a"]
    (sub,) = estimate(sub_df, design, [mean("y")])
    assert dom.estimate == pytest.approx(sub.estimate, rel=1e-12)
    _, z = domain_mean_influence(df, "y", "a")
    assert dom.se == pytest.approx(reference_se(df, z), rel=1e-9)
    _, z_sub = domain_mean_influence(sub_df, "y", "a")
    assert sub.se == pytest.approx(reference_se(sub_df, z_sub), rel=1e-9, abs=1e-12)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_row_order_does_not_matter(seed: int) -> None:
    df = survey(seed, 3, with_missing=True)
    design = Design("w", strata="h", psu="psu")
    a = estimate(df, design, [mean("y"), proportion("d")], ["b"])
    b = estimate(
        df.sample(frac=1, random_state=seed % 1000), design, [mean("y"), proportion("d")], ["b"]
    )
    for x, y in zip(a, b, strict=True):
        assert (x.domain, x.level) == (y.domain, y.level)
        assert x.estimate == pytest.approx(y.estimate, rel=1e-12)
        assert x.se == pytest.approx(y.se, rel=1e-9)


def test_all_zero_y_and_single_psu_do_not_crash() -> None:
    df = pd.DataFrame({"w": [1.0, 2.0, 3.0, 4.0], "psu": [1, 1, 2, 2], "y": [0.0] * 4})
    (r,) = estimate(df, Design("w", psu="psu"), [mean("y")])
    assert (r.estimate, r.se, r.cv) == (0.0, 0.0, None)
    assert "cv_undefined" in r.flags and "small_n" in r.flags
    one = df.assign(psu=1, y=[1.0, 2.0, 3.0, 4.0])
    with pytest.raises(LonelyPSUError):
        estimate(one, Design("w", psu="psu"), [mean("y")])
    (r,) = estimate(one, Design("w", psu="psu", lonely_psu=LonelyPSU.CERTAINTY), [mean("y")])
    assert r.estimate == pytest.approx(3.0) and r.se == 0.0
    (r,) = estimate(one, Design("w", psu="psu", lonely_psu=LonelyPSU.AVERAGE), [mean("y")])
    assert r.to_record()["se"] is None and "variance_not_estimable" in r.flags


def test_missing_values_are_counted_not_silent() -> None:
    df = pd.DataFrame({"w": [1.0, 1.0, 2.0, 2.0], "y": [1.0, None, 3.0, None]})
    (r,) = estimate(df, Design("w"), [mean("y")])
    assert r.n == 2 and r.missing == 2 and r.estimate == pytest.approx(7 / 3)
