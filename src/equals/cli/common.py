"""Shared pieces of the CLI: consoles, options, output formats, errors, progress.

Text that comes from users or data is never interpreted as Rich markup: messages go out as
:class:`rich.text.Text` (``say``, ``fail``), table cells and titles too. Errors raised by the
library reach the user through one path (:func:`report`, installed on the root command by
:class:`ProblemGroup`): ``error: <message>`` on stderr and an exit code chosen by the error's
type — 2 for bad input, 3 when the database cannot be reached or is not ready.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer._click as typer_click
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from equals.cli.context import requested_language
from equals.cli.localise import localise, localise_click_error
from equals.core.errors import DatabaseUnavailableError, EqualsError
from equals.core.i18n import _, localised, use_language
from equals.settings import ENV_DB, default_db_url

if TYPE_CHECKING:  # the store, the evidence queries and the bootstrap load at first use:
    # `equals --help` and commands that need no database never import SQLAlchemy or pandas.
    from equals.bootstrap import SetupReport
    from equals.evidence.queries import Evidence
    from equals.store import Store

# Nothing printed through these is read as Rich markup: names, titles, paths and queries come
# from users and reports, and "[bold]KEM" must print as typed. Style goes in Text objects.
out = Console(markup=False, highlight=False)
err = Console(stderr=True, markup=False, highlight=False)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=ENV_DB,
        help=(
            f"Database URL (default: ${ENV_DB}, else SQLite at "
            "~/.local/share/equals-hub/equals.db)."
        ),
        show_default=False,
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]


EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3

EXIT_CODES: dict[type[EqualsError] | str, int] = {
    DatabaseUnavailableError: EXIT_DATABASE,
    "equals.store.store.StoreError": EXIT_DATABASE,
}
"""Exit code by error type (nearest base class); every other library error is bad input.

A type may be named by ``"module.Class"`` (where it is defined), so that naming it does not
import its module: the CLI imports the store only for commands that use it."""


def exit_code(exc: EqualsError) -> int:
    for cls in type(exc).__mro__:
        for key in (cls, f"{cls.__module__}.{cls.__qualname__}"):
            if key in EXIT_CODES:
                return EXIT_CODES[key]
    return EXIT_BAD_INPUT


def say(message: str, *, console: Console | None = None, style: str = "") -> None:
    """Print text as it is: brackets in names, titles or paths are never markup."""
    (console or out).print(Text(message, style=style), highlight=False, soft_wrap=True)


def fail(message: str | EqualsError, code: int | None = None) -> typer.Exit:
    """Print ``error: <message>`` (never interpreted as markup) and return the Exit to raise.

    Given a library error, its exit code follows its type (:data:`EXIT_CODES`)."""
    if isinstance(message, EqualsError):
        text, default = message.localised(), exit_code(message)
    else:
        text, default = localised(message), EXIT_BAD_INPUT
    line = Text(_("error:"), style="bold red")
    line.append(" " + text)
    err.print(line, highlight=False, soft_wrap=True)
    return typer.Exit(default if code is None else code)


def report(exc: EqualsError) -> typer.Exit:
    """The one error path for library errors a command did not handle itself."""
    return fail(exc)


class ProblemGroup(TyperGroup):
    """The root command group: a library error anywhere below it ends in :func:`report`,
    never in a traceback; every run is in the language it asks for
    (:func:`equals.cli.context.requested_language`), help texts included."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        argv = kwargs["args"] if "args" in kwargs else (args[0] if args else None)
        argv = sys.argv[1:] if argv is None else argv
        with use_language(requested_language([str(a) for a in argv])):
            localise(self)
            return super().main(*args, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except typer_click.ClickException as exc:
            raise localise_click_error(exc) from None

    def invoke(self, ctx: Any) -> Any:  # typer vendors click: its Context type is private
        try:
            return super().invoke(ctx)
        except EqualsError as exc:
            raise report(exc) from exc
        except typer_click.ClickException as exc:  # bad usage below: in the run's language
            raise localise_click_error(exc) from None


def progress_init(store: Store, *, force: bool = False, examples: bool = True) -> SetupReport:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from equals.bootstrap import initialise

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def step(desc: str, done: int, total: int) -> None:
            if desc not in tasks:
                tasks[desc] = bar.add_task(localised(desc), total=max(total, 1))
            bar.update(tasks[desc], completed=done, total=max(total, 1))

        return initialise(store, force=force, examples=examples, progress=step)


def open_store(db: str | None) -> Store:
    """The store of ``--db``, loaded with the bundled data first if it has never been (or is
    on an older schema); a database that cannot be reached is reported as such (exit 3)."""
    from equals.evidence.database import DatabaseState, database_state
    from equals.store import Store

    store = Store(db or default_db_url())
    state = database_state(store)
    if state is not DatabaseState.READY:
        if state is DatabaseState.NOT_INITIALISED:
            message = _("Database not initialised: loading the bundled data first…")
        else:
            message = _("Database outdated: loading the bundled data first…")
        say(message, console=err)
        progress_init(store)
    return store


def open_evidence(db: str | None) -> Evidence:
    """Open the store (see :func:`open_store`) and its evidence queries."""
    from equals.evidence.queries import Evidence

    return Evidence(open_store(db))


def emit(
    records: list[dict[str, Any]], fmt: OutputFormat, columns: list[str], title: str = ""
) -> None:
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif fmt is OutputFormat.csv:
        from equals.evidence.records import to_csv

        sys.stdout.write(to_csv(records, columns))
    else:
        from rich.table import Table

        table = Table(title=Text(title) if title else None, show_lines=False)
        for i, c in enumerate(columns):
            table.add_column(Text(c), overflow="fold", no_wrap=(i == 0))
        for r in records:
            table.add_row(*(Text(shown_cell(r, c)) for c in columns))
        # Piped or captured output has no terminal width: print tables wide rather than
        # folding every cell into 80 columns.
        console = (
            out
            if out.is_terminal
            else Console(width=max(out.width, 200), markup=False, highlight=False)
        )
        console.print(table)


def shown_cell(record: dict[str, Any], column: str) -> str:
    """A table cell as people read it: a label (a ``*_label`` column, or the value of a
    ``*_label`` field in a field/value table) in the reader's language — the records, CSV
    and JSON keep the English label."""
    value = record.get(column)
    key = column if column != "value" else str(record.get("field", ""))
    if key.endswith("_label") and isinstance(value, str) and value:
        return _(value)
    return cell(value)


def cell(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"
    if isinstance(v, list):
        return ", ".join(map(str, v))
    return str(v)
