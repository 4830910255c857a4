"""Ordinary least squares on one regressor (the year), with prediction intervals.

For points ``(x_i, y_i)``, ``i = 1..n``: ``b = Sxy / Sxx``, ``a = ȳ − b x̄``, residual SE
``s = sqrt(Σ e_i² / (n − 2))``; the prediction interval for a single new value at ``x0`` is
``a + b x0 ± t_{n−2, (1+level)/2} · s · sqrt(1 + 1/n + (x0 − x̄)² / Sxx)`` (e.g. Montgomery,
Peck & Vining, *Introduction to Linear Regression Analysis*, §2.5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from equals.survey.distributions import qt


@dataclass(frozen=True, slots=True)
class LinearFit:
    n: int
    x_mean: float
    sxx: float
    intercept: float
    slope: float
    resid_se: float

    @property
    def df(self) -> int:
        return self.n - 2

    def predict(self, x: float) -> float:
        return self.intercept + self.slope * x

    def prediction_se(self, x: float) -> float:
        return self.resid_se * math.sqrt(1.0 + 1.0 / self.n + (x - self.x_mean) ** 2 / self.sxx)

    def interval(self, x: float, level: float) -> tuple[float, float]:
        """The two-sided prediction interval for one new value at ``x``."""
        q = qt(0.5 + level / 2.0, self.df)
        y, half = self.predict(x), q * self.prediction_se(x)
        return y - half, y + half


def fit_line(xs: Sequence[float], ys: Sequence[float]) -> LinearFit:
    """OLS of ``ys`` on ``xs``; needs at least 3 points and two distinct ``x``."""
    n = len(xs)
    if n != len(ys) or n < 3:
        raise ValueError("need at least 3 (x, y) points")
    x_mean = math.fsum(xs) / n
    y_mean = math.fsum(ys) / n
    sxx = math.fsum((x - x_mean) ** 2 for x in xs)
    if sxx <= 0:
        raise ValueError("need at least two distinct x values")
    sxy = math.fsum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True))
    b = sxy / sxx
    a = y_mean - b * x_mean
    sse = math.fsum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return LinearFit(n, x_mean, sxx, a, b, math.sqrt(sse / (n - 2)))


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def expit(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
