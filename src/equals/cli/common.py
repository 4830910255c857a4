"""Shared pieces of the CLI: consoles, options, output formats, errors, progress."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from equals.bootstrap import SetupReport, initialise
from equals.evidence.queries import Evidence
from equals.evidence.records import to_csv
from equals.settings import ENV_DB, default_db_url
from equals.store import Store

out = Console()
err = Console(stderr=True)


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


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def progress_init(store: Store, *, force: bool = False, examples: bool = True) -> SetupReport:
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
                tasks[desc] = bar.add_task(desc, total=max(total, 1))
            bar.update(tasks[desc], completed=done, total=max(total, 1))

        return initialise(store, force=force, examples=examples, progress=step)


def open_evidence(db: str | None) -> Evidence:
    """Open the store, loading the bundled data first if it has never been loaded."""
    store = Store(db or default_db_url())
    if not store.is_initialised():
        err.print("Database not initialised: loading the bundled data first…")
        progress_init(store)
    return Evidence(store)


def emit(
    records: list[dict[str, Any]], fmt: OutputFormat, columns: list[str], title: str = ""
) -> None:
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(to_csv(records, columns))
    else:
        table = Table(title=title or None, show_lines=False)
        for i, c in enumerate(columns):
            table.add_column(c, overflow="fold", no_wrap=(i == 0))
        for r in records:
            table.add_row(*(cell(r.get(c)) for c in columns))
        # Piped or captured output has no terminal width: print tables wide rather than
        # folding every cell into 80 columns.
        console = out if out.is_terminal else Console(width=max(out.width, 200))
        console.print(table)


def cell(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"
    if isinstance(v, list):
        return ", ".join(map(str, v))
    return str(v)
