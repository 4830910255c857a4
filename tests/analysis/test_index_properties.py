"""Property tests of the index: bounds, truncation, monotonicity, rank intervals."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from equals.analysis.index import index_from_panel
from equals.analysis.panel import Point
from tests.analysis.helpers import full_country, merge, method, panel

rate = st.floats(min_value=0.0, max_value=100.0, allow_nan=False)
share = st.floats(min_value=0.0, max_value=99.0, allow_nan=False)
country = st.fixed_dictionaries(
    {"a1": rate, "a2": rate, "s1a": rate, "s1b": rate, "s2": rate, "l1": share, "l2": share}
)
aggregation = st.sampled_from(["arithmetic", "geometric"])


@settings(max_examples=60, deadline=None)
@given(st.lists(country, min_size=1, max_size=6), aggregation, st.sampled_from(["equal", "sd"]))
def test_scores_stay_within_zero_and_parity(
    values: list[dict[str, float]], agg: str, weights: str
) -> None:
    codes = [f"C{i}" for i in range(len(values))]
    pts = merge({c: full_country(**v) for c, v in zip(codes, values, strict=True)})
    result = index_from_panel(panel(pts, codes), method(aggregation=agg, weights=weights), draws=0)
    for c in result.countries:
        for s in (c.score, c.access, c.skills, c.leadership):
            assert s is None or 0.0 <= s <= 1.0 + 1e-12


@settings(max_examples=60, deadline=None)
@given(country, st.floats(min_value=0, max_value=400), aggregation)
def test_a_gap_in_womens_favour_never_raises_the_score(
    v: dict[str, float], extra: float, agg: str
) -> None:
    # a2's male value is 50: raising the female value from parity (50) to 50 + extra leaves
    # every score unchanged.
    at_parity = {**v, "a2": 50.0}
    above = {**v, "a2": 50.0 + extra}
    m = method(aggregation=agg)
    one = index_from_panel(panel(merge({"X": full_country(**at_parity)}), ["X"]), m, draws=0)
    two = index_from_panel(panel(merge({"X": full_country(**above)}), ["X"]), m, draws=0)
    assert one.country("X").score == two.country("X").score


@settings(max_examples=80, deadline=None)
@given(
    country,
    st.sampled_from(["a1", "a2", "s1a", "s1b", "s2", "l1", "l2"]),
    st.floats(min_value=0, max_value=1),
    aggregation,
)
def test_a_worse_value_never_raises_the_score(
    v: dict[str, float], which: str, factor: float, agg: str
) -> None:
    worse = {**v, which: v[which] * factor}
    m = method(aggregation=agg)
    before = index_from_panel(panel(merge({"X": full_country(**v)}), ["X"]), m, draws=0)
    after = index_from_panel(panel(merge({"X": full_country(**worse)}), ["X"]), m, draws=0)
    b, a = before.country("X"), after.country("X")
    for x, y in (
        (b.score, a.score),
        (b.access, a.access),
        (b.skills, a.skills),
        (b.leadership, a.leadership),
    ):
        assert x is not None and y is not None
        assert y <= x + 1e-12


@settings(max_examples=25, deadline=None)
@given(
    st.lists(country, min_size=2, max_size=8),
    st.integers(0, 2**31 - 1),
    st.floats(min_value=0, max_value=10),
)
def test_the_rank_interval_always_contains_the_rank(
    values: list[dict[str, float]], seed: int, se: float
) -> None:
    codes = [f"C{i}" for i in range(len(values))]
    by_c = {c: full_country(**v) for c, v in zip(codes, values, strict=True)}
    for c, v in zip(codes, values, strict=True):
        by_c[c]["a1"] = [Point(2018, v["a1"], 50, female_se=se, male_se=se)]
    result = index_from_panel(panel(merge(by_c), codes), method(), draws=40, seed=seed)
    for c in result.countries:
        if c.rank is None:
            assert c.rank_low is None and c.rank_high is None
            continue
        assert c.rank_low is not None and c.rank_high is not None
        assert 1 <= c.rank_low <= c.rank <= c.rank_high <= len(result.ranked)
        assert not math.isnan(c.scored_share)
