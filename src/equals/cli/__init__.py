"""The ``equals`` command line: thin Typer commands over the library.

Exit codes: 0 success; 1 a report found problems; 2 bad input (unknown indicator or country,
bad option value, unreadable file). Each command group lives in its own module (named in
:data:`equals.cli.lazy.MODULES`) and attaches itself to :data:`equals.cli.app.app`; the root
group lists commands from an index and imports a module only when one of its commands runs
(:mod:`equals.cli.lazy`), so ``equals --help`` imports no library.
"""

from __future__ import annotations

from equals.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
