"""The root ``equals`` Typer app; command modules attach their commands to it."""

from __future__ import annotations

from typing import Annotated

import typer

from equals.cli.common import out
from equals.core.version import __version__

app = typer.Typer(
    name="equals",
    help="EQUALS Hub: evidence on the gender digital divide (Access, Skills, Leadership).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"equals-hub {__version__}")
        raise typer.Exit(0)
