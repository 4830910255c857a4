"""Problems found in a survey mapping, as a catalogue with stable codes, and their report.

A :class:`MappingReport` collects *every* problem (frictionless style) before anything is
estimated; each problem has a stable ``code``, a message and a location such as
``mapping.yaml: concepts.internet_use.column``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from equals.core.errors import ValidationError
from equals.core.i18n import Msg, localised
from equals.core.problems import Location, Problem, define, make

AREA = "survey mapping"
CODES: dict[str, str] = {
    "mapping-invalid": "the mapping file is not shaped as documented (missing or unknown key, "
    "wrong value type)",
    "unknown-column": "a mapped column is not in the survey file",
    "unmapped-code": "values present in the data that the mapping does not cover",
    "out-of-range": "numeric values outside their allowed range (e.g. age < 0 or > 120)",
    "wrong-type": "a column or code of the wrong type (e.g. a text age, a text code for a "
    "numeric column)",
    "conflicting-code": "the same code mapped to two meanings",
    "absent-code": "a code the computation needs (female, male) does not occur in the data",
    "missing-design-value": "a design column (weight, strata, PSU, fpc) has missing values",
    "negative-weight": "the weight column has negative values",
}
"""Every problem code of a mapping report with what it means (stable across releases);
registered in :data:`equals.core.problems.REGISTRY`."""

for _code, _meaning in CODES.items():
    define(_code, _meaning[0].upper() + _meaning[1:] + ".", area=AREA)

__all__ = ["CODES", "MappingError", "MappingReport", "Problem", "problem"]


def problem(
    code: str,
    message: str,
    file: str,
    field: str | None = None,
    *,
    line: int | None = None,
    column: int | None = None,
) -> Problem:
    """A mapping problem at ``file`` (and ``field``, a dotted path such as
    ``concepts.internet_use.column``, or a 1-based ``line``/``column`` of the YAML text)."""
    if code not in CODES:
        raise ValueError(f"unknown mapping problem code {code!r}")
    return make(code, message, location=Location(file=file, line=line, column=column, field=field))


@dataclass(frozen=True)
class MappingReport:
    """All problems of one mapping against one survey file (empty: valid)."""

    mapping: str
    data: str
    problems: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def _head(self) -> Msg:
        if self.valid:
            return Msg("%(mapping)s: valid for %(data)s", mapping=self.mapping, data=self.data)
        return Msg(
            "%(mapping)s: %(count)s problem(s) with %(data)s",
            mapping=self.mapping,
            count=len(self.problems),
            data=self.data,
        )

    def render(self) -> str:
        """The report in English: a head line, then each problem with its code."""
        if self.valid:
            return str(self._head())
        return "\n".join([self._head(), *(f"  - {p}" for p in self.problems)])

    def localised(self) -> str:
        """:meth:`render` in the current language, for the person reading it (the codes and
        locations stay as they are)."""
        if self.valid:
            return localised(self._head())
        lines = [f"  - {p.localised()} [{p.code}]" for p in self.problems]
        return "\n".join([localised(self._head()), *lines])

    def to_record(self) -> dict[str, Any]:
        return {
            "mapping": self.mapping,
            "data": self.data,
            "valid": self.valid,
            "problems": [p.to_record() for p in self.problems],
        }


class MappingError(ValidationError):
    """A mapping that cannot be used: carries the full report."""

    code = "invalid-mapping"

    def __init__(self, report: MappingReport) -> None:
        super().__init__(report.render(), location="")
        self.report = report

    def localised(self) -> str:
        """The full report in the current language (``str()`` stays English)."""
        return self.report.localised()

    @classmethod
    def of(cls, mapping: str, data: str, problems: Sequence[Problem]) -> MappingError:
        return cls(MappingReport(mapping, data, tuple(problems)))
