"""Backup and restore: ``equals export --to DIR`` and ``equals restore DIR``.

Exit codes: 0 done; 2 bad input (a non-empty target, an invalid package, a non-empty database
without ``--force``, a backup of another schema revision).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from equals.backup import export_package, restore_package
from equals.cli.app import app
from equals.cli.common import DbOption, fail, out
from equals.core.errors import EqualsError
from equals.core.i18n import _
from equals.settings import default_db_url
from equals.store import Store


@app.command("export")
def export_cmd(
    to: Annotated[Path, typer.Option("--to", help="Directory to write the Data Package into.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the directory if it is not empty.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Export everything as a Frictionless Data Package (validated; no password hashes)."""
    store = Store(db or default_db_url())
    try:
        report = export_package(store, to, overwrite=force)
    except EqualsError as exc:
        raise fail(exc) from exc
    finally:
        store.dispose()
    out.print(
        _(
            "exported %(rows)s rows of %(tables)s tables to %(path)s (schema %(schema)s); "
            "validated with frictionless",
            rows=f"{report.total_rows:,}",
            tables=len(report.rows),
            path=report.directory,
            schema=report.schema_revision,
        ),
        highlight=False,
        markup=False,
    )


@app.command("restore")
def restore_cmd(
    directory: Annotated[Path, typer.Argument(help="A package written by equals export.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace everything in a database that is not empty."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Restore a backup into an empty database (SQLite or PostgreSQL), in one transaction."""
    store = Store(db or default_db_url())
    try:
        report = restore_package(store, directory, force=force)
    except EqualsError as exc:
        raise fail(exc) from exc
    finally:
        store.dispose()
    values = {"rows": f"{report.total_rows:,}", "tables": len(report.rows), "url": report.url}
    if report.replaced:
        line = _(
            "restored %(rows)s rows of %(tables)s tables into %(url)s (replacing what was "
            "there); users need a new password: equals users password NAME",
            **values,
        )
    else:
        line = _(
            "restored %(rows)s rows of %(tables)s tables into %(url)s; users need a new "
            "password: equals users password NAME",
            **values,
        )
    out.print(line, highlight=False, markup=False)
