"""Quality flags attached to every estimate, with documented, configurable thresholds.

Defaults:

* ``small_n`` — fewer than 30 unweighted observations: the minimum sample size of the US
  National Center for Health Statistics *Data Presentation Standards for Proportions*
  (Parker et al. 2017, Vital Health Stat 2(175)).
* ``use_with_caution`` — coefficient of variation above 16.6 % and up to 33.3 %;
  ``unreliable`` — CV above 33.3 %: Statistics Canada's release guidelines for the Labour
  Force Survey (quality letters "E" and "F", *Guide to the Labour Force Survey*, 71-543-G).
* ``no_data`` — no observation in the domain; ``variance_not_estimable`` — the SE is undefined
  (e.g. a single PSU and no strata); ``cv_undefined`` — the estimate is zero.

CV = SE / |estimate| (R ``cv()``, which divides by the estimate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from equals.core.i18n import Msg


@dataclass(frozen=True, slots=True)
class QualityThresholds:
    min_n: int = 30
    cv_caution: float = 0.166
    cv_unreliable: float = 0.333

    def __post_init__(self) -> None:
        if not 0 <= self.cv_caution <= self.cv_unreliable:
            raise ValueError(Msg("need 0 ≤ cv_caution ≤ cv_unreliable"))


def quality_flags(n: int, se: float, cv: float | None, t: QualityThresholds) -> tuple[str, ...]:
    """Flags for one estimate from its unweighted n, SE and CV."""
    if n == 0:
        return ("no_data",)
    flags: list[str] = []
    if n < t.min_n:
        flags.append("small_n")
    if not math.isfinite(se):
        flags.append("variance_not_estimable")
    elif cv is None:
        flags.append("cv_undefined")
    elif cv > t.cv_unreliable:
        flags.append("unreliable")
    elif cv > t.cv_caution:
        flags.append("use_with_caution")
    return tuple(flags)
