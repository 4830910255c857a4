"""Hand-computed examples for every index formula, and the WEF GGGI aggregation reproduced."""

from __future__ import annotations

import math

import numpy as np
import pytest

from equals.analysis.index import index_from_panel
from equals.analysis.method import load_method, method_from_descriptor
from equals.analysis.panel import Point
from equals.analysis.scoring import (
    competition_ranks,
    pillar_and_overall,
    truncated_ratio,
    weighted_mean,
    weights_from_sd,
)
from equals.core.errors import DataFileError
from equals.core.vocabulary import Pillar
from tests.analysis.helpers import BASE, full_country, merge, method, panel


def test_truncated_ratio_by_hand() -> None:
    f = np.array([60.0, 40.0, 30.0, np.nan, -1.0, 25.0])
    m = np.array([50.0, 50.0, 0.0, 50.0, 50.0, 75.0])
    r = truncated_ratio(f, m, 1.0)
    # 60/50 = 1.2 truncated to 1; 40/50 = 0.8; M = 0 not computable; missing F; F < 0 -> 0;
    # a female share of 25 % gives 25/75 = 1/3 women per man.
    assert r[0] == 1.0
    assert r[1] == pytest.approx(0.8)
    assert math.isnan(r[2]) and math.isnan(r[3])
    assert r[4] == 0.0
    assert r[5] == pytest.approx(1 / 3)


def test_wef_weights_reproduce_the_published_table() -> None:
    # WEF Global Gender Gap Report 2006, Table 2 (reprinted unchanged as Table B.2 of the
    # 2023 report, Appendix B "Calculation of weights within each subindex"): standard
    # deviations of the educational attainment ratios and the published weights (3 decimals).
    sd = [0.145, 0.060, 0.120, 0.228]  # literacy, primary, secondary, tertiary
    assert [round(0.01 / s, 3) for s in sd] == [0.069, 0.167, 0.083, 0.044]
    # The table prints SDs rounded to 3 decimals, so the weights agree to about 0.001.
    assert weights_from_sd(sd) == pytest.approx([0.191, 0.459, 0.230, 0.121], abs=1.5e-3)
    # Political empowerment: parliament, ministers, years with a female head of state.
    assert weights_from_sd([0.166, 0.208, 0.116]) == pytest.approx(
        [0.310, 0.247, 0.443], abs=1.5e-3
    )


def test_wef_gggi_worked_example() -> None:
    # The GGGI aggregation as its appendix describes it (GGGR 2023, Appendix B: ratios,
    # truncation at the equality benchmark 1, weighted average within each subindex with the
    # Table B.2 weights, overall = unweighted average of the subindex scores). A made-up
    # country, computed by hand:
    # Educational attainment ratios: literacy 0.80, primary 1.05 -> 1, secondary 0.90,
    #   tertiary 1.20 -> 1. Per-point weights 1/SD: 6.8966, 16.6667, 8.3333, 4.3860 (sum
    #   36.2825) -> 0.19008, 0.45936, 0.22968, 0.12089; score = 0.19008*.8 + 0.45936
    #   + 0.22968*.9 + 0.12089 = 0.93902.
    # Political empowerment ratios 0.25, 0.50, 0.10; 1/SD: 6.0241, 4.8077, 8.6207 (sum
    #   19.4525) -> 0.30968, 0.24715, 0.44317; score = 0.07742 + 0.12358 + 0.04432 = 0.24532.
    edu_w = weights_from_sd([0.145, 0.060, 0.120, 0.228])
    pol_w = weights_from_sd([0.166, 0.208, 0.116])
    edu_hand = sum(w * x for w, x in zip(edu_w, [0.80, 1.0, 0.90, 1.0], strict=True))
    pol_hand = sum(w * x for w, x in zip(pol_w, [0.25, 0.50, 0.10], strict=True))
    assert edu_hand == pytest.approx(0.93902, abs=1e-5)
    assert pol_hand == pytest.approx(0.24532, abs=1e-5)
    ratios_f = np.array([[[0.80, 1.05, 0.90, 1.20, 0.25, 0.50, 0.10]]])
    r = truncated_ratio(ratios_f, np.ones_like(ratios_f), 1.0)
    w = np.array([[*edu_w, *pol_w]])
    pill, overall = pillar_and_overall(r, w, np.array([False]), [0, 0, 0, 0, 1, 1, 1], [1, 1])
    assert pill[0, 0, 0] == pytest.approx(edu_hand, rel=1e-12)
    assert pill[0, 0, 1] == pytest.approx(pol_hand, rel=1e-12)
    assert overall[0, 0] == pytest.approx((edu_hand + pol_hand) / 2, rel=1e-12)


