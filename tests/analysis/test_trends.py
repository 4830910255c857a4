"""Trends and years to parity: hand-computed fits, prediction intervals and every status."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equals.analysis.fit import fit_line
from equals.analysis.panel import Point
from equals.analysis.trends import TrendStatus, load_trend_method, parity_trend
from equals.survey.distributions import betai, qt

YEARS = [2010, 2011, 2012, 2013, 2014]


@pytest.mark.parametrize(
    ("p", "df", "table"),
    # NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2 "Critical values of the
    # Student's t distribution" (3 decimals).
    [
        (0.975, 1, 12.706),
        (0.975, 3, 3.182),
        (0.975, 10, 2.228),
        (0.975, 30, 2.042),
        (0.95, 5, 2.015),
        (0.995, 20, 2.845),
    ],
)
def test_t_quantiles_match_the_published_table(p: float, df: int, table: float) -> None:
    """The prediction intervals use the survey engine's t quantile (one implementation,
    also checked against R's qt through the golden values)."""
    t = qt(p, df)
    assert t == pytest.approx(table, abs=5e-4)
    upper_tail = 0.5 * betai(df / 2.0, 0.5, df / (df + t * t))  # P(T > t)
    assert 1.0 - upper_tail == pytest.approx(p, abs=1e-12)
    assert qt(1 - p, df) == pytest.approx(-t)


def test_ols_and_prediction_interval_by_hand() -> None:
    # x = 2010..2014, y = 1, 3, 2, 5, 4: x̄ = 2012, Sxx = 10, Sxy = 8, b = 0.8, ȳ = 3,
    # residuals -0.4, 0.8, -1.0, 1.2, -0.6 -> SSE 3.6, s = sqrt(3.6/3) = 1.095445.
    # At x0 = 2016: ŷ = 3 + 0.8*4 = 6.2; se = s*sqrt(1 + 1/5 + 16/10) = 1.833030;
    # t(0.975, 3) = 3.182446 -> half-width 5.833520.
    fit = fit_line(YEARS, [1, 3, 2, 5, 4])
    assert fit.slope == pytest.approx(0.8)
    assert fit.predict(2012) == pytest.approx(3.0)
    assert fit.resid_se == pytest.approx(1.095445, abs=1e-6)
    assert fit.prediction_se(2016) == pytest.approx(1.833030, abs=1e-6)
    lo, hi = fit.interval(2016, 0.95)
    assert (lo, hi) == (
        pytest.approx(6.2 - 5.833520, abs=1e-5),
        pytest.approx(6.2 + 5.833520, abs=1e-5),
    )


def _points(parity: list[float], male: float = 50.0) -> tuple[Point, ...]:
    return tuple(Point(y, male * p, male) for y, p in zip(YEARS, parity, strict=True))


def test_years_to_parity_exact_trend() -> None:
    # p(t) = 0.8 e^{0.02 (t - 2010)}: enters 0.98 at t = 2010 + ln(0.98/0.8)/0.02 = 2020.15,
    # so 2021, 7 years after the last data (2014). An exact fit: the interval is that year.
    t = parity_trend(
        _points([0.8 * math.exp(0.02 * i) for i in range(5)]),
        country="X",
        indicator="i",
        percent=True,
    )
    assert t.status is TrendStatus.CONVERGING
    assert (t.parity_year, t.years_to_parity) == (2021, 7)
    assert (t.parity_year_low, t.parity_year_high) == (2021, 2021)
    assert t.annual_change == pytest.approx(100 * (math.exp(0.02) - 1))
    assert t.female is not None and t.female.transform == "logit"


