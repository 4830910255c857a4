"""Results of estimation as frozen values, and their plain-record form for JSON/CSV."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from equals.survey.quantities import Scalar

Domain = Mapping[str, Scalar]


def clean(v: float | None) -> float | None:
    """NaN / inf → None (JSON has no NaN)."""
    if v is None or not math.isfinite(v):
        return None
    return float(v)


# The statistics of an estimate, in the order every table and file shows them; the short
# list is what a terminal table has room for.
STAT_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "deff", "cv", "n", "weighted_n", "missing")
TABLE_STAT_COLUMNS = ("estimate", "se", "ci_low", "ci_high", "deff", "n")


@dataclass(frozen=True)
class Estimate:
    """One statistic of one variable in one domain (``{}`` = whole population).

    ``n``: unweighted observations with the variable present; ``weighted_n``: their weight
    sum; ``missing``: rows of the domain where the variable is missing (dropped, as R's
    ``na.rm=TRUE``); ``df``: design degrees of freedom (PSUs − strata in the domain).
    """

    variable: str
    statistic: str
    domain: Domain
    estimate: float
    se: float
    ci_low: float | None
    ci_high: float | None
    deff: float | None
    cv: float | None
    n: int
    weighted_n: float
    missing: int
    df: int
    flags: tuple[str, ...] = ()
    level: Scalar | None = None
    denominator: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {
            "variable": self.variable,
            "statistic": self.statistic,
            "level": self.level,
            "denominator": self.denominator,
            "domain": dict(self.domain),
            "estimate": clean(self.estimate),
            "se": clean(self.se),
            "ci_low": clean(self.ci_low),
            "ci_high": clean(self.ci_high),
            "deff": clean(self.deff),
            "cv": clean(self.cv),
            "n": self.n,
            "weighted_n": clean(self.weighted_n),
            "missing": self.missing,
            "df": self.df,
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class ValueSE:
    estimate: float
    se: float

    def to_record(self) -> dict[str, float | None]:
        return {"estimate": clean(self.estimate), "se": clean(self.se)}


@dataclass(frozen=True)
class GapEstimate:
    """Female and male estimates of one variable in one domain and the gaps between them.

    ``difference`` = M − F, ``parity`` = F / M (ITU parity score), ``relative_gap`` =
    (M − F) / M (GSMA/EIU); SEs by the delta method with Cov(F, M) from the shared PSUs.
    """

    variable: str
    statistic: str
    domain: Domain
    female: ValueSE
    male: ValueSE
    covariance: float
    difference: ValueSE
    parity: ValueSE
    relative_gap: ValueSE
    n_female: int
    n_male: int
    flags: tuple[str, ...] = ()
    level: Scalar | None = None

    def to_record(self) -> dict[str, Any]:
        return {
            "variable": self.variable,
            "statistic": self.statistic,
            "level": self.level,
            "domain": dict(self.domain),
            "female": {**self.female.to_record(), "n": self.n_female},
            "male": {**self.male.to_record(), "n": self.n_male},
            "difference": self.difference.to_record(),
            "parity": self.parity.to_record(),
            "relative_gap": self.relative_gap.to_record(),
            "flags": list(self.flags),
        }