def test_weighted_means_by_hand() -> None:
    v = np.array([[[0.5, 0.8, np.nan]]])
    w = np.array([[0.25, 0.25, 0.5]])
    arith, count = weighted_mean(v, w, np.array([False]))
    # weights renormalised over the two present values: (0.5 + 0.8) / 2
    assert arith[0, 0] == pytest.approx(0.65) and count[0, 0] == 2
    geo, _ = weighted_mean(v, w, np.array([True]))
    assert geo[0, 0] == pytest.approx(math.sqrt(0.4))
    zero, _ = weighted_mean(np.array([[[0.0, 0.9]]]), np.array([[0.5, 0.5]]), np.array([True]))
    assert zero[0, 0] == 0.0  # geometric: a zero component gives zero


def test_competition_ranks_with_ties_and_unscored() -> None:
    r = competition_ranks(np.array([[0.5, 0.7, 0.7, np.nan, 0.1]]))
    assert r[0, :3].tolist() == [3, 1, 1]
    assert math.isnan(r[0, 3]) and r[0, 4] == 4


def test_index_scores_by_hand() -> None:
    x = full_country()
    y = full_country(a1=50, l1=50, l2=50)
    del y["a2"]  # one access component only: below the coverage rule (2)
    z = full_country(a1=45, s2=8)
    x["a1"] = [Point(2010, 10, 50), *x["a1"]]  # 2010 is outside the 2016-2020 window
    result = index_from_panel(
        panel(merge({"X": x, "Y": y, "Z": z}), ["X", "Y", "Z"]), method(), draws=0
    )
    assert (result.reference_year, result.first_year) == (2020, 2016)
    cx = result.country("X")
    # access: a1 40/50 = 0.8, a2 60/50 = 1.2 -> 1; mean 0.9
    # skills: s1 = mean(20/40, 30/40) = 0.625, s2 = 10/10 = 1; mean 0.8125
    # leadership: l1 25/75 = 1/3, l2 40/60 = 2/3; mean 0.5
    assert cx.access == pytest.approx(0.9)
    assert cx.skills == pytest.approx(0.8125)
    assert cx.leadership == pytest.approx(0.5)
    assert cx.score == pytest.approx((0.9 + 0.8125 + 0.5) / 3)
    a1 = cx.pillar(Pillar.ACCESS).components[0].values[0]
    assert (a1.year, a1.female, a1.ratio, a1.source) == (2018, 40, pytest.approx(0.8), "src-a1")
    a2 = cx.pillar(Pillar.ACCESS).components[1]
    assert a2.values[0].ratio == pytest.approx(1.2) and a2.values[0].truncated == 1.0
    assert a2.weight == pytest.approx(0.5)
    cy = result.country("Y")
    assert cy.access is None and cy.score is None and cy.rank is None
    assert cy.pillar(Pillar.ACCESS).components_used == 1
    assert cy.leadership == pytest.approx(1.0)  # 50/50 both
    cz = result.country("Z")
    # Z: access (0.9 + 1)/2 = 0.95, skills (0.625 + 0.8)/2 = 0.7125, leadership 0.5
    assert cz.score == pytest.approx((0.95 + 0.7125 + 0.5) / 3)
    assert (cx.rank, cz.rank) == (1, 2)  # 0.7375 > 0.72083