def test_years_to_parity_with_noise_by_hand() -> None:
    # log p = -0.3 + 0.01*y with y = 1, 3, 2, 5, 4 (the OLS example above, scaled):
    # slope 0.008, fitted log p = -0.27 + 0.008 (t - 2012); reaches ln 0.98 = -0.0202027 at
    # t = 2012 + 0.2497973/0.008 = 2043.22 -> 2044, 30 years after 2014.
    # Projection at 2016: exp(-0.238) = 0.788170, PI exp(-0.238 ± 0.0583352).
    y = [1, 3, 2, 5, 4]
    t = parity_trend(
        _points([math.exp(-0.3 + 0.01 * v) for v in y]), country="X", indicator="i", percent=True
    )
    assert t.status is TrendStatus.CONVERGING
    assert (t.parity_year, t.years_to_parity) == (2044, 30)
    assert t.parity is not None
    p2016 = next(p for p in t.parity.projection if p.year == 2016)
    assert p2016.estimate == pytest.approx(math.exp(-0.238), rel=1e-9)
    assert p2016.low == pytest.approx(math.exp(-0.238 - 0.0583352), rel=1e-6)
    assert p2016.high == pytest.approx(math.exp(-0.238 + 0.0583352), rel=1e-6)
    assert t.parity_year_low is not None and t.parity_year_low <= 2044
    assert t.parity_year_high is None or t.parity_year_high >= 2044


def test_diverging_at_parity_and_not_at_current_pace() -> None:
    down = parity_trend(
        _points([0.8 * math.exp(-0.02 * i) for i in range(5)]),
        country="X",
        indicator="i",
        percent=True,
    )
    assert down.status is TrendStatus.DIVERGING and down.parity_year is None
    assert "against women" in down.message
    level = parity_trend(
        _points([0.99, 1.01, 1.0, 0.995, 1.005]), country="X", indicator="i", percent=True
    )
    assert level.status is TrendStatus.AT_PARITY and level.years_to_parity == 0
    # 0.1 % a year from 0.8: ln(1.225)/0.001 = 203 years > the 50-year horizon
    slow = parity_trend(
        _points([0.8 * math.exp(0.001 * i) for i in range(5)]),
        country="X",
        indicator="i",
        percent=True,
    )
    assert slow.status is TrendStatus.NOT_AT_CURRENT_PACE and slow.parity_year is None
    above = parity_trend(
        _points([1.2 * math.exp(0.01 * i) for i in range(5)]),
        country="X",
        indicator="i",
        percent=True,
    )
    assert above.status is TrendStatus.DIVERGING and "in women's favour" in above.message


def test_too_few_points_or_years_never_extrapolates() -> None:
    m = load_trend_method()
    four = _points([0.8, 0.82, 0.84, 0.86, 0.88])[:4]
    t = parity_trend(four, country="X", indicator="i", percent=True)
    assert t.status is TrendStatus.INSUFFICIENT_DATA and t.parity is None
    assert f"at least {m.min_points} points" in t.message and "4 point(s)" in t.message
    zero = parity_trend(
        _points([0.0, 0.1, 0.2, 0.3, 0.4]), country="X", indicator="i", percent=True
    )
    assert zero.status is TrendStatus.INSUFFICIENT_DATA and "zero" in zero.message


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0.3, max_value=1.5),
    st.floats(min_value=-0.1, max_value=0.1),
    st.lists(st.floats(min_value=-0.05, max_value=0.05), min_size=5, max_size=5),
)
def test_interval_brackets_the_parity_year(start: float, slope: float, noise: list[float]) -> None:
    t = parity_trend(
        _points([start * math.exp(slope * i + e) for i, e in enumerate(noise)]),
        country="X",
        indicator="i",
        percent=False,
    )
    if t.status is TrendStatus.CONVERGING:
        assert t.parity_year is not None and t.years_to_parity is not None
        assert 1 <= t.years_to_parity <= t.method.horizon
        assert t.parity_year_low is not None and t.parity_year_low <= t.parity_year
        assert t.parity_year_high is None or t.parity_year_high >= t.parity_year
    if t.parity is not None:
        for p in t.parity.projection:
            assert p.low <= p.estimate <= p.high
