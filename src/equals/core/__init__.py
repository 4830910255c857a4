"""Pure vocabulary of EQUALS Hub: no I/O, no third-party state."""

from __future__ import annotations

from equals.core.errors import EqualsError, NotFoundError, ValidationError
from equals.core.vocabulary import IndicatorKind, Pillar, Sex, StakeholderGroup

__all__ = [
    "EqualsError",
    "IndicatorKind",
    "NotFoundError",
    "Pillar",
    "Sex",
    "StakeholderGroup",
    "ValidationError",
]