def test_geometric_aggregation_by_hand() -> None:
    result = index_from_panel(
        panel(merge({"X": full_country()}), ["X"]), method(aggregation="geometric"), draws=0
    )
    c = result.country("X")
    access, skills, lead = math.sqrt(0.8), math.sqrt(0.625), math.sqrt(2 / 9)
    assert (c.access, c.skills, c.leadership) == (
        pytest.approx(access),
        pytest.approx(skills),
        pytest.approx(lead),
    )
    assert c.score == pytest.approx((access * skills * lead) ** (1 / 3))


def test_sd_weights_by_hand() -> None:
    # Three countries; a1 ratios 0.5, 0.7, 0.9 (SD 0.2), a2 ratios 0.8, 0.9, 1.0 (SD 0.1):
    # weights 0.01/0.2 = 0.05 and 0.01/0.1 = 0.1 -> 1/3 and 2/3.
    pts = {
        c: full_country(a1=50 * r1, a2=50 * r2)
        for c, r1, r2 in (("A", 0.5, 0.8), ("B", 0.7, 0.9), ("C", 0.9, 1.0))
    }
    result = index_from_panel(panel(merge(pts), ["A", "B", "C"]), method(weights="sd"), draws=0)
    assert result.weights["a1"] == pytest.approx(1 / 3)
    assert result.weights["a2"] == pytest.approx(2 / 3)
    assert result.country("A").access == pytest.approx(0.5 / 3 + 0.8 * 2 / 3)


def test_monte_carlo_is_seeded_and_contains_the_rank() -> None:
    pts = {
        c: full_country(a1=30 + 3 * i, s2=4 + i, l1=20 + 2 * i, l2=45 - 3 * i)
        for i, c in enumerate("ABCDEFGH")
    }
    p = panel(merge(pts), list("ABCDEFGH"))
    one = index_from_panel(p, method(), draws=200, seed=3)
    two = index_from_panel(p, method(), draws=200, seed=3)
    assert one.countries == two.countries
    for c in one.ranked:
        assert c.rank_low is not None and c.rank_high is not None
        assert c.rank_low <= c.rank <= c.rank_high  # type: ignore[operator]
        assert c.scored_share == 1.0


def test_sampling_error_widens_the_interval() -> None:
    fixed = {"weights": ["equal"], "window": [5], "aggregation": ["arithmetic"]}
    pts = {c: full_country(a1=40 + i) for i, c in enumerate("ABC")}
    no_se = index_from_panel(
        panel(merge(pts), list("ABC")), method(alternatives=fixed), draws=100, seed=1
    )
    # Without SEs and with one choice only, every draw repeats the nominal ranking.
    assert all(c.rank_p_low == c.rank == c.rank_p_high for c in no_se.ranked)
    for i, c in enumerate("ABC"):
        pts[c]["a1"] = [Point(2018, 40 + i, 50, female_se=5.0, male_se=5.0)]
    se = index_from_panel(
        panel(merge(pts), list("ABC")), method(alternatives=fixed), draws=300, seed=1
    )
    assert any(c.rank_p_low != c.rank_p_high for c in se.ranked)


def test_bundled_method_loads_and_round_trips() -> None:
    m = load_method()
    assert m.version and m.weights.value == "equal"
    assert method_from_descriptor(m.to_descriptor()) == m


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weights": "median"}, "weights"),
        ({"window": 0}, "window"),
        ({"window": "ten"}, "window"),
        ({"min_components": {"access": 5, "skills": 2, "leadership": 2}}, "min_components.access"),
        ({"truncate_at": float("inf")}, "truncate_at"),
    ],
)
def test_bad_method_names_the_field(change: dict[str, object], field: str) -> None:
    d = {**BASE, **change}
    with pytest.raises(DataFileError) as exc:
        method_from_descriptor(d, where="m.yaml")
    assert f"m.yaml: {field}" in str(exc.value)


def test_unknown_indicator_in_method() -> None:
    with pytest.raises(DataFileError, match=r"pillars.access\[0\].indicators: unknown indicator"):
        method_from_descriptor(BASE, where="m.yaml", known_indicators=frozenset({"a2"}))
