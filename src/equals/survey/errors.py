"""Errors of the survey engine: each a :class:`ValidationError` with a stable ``code``.

The CLI maps every one of them to exit code 2 with its message, which always names the file
(``location``) and, where there is one, the column.
"""

from __future__ import annotations

from collections.abc import Sequence

from equals.core.errors import ValidationError
from equals.core.i18n import Msg


def kind_name(kind: str) -> Msg:
    """The name of a column kind (:class:`~equals.survey.engine.ColumnKind` value) in a
    message: ``numeric``, ``boolean``, ``string`` or ``other`` in English."""
    match kind:
        case "numeric":
            return Msg("numeric")
        case "boolean":
            return Msg("boolean")
        case "string":
            return Msg("string")
        case "other":
            return Msg("other")
        case _:
            return Msg("%(kind)s", kind=kind)


class SurveyError(ValidationError):
    """Base class of the survey engine's input errors."""

    code = "survey-invalid"

    def __init__(self, message: str, *, location: str = "") -> None:
        super().__init__(message, location=location)


class SurveyFileError(SurveyError):
    """The file does not exist, or is not CSV, Parquet, Stata .dta or SPSS .sav."""

    code = "survey-file"


class MissingColumnError(SurveyError):
    code = "missing-column"

    def __init__(self, column: str, available: Sequence[str], *, location: str = "") -> None:
        shown = ", ".join(available[:40]) + (", …" if len(available) > 40 else "")
        super().__init__(
            Msg(
                "no column %(column)s (available: %(columns)s)", column=repr(column), columns=shown
            ),
            location=location,
        )
        self.column = column


class NonNumericWeightError(SurveyError):
    code = "non-numeric-weight"


class NegativeWeightError(SurveyError):
    code = "negative-weight"


class NonNumericVariableError(SurveyError):
    code = "non-numeric-variable"


class MissingDesignValueError(SurveyError):
    """A weight, stratum, PSU or fpc value is missing (R's svydesign refuses these too)."""

    code = "missing-design-value"


class EmptyDomainVariableError(SurveyError):
    """A domain variable (``--by``, or the sex of a gap) has no value on any row: no domain can
    be formed from it."""

    code = "empty-domain-variable"


class FpcError(SurveyError):
    """fpc mixes counts and fractions, varies within a stratum, or implies >100% sampling."""

    code = "bad-fpc"


class LonelyPSUError(SurveyError):
    """A stratum has a single PSU under the default ``error`` rule (R: lonely.psu='fail')."""

    code = "lonely-psu"


class UnknownEngineError(SurveyError):
    code = "unknown-engine"


class EngineUnavailableError(SurveyError):
    code = "engine-unavailable"


class DomainValueError(SurveyError):
    """A requested value (e.g. ``--female 2``) does not occur in its column."""

    code = "unknown-value"


class TooManyLevelsError(SurveyError):
    code = "too-many-levels"


class NonFiniteValueError(SurveyError):
    """NaN or ±infinity in the weight, a design column or an analysis variable: refused, never
    dropped silently (a NaN weight would lose its PSU; an infinite one nulls every estimate)."""

    code = "non-finite-value"

    def __init__(self, message: str, *, column: str, count: int, location: str = "") -> None:
        super().__init__(message, location=location)
        self.column = column
        self.count = count
