"""Errors with stable codes (a catalogue, as in frictionless).

Every error a user can cause has a ``code`` that stays the same across releases, a
human message, optional suggestions and a location. Each exception class registers its code
in :data:`equals.core.problems.REGISTRY` (its docstring is the code's meaning), and
:attr:`EqualsError.problem` gives the one problem shape that reports and the API use.
Adapters map exception *types* to exit codes and HTTP status, never code strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from equals.core.i18n import Msg, localised
from equals.core.problems import (
    NOWHERE,
    Location,
    Problem,
    Severity,
    define,
    register_class,
    with_suggestions,
)

SHOWN_MAX = 80
"""Longest user value echoed in a message (longer ones are cut, with their length)."""


def shown(value: str, limit: int = SHOWN_MAX) -> str:
    """``repr`` of a user value for a message, cut to ``limit`` characters."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[: limit - 1]!r}… ({len(value):,} characters)"


def _area(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] == "core":
        return "general"
    if parts[1:3] == ["indicators", "microdata"]:
        return "survey mapping"
    return parts[1]


class EqualsError(Exception):
    """Base class of the platform's errors: ``code`` is stable, ``message`` is for people."""

    code: str = "equals-error"
    severity: Severity = Severity.ERROR

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:
            register_class(cls.code, cls.__qualname__, cls.__doc__, _area(cls.__module__))

    def __init__(
        self,
        message: str,
        *,
        suggestions: Sequence[str] = (),
        location: Location | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = tuple(suggestions)
        self.where: Location = location or NOWHERE
        self.detail = message  # the message without its location prefix
        self._prefix = ""  # the location prefix of ``message`` (see ValidationError)

    def __str__(self) -> str:
        if self.suggestions:
            return f"{self.message} (did you mean: {', '.join(self.suggestions)}?)"
        return self.message

    def localised(self) -> str:
        """``str(self)`` in the current language, for a person reading it (CLI, HTML pages).

        The message is translated when it was raised as a :class:`~equals.core.i18n.Msg`;
        ``str()`` stays English (logs, the API's JSON, anything stored)."""
        if self._prefix:
            text = f"{self._prefix}: {localised(self.detail)}"
        elif self.detail == self.message:
            text = localised(self.detail)
        else:
            text = localised(self.message)
        return with_suggestions(text, self.suggestions)

    @property
    def problem(self) -> Problem:
        """This error as a :class:`Problem` (code, severity, message, location, suggestions)."""
        return Problem(self.code, self.detail, self.severity, self.where, self.suggestions)


register_class(EqualsError.code, "EqualsError", EqualsError.__doc__, "general")


def message_of(exc: BaseException) -> str:
    """What a person reads of an exception: a library error in the current language
    (:meth:`EqualsError.localised`), another exception raised with one :class:`Msg`
    (e.g. ``ValueError(Msg(...))`` for an option out of range) in the current language too,
    any other exception as its ``str``."""
    if isinstance(exc, EqualsError):
        return exc.localised()
    if len(exc.args) == 1 and isinstance(exc.args[0], Msg):
        return exc.args[0].localised()
    return str(exc)


def unknown(kind: str, value: str) -> Msg:
    """ "unknown <kind> '<value>'", one message per kind of thing so that each language can
    agree its words (``kind`` is the English name the code uses)."""
    v = shown(value)
    match kind:
        case "indicator":
            return Msg("unknown indicator %(value)s", value=v)
        case "country":
            return Msg("unknown country %(value)s", value=v)
        case "source":
            return Msg("unknown source %(value)s", value=v)
        case "ITU indicator":
            return Msg("unknown ITU indicator %(value)s", value=v)
        case "release":
            return Msg("unknown release %(value)s", value=v)
        case "template":
            return Msg("unknown template %(value)s", value=v)
        case "target":
            return Msg("unknown target %(value)s", value=v)
        case "session":
            return Msg("unknown session %(value)s", value=v)
        case "user":
            return Msg("unknown user %(value)s", value=v)
        case "organization":
            return Msg("unknown organization %(value)s", value=v)
        case "initiative":
            return Msg("unknown initiative %(value)s", value=v)
        case "partner":
            return Msg("unknown partner %(value)s", value=v)
        case "coalition":
            return Msg("unknown coalition %(value)s", value=v)
        case "governance seat":
            return Msg("unknown governance seat %(value)s", value=v)
        case "person":
            return Msg("unknown person %(value)s", value=v)
        case _:
            return Msg("unknown %(kind)s %(value)s", kind=kind, value=v)


class NotFoundError(EqualsError):
    """A named thing (indicator, country, source, record) does not exist."""

    code = "not-found"

    def __init__(self, kind: str, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__(unknown(kind, value), suggestions=suggestions)
        self.kind = kind
        self.value = value


class UnknownIndicatorError(NotFoundError):
    """No indicator of the catalogue has this id."""

    code = "unknown-indicator"

    def __init__(self, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__("indicator", value, suggestions=suggestions)


class UnknownCountryError(NotFoundError):
    """No country, territory or aggregate has this code (ISO3, ISO2 or e.g. WB:WLD)."""

    code = "unknown-country"

    def __init__(self, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__("country", value, suggestions=suggestions)


class UnknownSourceError(NotFoundError):
    """No data source has this id (or the indicator has no data from it)."""

    code = "unknown-source"

    def __init__(self, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__("source", value, suggestions=suggestions)


class UnknownItuIndicatorError(NotFoundError):
    """No ITU household/individual ICT indicator has this code or id (e.g. HH7)."""

    code = "unknown-itu-indicator"

    def __init__(self, value: str, *, suggestions: Sequence[str] = ()) -> None:
        super().__init__("ITU indicator", value, suggestions=suggestions)


class ValidationError(EqualsError):
    """Input that cannot be used as given; ``location`` names the file, row or field."""

    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        location: str | Location = "",
        code: str | None = None,
        suggestions: Sequence[str] = (),
    ) -> None:
        where = Location.parse(location) if isinstance(location, str) else location
        text = location if isinstance(location, str) else str(location)
        super().__init__(
            f"{text}: {message}" if text else message, suggestions=suggestions, location=where
        )
        self.location = text
        self.detail = message
        self._prefix = text
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
            Msg(
                "%(what)s changed since version %(based_on)s (it is at version %(current)s "
                "now); nothing was written: reload it, merge your changes and try again",
                what=what,
                based_on=based_on,
                current=current,
            )
        )
        self.based_on = based_on
        self.current = current


class DatabaseUnavailableError(EqualsError):
    """The database cannot be reached (server down, wrong host or credentials, unreadable
    file): nothing is wrong with the request, and nothing was written (HTTP 503, CLI exit 3)."""

    code = "database-unavailable"


# Codes given at run time (``ValidationError(..., code=...)``) rather than by a class.
define(
    "invalid-parameter",
    "A request parameter or header has a value the API does not accept; the message names it.",
    area="api",
)
define("bad-range", "A range whose start is after its end (e.g. from > to).", area="evidence")
define(
    "invalid-setting",
    "A setting (environment variable or option) has a value that cannot be used.",
    area="general",
)

from equals.core import codes as _codes  # noqa: E402,F401  (fallback meanings; see that module)
