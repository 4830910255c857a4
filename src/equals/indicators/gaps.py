"""Gender gap metrics, each with its published formula.

For an indicator with a female value F and a male value M:

* **parity** — ITU gender parity score, ``F / M``. ITU reads 0.98–1.02 as parity; below 0.98
  favours men, above 1.02 favours women (ITU, *Measuring digital development: Facts and
  figures*, "gender parity score").
* **relative** — GSMA *Mobile Gender Gap Report* / EIU *Inclusive Internet Index* relative gap,
  ``(M − F) / M``: "women are x% less likely than men to …". Positive = women behind.
* **difference** — World Bank Gender Data Portal difference, ``F − M`` in the indicator's unit
  (percentage points for rates). Negative = women behind.

For a *female-share* indicator with share S (% of a group who are women), the group's men are
``100 − S``; the same three metrics apply with ``F = S`` and ``M = 100 − S`` (so parity is women
per man), and **distance from parity** is ``S − 50`` percentage points.

A metric whose denominator is missing or zero is *not computable* (``None``), never infinite
(a ratio that overflows a float is not computable either).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from equals.core.vocabulary import IndicatorKind

PARITY_LOW = 0.98
PARITY_HIGH = 1.02
PARITY_SHARE = 50.0


class GapMetric(StrEnum):
    PARITY = "parity"
    RELATIVE = "relative"
    DIFFERENCE = "difference"


class ParityStatus(StrEnum):
    """Where a parity score falls against ITU's 0.98–1.02 band."""

    FAVOURS_MEN = "favours_men"
    PARITY = "parity"
    FAVOURS_WOMEN = "favours_women"
    NOT_COMPUTABLE = "not_computable"


def _finite(x: float | None) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def parity_score(female: float | None, male: float | None) -> float | None:
    """ITU parity score ``F / M``; ``None`` when M is missing or zero."""
    f, m = _finite(female), _finite(male)
    if f is None or m is None or m == 0:
        return None
    return _finite(f / m)


def relative_gap(female: float | None, male: float | None) -> float | None:
    """GSMA/EIU relative gap ``(M − F) / M``; ``None`` when M is missing or zero."""
    f, m = _finite(female), _finite(male)
    if f is None or m is None or m == 0:
        return None
    return _finite((m - f) / m)


def difference(female: float | None, male: float | None) -> float | None:
    """World Bank difference ``F − M``; ``None`` when either is missing."""
    f, m = _finite(female), _finite(male)
    if f is None or m is None:
        return None
    return _finite(f - m)


def parity_status(score: float | None) -> ParityStatus:
    """Classify a parity score against the 0.98–1.02 band (inclusive)."""
    if score is None:
        return ParityStatus.NOT_COMPUTABLE
    if score < PARITY_LOW:
        return ParityStatus.FAVOURS_MEN
    if score > PARITY_HIGH:
        return ParityStatus.FAVOURS_WOMEN
    return ParityStatus.PARITY


@dataclass(frozen=True, slots=True)
class Gap:
    """All gap metrics for one female/male comparison."""

    female: float | None
    male: float | None
    parity: float | None
    relative: float | None
    difference: float | None
    status: ParityStatus
    # Only for female-share indicators: S − 50 percentage points.
    distance_from_parity: float | None = None

    def metric(self, which: GapMetric) -> float | None:
        return {
            GapMetric.PARITY: self.parity,
            GapMetric.RELATIVE: self.relative,
            GapMetric.DIFFERENCE: self.difference,
        }[which]


def gap(female: float | None, male: float | None) -> Gap:
    """Gap metrics for a female/male pair of values."""
    p = parity_score(female, male)
    return Gap(
        female=_finite(female),
        male=_finite(male),
        parity=p,
        relative=relative_gap(female, male),
        difference=difference(female, male),
        status=parity_status(p),
    )


def share_gap(share: float | None) -> Gap:
    """Gap metrics for a female share ``S`` (%), with men's share ``100 − S``."""
    s = _finite(share)
    if s is None:
        return gap(None, None)
    g = gap(s, 100.0 - s)
    return Gap(
        female=g.female,
        male=g.male,
        parity=g.parity,
        relative=g.relative,
        difference=g.difference,
        status=g.status,
        distance_from_parity=s - PARITY_SHARE,
    )


def gap_for(kind: IndicatorKind, female: float | None, male: float | None = None) -> Gap:
    """Dispatch on the indicator kind (``male`` is ignored for female-share indicators)."""
    if kind is IndicatorKind.FEMALE_SHARE:
        return share_gap(female)
    return gap(female, male)
