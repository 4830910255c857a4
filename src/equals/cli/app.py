"""The root ``equals`` Typer app; command modules attach their commands to it.

Its group imports a command's module only when the command is resolved (:mod:`equals.cli.lazy`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from equals.cli.common import ProblemGroup, out
from equals.cli.context import cli_settings
from equals.cli.lazy import LazyGroup
from equals.core.version import __version__
from equals.logs import configure_logging


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


class RootGroup(ProblemGroup, LazyGroup):
    """The ``equals`` group: library errors end in one line (:class:`ProblemGroup`), and
    commands are listed from the index and imported when they run (:class:`LazyGroup`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fill()


app = typer.Typer(
    name="equals",
    help="EQUALS Hub: evidence on the gender digital divide (Access, Skills, Leadership).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=RootGroup,  # library errors end in one `error: …` line, never a traceback
)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
    log_level: Annotated[
        LogLevel | None,
        typer.Option(
            "--log-level",
            help="Logging threshold (default: $EQUALS_LOG_LEVEL, else info). Logs go to stderr.",
            case_sensitive=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=(
                "Language of help and messages: en, fr or es (default: $LC_ALL, $LC_MESSAGES "
                "or $LANG; any other language is English)."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    # --lang is applied before parsing (ProblemGroup.main), so that help is translated too.
    configure_logging(log_level.value if log_level else cli_settings().log_level)
    if version:
        out.print(f"equals-hub {__version__}")
        raise typer.Exit(0)
