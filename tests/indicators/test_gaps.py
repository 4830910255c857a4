"""Gap metrics against their published definitions.

References (formulas, not data):
* ITU, *Measuring digital development – Facts and Figures 2023*: gender parity score =
  female value / male value; a score between 0.98 and 1.02 reflects gender parity.
* GSMA, *The Mobile Gender Gap Report 2023*, methodology: gender gap = (male rate − female
  rate) / male rate ("women are x% less likely than men").
* World Bank Gender Data Portal: gap expressed as the difference female − male.
Worked numbers are computed by hand in the comments.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from equals.core.vocabulary import IndicatorKind
from equals.indicators.gaps import (
    GapMetric,
    ParityStatus,
    difference,
    gap,
    gap_for,
    parity_score,
    parity_status,
    relative_gap,
    share_gap,
)


def test_itu_facts_and_figures_2023_worked_example() -> None:
    # F&F 2023 headline: 65% of women and 70% of men used the Internet in 2023.
    # 65 / 70 = 0.928571...; ITU reports 0.92 from unrounded rates.
    assert parity_score(65, 70) == pytest.approx(0.9285714285714286)
    assert parity_status(parity_score(65, 70)) is ParityStatus.FAVOURS_MEN


def test_gsma_relative_gap_worked_example() -> None:
    # Male 50%, female 40%: (50 - 40) / 50 = 0.2 -> "women 20% less likely".
    assert relative_gap(40, 50) == pytest.approx(0.2)


def test_world_bank_difference_is_female_minus_male() -> None:
    assert difference(40, 50) == pytest.approx(-10)
    assert difference(55.5, 50) == pytest.approx(5.5)


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (0.9799, ParityStatus.FAVOURS_MEN),
        (0.98, ParityStatus.PARITY),
        (1.0, ParityStatus.PARITY),
        (1.02, ParityStatus.PARITY),
        (1.0201, ParityStatus.FAVOURS_WOMEN),
        (None, ParityStatus.NOT_COMPUTABLE),
    ],
)
def test_parity_band_is_inclusive(score: float | None, status: ParityStatus) -> None:
    assert parity_status(score) is status


@pytest.mark.parametrize(("f", "m"), [(10, 0), (0, 0), (None, 5), (5, None), (math.nan, 1)])
def test_missing_or_zero_denominator_is_not_computable(f: float | None, m: float | None) -> None:
    g = gap(f, m)
    assert g.parity is None
    assert g.relative is None
    assert g.status is ParityStatus.NOT_COMPUTABLE
    if f is None or m is None or (isinstance(f, float) and math.isnan(f)):
        assert g.difference is None


def test_zero_male_still_has_a_difference() -> None:
    assert gap(10, 0).difference == 10


def test_female_share_uses_men_as_the_rest_of_the_group() -> None:
    # 25% women managers: men 75%; parity 25/75 = 1/3; distance from parity 25 - 50 = -25.
    g = share_gap(25.0)
    assert g.female == 25.0 and g.male == 75.0
    assert g.parity == pytest.approx(1 / 3)
    assert g.relative == pytest.approx((75 - 25) / 75)
    assert g.difference == pytest.approx(-50)
    assert g.distance_from_parity == pytest.approx(-25)
    assert share_gap(50.0).status is ParityStatus.PARITY
    assert share_gap(100.0).parity is None  # no men: F/M not computable


def test_gap_for_dispatches_on_kind() -> None:
    assert gap_for(IndicatorKind.FEMALE_SHARE, 40.0, 999.0) == share_gap(40.0)
    assert gap_for(IndicatorKind.PAIR, 40.0, 50.0) == gap(40.0, 50.0)


def test_metric_accessor() -> None:
    g = gap(40, 50)
    assert g.metric(GapMetric.PARITY) == pytest.approx(0.8)
    assert g.metric(GapMetric.RELATIVE) == pytest.approx(0.2)
    assert g.metric(GapMetric.DIFFERENCE) == pytest.approx(-10)


rates = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(rates, rates)
def test_metrics_agree_with_each_other(f: float, m: float) -> None:
    g = gap(f, m)
    assert g.difference == pytest.approx(f - m)
    if m > 0 and f / m != math.inf:
        assert g.parity is not None and g.relative is not None
        assert math.isfinite(g.parity)
        assert g.relative == pytest.approx(1 - g.parity)
    else:
        assert g.parity is None


@given(
    st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True)
)
def test_never_infinite_never_raises(f: float, m: float) -> None:
    g = gap(f, m)
    for v in (g.parity, g.relative, g.difference):
        assert v is None or math.isfinite(v)
