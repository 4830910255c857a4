"""The ``equals`` command line: thin Typer commands over the library.

Exit codes: 0 success; 1 a report found problems; 2 bad input (unknown indicator or country,
bad option value, unreadable file). Each command group lives in its own module and attaches
itself to :data:`equals.cli.app.app`.
"""

from __future__ import annotations

from equals.cli import analysis as _analysis  # noqa: F401  (registers commands)
from equals.cli import backup as _backup  # noqa: F401  (registers commands)
from equals.cli import data as _data  # noqa: F401  (registers commands)
from equals.cli import evidence as _evidence  # noqa: F401  (registers commands)
from equals.cli import partners as _partners  # noqa: F401  (registers commands)
from equals.cli import problems as _problems  # noqa: F401  (registers commands)
from equals.cli import sessions as _sessions  # noqa: F401  (registers commands)
from equals.cli import sessions_people as _sessions_people  # noqa: F401  (registers commands)
from equals.cli import sessions_store as _sessions_store  # noqa: F401  (registers commands)
from equals.cli import survey as _survey  # noqa: F401  (registers commands)
from equals.cli import survey_data as _survey_data  # noqa: F401  (registers commands)
from equals.cli import survey_indicators as _survey_indicators  # noqa: F401  (registers commands)
from equals.cli import users as _users  # noqa: F401  (registers commands)
from equals.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
