"""The archive's errors, with stable codes (HTTP status in web/app.py, CLI exit codes)."""

from __future__ import annotations

from equals.core.errors import EqualsError, NotFoundError
from equals.store import StoreError


class ReportNotFiledError(EqualsError):
    """The report cannot be filed as given (no title, no event, validation errors)."""

    code = "report-not-filed"


class UnknownSessionError(NotFoundError):
    code = "unknown-session"

    def __init__(self, value: int | str) -> None:
        super().__init__("session", str(value))


class ArchiveBusyError(StoreError):
    """Concurrent writers kept colliding; nothing was written (HTTP 503: try again)."""

    code = "archive-busy"
