"""One problem model: a :class:`Problem` type and one registry of stable codes.

Everything a user can get wrong, or that can go wrong for them, is a *problem* with

* a stable ``code`` (kebab-case, never renamed once released),
* a ``severity`` (error, warning, info),
* a ``message`` for people,
* a :class:`Location` — file, line, column, row, field (each optional),
* ``suggestions`` (e.g. the closest valid names).

The same shape is used by exceptions (:class:`equals.core.errors.EqualsError.problem`),
validation reports (survey mappings, session reports, bundle checks) and the API's error
body (``{"error": {"code", "message", "severity", "location", "suggestions", ...}}``).

Every code is registered once in :data:`REGISTRY` with its meaning: exception classes register
themselves (their docstring is the meaning), report catalogues call :func:`define` or
:func:`define_catalogue`. ``docs/problems.md`` is generated from the registry
(:func:`problems_markdown`; a test fails when the page is stale).

Adapters dispatch on exception *types* (``NotFoundError`` → 404, ``ValidationError`` → 422 …),
never on code strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from equals.core.i18n import _, localised

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class Severity(StrEnum):
    """How bad a problem is: an ``error`` stops the work (or makes a report invalid)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is; every part is optional.

    ``field`` is a dotted path inside a document (``concepts.internet_use.column``), a form
    field, a column name or an API parameter; ``row`` is a 1-based data row, ``line`` and
    ``column`` a 1-based position in a text file.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    row: int | None = None
    field: str | None = None

    @classmethod
    def parse(cls, text: str) -> Location:
        """A location from the text form older code passes (``"file: field"``, a file name,
        or a parameter/field name)."""
        text = text.strip()
        if not text:
            return cls()
        head, sep, tail = text.partition(": ")
        if sep and head and tail:
            return cls(file=head, field=tail.strip())
        if _looks_like_file(text):
            return cls(file=text)
        return cls(field=text)

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.file, self.line, self.column, self.row, self.field))

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            pos = self.file
            if self.line is not None:
                pos += f":{self.line}"
                if self.column is not None:
                    pos += f":{self.column}"
            parts.append(pos)
        elif self.line is not None:
            parts.append(f"line {self.line}" + (f":{self.column}" if self.column else ""))
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(self.field)
        return ": ".join(parts)

    def to_record(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "row": self.row,
            "field": self.field,
        }


def _looks_like_file(text: str) -> bool:
    if " " in text or "\n" in text:
        return False
    if "/" in text or "\\" in text or text.startswith("<"):
        return True
    return bool(PurePosixPath(text).suffix) and not text.startswith(".")


NOWHERE = Location()


