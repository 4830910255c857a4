"""What to estimate: means, proportions, totals and ratios of named columns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Scalar = str | int | float | bool


class Statistic(StrEnum):
    MEAN = "mean"
    PROPORTION = "proportion"
    TOTAL = "total"
    RATIO = "ratio"


@dataclass(frozen=True, slots=True)
class Quantity:
    """One statistic of one variable.

    ``proportion``: of rows equal to ``level`` among rows where ``variable`` is not missing;
    without a level, a 0/1 column gives the proportion of 1s and any other column one
    proportion per observed level. ``ratio``: sum(w·variable) / sum(w·denominator) over rows
    where both are present (R ``svyratio``).
    """

    statistic: Statistic
    variable: str
    denominator: str | None = None
    level: Scalar | None = None

    def __post_init__(self) -> None:
        if (self.statistic is Statistic.RATIO) != (self.denominator is not None):
            raise ValueError("a ratio needs a denominator, and only a ratio has one")
        if self.level is not None and self.statistic is not Statistic.PROPORTION:
            raise ValueError("only a proportion has a level")

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.variable,) if self.denominator is None else (self.variable, self.denominator)


def mean(variable: str) -> Quantity:
    return Quantity(Statistic.MEAN, variable)


def total(variable: str) -> Quantity:
    return Quantity(Statistic.TOTAL, variable)


def proportion(variable: str, level: Scalar | None = None) -> Quantity:
    return Quantity(Statistic.PROPORTION, variable, level=level)


def ratio(numerator: str, denominator: str) -> Quantity:
    return Quantity(Statistic.RATIO, numerator, denominator=denominator)
