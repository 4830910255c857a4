"""Errors with stable codes (a catalogue, as in frictionless).

Every error a user can cause has a ``code`` that stays the same across releases, a
human message, and optional suggestions. Adapters map them to exit codes and HTTP status.
"""

from __future__ import annotations

from collections.abc import Sequence


class EqualsError(Exception):
    """Base class: ``code`` is stable, ``message`` is for people."""

    code: str = "equals-error"

    def __init__(self, message: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = tuple(suggestions)

    def __str__(self) -> str:
        if self.suggestions:
            return f"{self.message} (did you mean: {', '.join(self.suggestions)}?)"
        return self.message


class NotFoundError(EqualsError):
    """A named thing (indicator, country, source) does not exist."""

    code = "not-found"

    def __init__(self, kind: str, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__(f"unknown {kind} {value!r}", suggestions=suggestions)
        self.kind = kind
        self.value = value


class UnknownIndicatorError(NotFoundError):
    code = "unknown-indicator"

    def __init__(self, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__("indicator", value, suggestions=suggestions)


class UnknownCountryError(NotFoundError):
    code = "unknown-country"

    def __init__(self, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__("country", value, suggestions=suggestions)


class UnknownSourceError(NotFoundError):
    code = "unknown-source"

    def __init__(self, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__("source", value, suggestions=suggestions)


class ValidationError(EqualsError):
    """Input that cannot be used as given; ``location`` names file/row/field."""

    code = "invalid"

    def __init__(self, message: str, *, location: str = "", code: str | None = None) -> None:
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location
        if code is not None:
            self.code = code


class DataFileError(ValidationError):
    """A bundled or imported data file does not have the shape we expect."""

    code = "bad-data-file"


class PermissionDeniedError(EqualsError):
    """The user is known but may not do this (HTTP 403, CLI exit 2)."""

    code = "forbidden"


class PreconditionRequiredError(EqualsError):
    """An update of an editable record came without the version it was based on (HTTP 428)."""

    code = "precondition-required"


class EditConflictError(EqualsError):
    """An update was based on an older version of the record: nothing was written (HTTP 409).

    ``current`` is the record's version now, so a client can fetch it and merge.
    """

    code = "edit-conflict"

    def __init__(self, what: str, *, based_on: int, current: int) -> None:
        super().__init__(
            f"{what} changed since version {based_on} (it is at version {current} now); "
            "nothing was written: reload it, merge your changes and try again"
        )
        self.based_on = based_on
        self.current = current
