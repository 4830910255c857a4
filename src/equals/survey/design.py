"""A survey design and the options of an estimation, as frozen values.

The design follows R ``survey``'s ``svydesign(ids=~psu, strata=~stratum, weights=~weight,
fpc=~fpc, nest=TRUE)``: one-stage (ultimate cluster) Taylor linearisation with a
with-replacement first stage unless an fpc is given (Lumley 2010, *Complex Surveys*, §2.2–2.3;
Wolter 2007, *Introduction to Variance Estimation*, ch. 6).

* No PSU column: every row is its own PSU (R ``ids=~1``).
* PSU ids are nested in strata: PSU 1 of stratum A and PSU 1 of stratum B are different
  PSUs (R ``nest=TRUE``).
* ``fpc``: per stratum either the population number of PSUs (values > 1) or the first-stage
  sampling fraction (values ≤ 1), detected exactly as R's ``as.fpc``: all values ≥ 1 with at
  least one > 1 are counts; all ≤ 1 are fractions (population = sampled PSUs / fraction,
  so 0 means an infinite population); anything else is an error. Unlike R, which only warns,
  an fpc that varies within a stratum is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from equals.core.i18n import Msg
from equals.survey.quality import QualityThresholds


class LonelyPSU(StrEnum):
    """What to do with a stratum that has a single PSU (R ``options(survey.lonely.psu=)``).

    ``error`` (R ``"fail"``, the default): refuse, naming the stratum. ``certainty`` and
    ``remove``: the stratum contributes no variance (identical formulas in R). ``adjust``:
    centre the stratum's PSU total at the population mean (zero for a linearised estimator)
    instead of the stratum mean — conservative. ``average``: replace the lonely strata's
    contributions by the average of the others (sum × strata / strata with ≥ 2 PSUs).
    A stratum whose fpc says every PSU was taken is self-representing and never lonely.
    """

    ERROR = "error"
    CERTAINTY = "certainty"
    REMOVE = "remove"
    ADJUST = "adjust"
    AVERAGE = "average"


class DfRule(StrEnum):
    """Degrees of freedom for confidence intervals.

    ``normal``: the normal quantile, as R's ``confint(svymean(...))`` (df = Inf).
    ``design``: Student t with R's ``degf(design)`` = number of PSUs − number of strata,
    counted in the domain (rows with non-zero weight), as ``svyciprop``'s default.
    """

    NORMAL = "normal"
    DESIGN = "design"


class CIMethod(StrEnum):
    """``wald``: estimate ± q·SE. ``logit`` (proportions only): the Wald interval on the logit
    scale, back-transformed, as R ``svyciprop(method="logit")``; other statistics keep Wald."""

    WALD = "wald"
    LOGIT = "logit"


class DeffMethod(StrEnum):
    """Reference variance of the design effect (R ``deff=`` argument).

    ``srswor`` (R ``deff=TRUE``, the default): simple random sampling *without* replacement of
    n from N = sum of weights, V_srs = s²(1 − n/N)/n — undefined (None) when the weights do
    not sum to more than n. ``srswr`` (R ``deff="replace"``): with replacement, V_srs = s²/n.
    s² is the weighted population variance estimate of R's ``svyvar`` (divisor n − 1).
    """

    SRSWOR = "srswor"
    SRSWR = "srswr"


@dataclass(frozen=True, slots=True)
class Design:
    """Column names of the design variables and the lonely-PSU rule."""

    weight: str
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    lonely_psu: LonelyPSU = LonelyPSU.ERROR

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c in (self.weight, self.strata, self.psu, self.fpc) if c)


@dataclass(frozen=True, slots=True)
class EstimationOptions:
    """Confidence level, df rule, CI method, design-effect reference and quality thresholds."""

    level: float = 0.95
    df: DfRule = DfRule.NORMAL
    ci: CIMethod = CIMethod.WALD
    deff: DeffMethod = DeffMethod.SRSWOR
    quality: QualityThresholds = field(default_factory=QualityThresholds)

    def __post_init__(self) -> None:
        if not 0 < self.level < 1:
            raise ValueError(
                Msg("confidence level must be in (0, 1), got %(level)s", level=str(self.level))
            )
