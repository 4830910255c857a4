"""The one error a report file can raise: it cannot be read as a report."""

from __future__ import annotations

from equals.core.errors import ValidationError
from equals.core.i18n import Msg


class UnreadableReportError(ValidationError):
    """The file is missing, empty, binary, corrupt, or over a safety limit.

    The message names the file and says what to do; ``code`` is ``unreadable-report``
    (CLI exit 2, HTTP 422).
    """

    code = "unreadable-report"

    def __init__(self, name: str, reason: str) -> None:
        # ``reason`` is a Msg where it is a sentence of ours (rendered in the same language).
        super().__init__(
            Msg("cannot read session report: %(reason)s", reason=reason), location=name
        )
        self.name = name
        self.reason = reason