def with_suggestions(text: str, suggestions: Sequence[str]) -> str:
    """``text`` followed by "(did you mean: a, b?)" in the current language, when there are
    suggestions (how errors and problems end for people)."""
    if not suggestions:
        return text
    return _("%(text)s (did you mean: %(names)s?)", text=text, names=", ".join(suggestions))


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: what (``code``), how bad, where, and what to do instead.

    Build problems of a report with :func:`make`, which checks that the code is registered
    (a test checks every code the source uses, so an exception's problem never fails).
    """

    code: str
    message: str
    severity: Severity = Severity.ERROR
    location: Location = NOWHERE
    suggestions: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.suggestions:
            text += f" (did you mean: {', '.join(self.suggestions)}?)"
        return f"{text} [{self.code}]"

    def localised(self) -> str:
        """Location, message and suggestions in the current language (no code), for people."""
        text = localised(self.message)
        if self.location:
            text = f"{self.location}: {text}"
        return with_suggestions(text, self.suggestions)

    def to_record(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_record(),
            "suggestions": list(self.suggestions),
        }


@dataclass(frozen=True, slots=True)
class ProblemType:
    """A registered code: its meaning, default severity, the area of the platform that
    raises it, and the exception classes that carry it (if any)."""

    code: str
    meaning: str
    severity: Severity = Severity.ERROR
    area: str = ""
    classes: tuple[str, ...] = field(default=())
    explicit: bool = True  # False: registered from an exception class without a definition

    def problem(
        self,
        message: str,
        *,
        location: Location = NOWHERE,
        suggestions: Sequence[str] = (),
        severity: Severity | None = None,
    ) -> Problem:
        return Problem(self.code, message, severity or self.severity, location, tuple(suggestions))


REGISTRY: dict[str, ProblemType] = {}
"""Every problem code of the platform, by code (populated as modules are imported)."""


def _check_code(code: str) -> None:
    if not CODE_PATTERN.match(code):
        raise ValueError(f"problem code {code!r} is not kebab-case (e.g. 'unknown-country')")


def define(
    code: str, meaning: str, *, severity: Severity = Severity.ERROR, area: str = ""
) -> ProblemType:
    """Register ``code`` with its meaning (idempotent for the same meaning).

    Two different meanings for one code are a programming error (``ValueError``): a code
    means one thing everywhere. A definition replaces the weaker entry an exception class
    without a definition made.
    """
    _check_code(code)
    meaning = " ".join(meaning.split())
    if not meaning:
        raise ValueError(f"problem code {code!r} needs a meaning")
    old = REGISTRY.get(code)
    if old is not None and old.explicit:
        if old.meaning != meaning:
            raise ValueError(
                f"problem code {code!r} is already defined as {old.meaning!r} ({old.area}); "
                f"cannot also mean {meaning!r}"
            )
        return old
    entry = ProblemType(
        code,
        meaning,
        severity,
        area or (old.area if old else ""),
        old.classes if old else (),
        explicit=True,
    )
    REGISTRY[code] = entry
    return entry


def define_catalogue(area: str, entries: Iterable[tuple[str, str, str]]) -> None:
    """Register a report catalogue: ``(code, severity, meaning)`` triples (the adapter for
    catalogues such as the session-report checks)."""
    for code, severity, meaning in entries:
        define(code, meaning, severity=Severity(severity), area=area)


def register_class(code: str, qualname: str, doc: str | None, area: str) -> None:
    """Attach an exception class to ``code`` (called by ``EqualsError.__init_subclass__``).

    The class's docstring (first paragraph) is the meaning unless the code is defined.
    """
    _check_code(code)
    old = REGISTRY.get(code)
    meaning = " ".join((doc or "").strip().split("\n\n")[0].split())
    if old is not None:
        weak = not old.explicit and (not old.meaning or old.meaning == _DESCRIBED.get(code))
        REGISTRY[code] = ProblemType(
            code,
            meaning if weak and meaning else old.meaning,
            old.severity,
            old.area or area,
            (*old.classes, qualname),
            old.explicit,
        )
        return
    REGISTRY[code] = ProblemType(code, meaning, Severity.ERROR, area, (qualname,), explicit=False)


_DESCRIBED: dict[str, str] = {}


def describe(code: str, meaning: str, *, area: str = "") -> None:
    """A meaning for a code whose owner has not documented it yet (see
    :mod:`equals.core.codes`): weaker than :func:`define` and than a class docstring."""
    _check_code(code)
    meaning = " ".join(meaning.split())
    _DESCRIBED[code] = meaning
    old = REGISTRY.get(code)
    if old is None:
        REGISTRY[code] = ProblemType(code, meaning, Severity.ERROR, area, (), explicit=False)
    elif not old.explicit and not old.meaning:
        REGISTRY[code] = ProblemType(
            code, meaning, old.severity, old.area or area, old.classes, explicit=False
        )


def described() -> frozenset[str]:
    """Codes that have only a fallback description (their owners should document them)."""
    return frozenset(c for c, e in REGISTRY.items() if e.meaning == _DESCRIBED.get(c))


def problem_type(code: str) -> ProblemType:
    """The registered type of ``code``; ``ValueError`` naming the closest codes otherwise."""
    try:
        return REGISTRY[code]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(code, list(REGISTRY), n=3)
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        raise ValueError(f"unknown problem code {code!r}{hint}") from None


def make(
    code: str,
    message: str,
    *,
    location: Location | str = NOWHERE,
    suggestions: Sequence[str] = (),
    severity: Severity | None = None,
) -> Problem:
    """A problem of a registered ``code`` (its default severity unless given)."""
    where = Location.parse(location) if isinstance(location, str) else location
    return problem_type(code).problem(
        message, location=where, suggestions=suggestions, severity=severity
    )


def problems_markdown(registry: Mapping[str, ProblemType] | None = None) -> str:
    """The reference page of every code (``docs/problems.md``), grouped by area."""
    reg = REGISTRY if registry is None else registry
    by_area: dict[str, list[ProblemType]] = {}
    for entry in reg.values():
        by_area.setdefault(entry.area or "general", []).append(entry)
    lines = [
        "# Problem codes",
        "",
        "<!-- Generated from equals.core.problems.REGISTRY: `equals problems --markdown`",
        "     (tests/test_problems.py fails when this page is stale; EQUALS_UPDATE_DOCS=1",
        "     .venv/bin/python -m pytest tests/test_problems.py rewrites it) -->",
        "",
        "Every problem the platform reports has a stable code (never renamed once released), a",
        "severity, a message, a location (file, line, column, row, field — where known) and,",
        "where it helps, suggestions. The same shape is used by the CLI, validation reports and",
        'the API\'s error body: `{"error": {"code": …, "message": …, "severity": …, '
        '"location": {…}, "suggestions": […]}}`.',
        "",
        "Exit codes of the CLI: 2 for bad input (any error below raised by a command), 1 when a",
        "validation report has errors, 3 when the database cannot be reached or is not ready.",
        "",
        f"{len(reg)} codes. *Raised as* names the exception classes of a code; — means the",
        "code is a finding of a validation report or is given to a generic error at run time",
        "(`ValidationError(..., code=...)`).",
        "",
    ]
    for area in sorted(by_area):
        lines += [
            f"## {area}",
            "",
            "| code | severity | meaning | raised as |",
            "|---|---|---|---|",
        ]
        for e in sorted(by_area[area], key=lambda x: x.code):
            raised = ", ".join(f"`{c}`" for c in sorted(set(e.classes))) or "—"
            meaning = e.meaning.replace("|", "\\|") or "(undocumented)"
            lines.append(f"| `{e.code}` | {e.severity.value} | {meaning} | {raised} |")
        lines.append("")
    return "\n".join(lines)
