"""Standard-library logging with one format for the CLI, the server and the library.

Modules log through ``logging.getLogger(__name__)`` (names start with ``equals.``); only the
adapters call :func:`configure_logging`, once, with ``--log-level`` or ``Settings.log_level``.
Messages go to standard error as plain text: nothing interprets markup in them, so user text
(a file name, a search query) is written as it is.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
DATEFMT = "%Y-%m-%dT%H:%M:%S%z"
_HANDLER_NAME = "equals-hub"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the stream it was given, else to whatever ``sys.stderr`` is at each record
    (so a CLI run under a test runner that swaps and closes stderr never writes to a closed
    file)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._fixed: TextIO | None = stream
        super().__init__(stream)

    @property
    def stream(self) -> TextIO:
        return self._fixed if self._fixed is not None else sys.stderr

    @stream.setter
    def stream(self, value: TextIO | None) -> None:
        self._fixed = value if value is not sys.stderr else None


def configure_logging(level: str | int = "info", *, stream: TextIO | None = None) -> None:
    """Send ``equals.*`` and the server's (uvicorn's) records to stderr in :data:`FORMAT`.

    Idempotent: calling it again replaces this module's one handler (level and stream).
    """
    number = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
    if not isinstance(number, int):
        raise ValueError(f"unknown log level {level!r}")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    handler = _StderrHandler(stream)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT, DATEFMT))
    root.addHandler(handler)
    for name in ("equals", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.setLevel(number)
        if name.startswith("uvicorn"):
            logger.handlers.clear()  # uvicorn's own config is off (log_config=None)
            logger.propagate = True
    root.setLevel(logging.WARNING if number < logging.WARNING else number)
