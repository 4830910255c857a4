"""Export every table as one CSV resource of a Frictionless Data Package, then validate it.

The package is written into a temporary directory beside the target and renamed into place
only after the ``frictionless`` library has validated it: a failed export leaves nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, select

from equals.backup.package import (
    FORMAT_VERSION,
    MISSING,
    PROFILE,
    BackupError,
    columns,
    field_type,
    table_schema,
    tables,
    to_cell,
    validate_package,
)
from equals.core.i18n import Msg
from equals.core.version import __version__
from equals.store import Store


@dataclass(frozen=True, slots=True)
class ExportReport:
    directory: str
    schema_revision: str | None
    rows: dict[str, int]  # table → rows written

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _write_table(conn: Connection, table: Any, path: Path) -> int:
    cols = columns(table)
    kinds = [field_type(c) for c in cols]
    order = list(table.primary_key.columns) or cols
    result = conn.execute(select(*cols).order_by(*order)).yield_per(5000)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([c.name for c in cols])
        for row in result:
            cells = [to_cell(v, k) for v, k in zip(row, kinds, strict=True)]
            if any(v == MISSING and row[i] is not None for i, v in enumerate(cells)):
                raise BackupError(
                    Msg(
                        "a value equals the missing-value marker %(marker)s; cannot export it",
                        marker=repr(MISSING),
                    ),
                    location=f"{table.name} row {n + 1}",
                )
            writer.writerow(cells)
            n += 1
    return n


def export_package(store: Store, directory: str | Path, *, overwrite: bool = False) -> ExportReport:
    """Write the whole database as a Data Package in ``directory`` (created; must be empty
    or absent unless ``overwrite``), validated with ``frictionless`` before it is kept."""
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())) and not overwrite:
        raise BackupError(
            Msg("the target exists and is not an empty directory; choose another or pass --force"),
            location=str(target),
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".equals-export-", dir=target.parent))
    try:
        (work / "data").mkdir()
        rows: dict[str, int] = {}
        resources = []
        with store.connect() as conn:
            if store.dialect == "postgresql":  # one consistent snapshot of every table
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                revision = MigrationContext.configure(conn).get_current_revision()
                for table in tables():
                    path = work / "data" / f"{table.name}.csv"
                    rows[table.name] = _write_table(conn, table, path)
                    resources.append(
                        {
                            "name": table.name,
                            "path": f"data/{table.name}.csv",
                            "profile": "tabular-data-resource",
                            "format": "csv",
                            "mediatype": "text/csv",
                            "encoding": "utf-8",
                            "schema": table_schema(table),
                        }
                    )
        descriptor = {
            "profile": "data-package",
            "name": "equals-hub-backup",
            "title": "EQUALS Hub backup",
            "description": (
                "Every table of an EQUALS Hub database (restore with `equals restore DIR`). "
                "Each observation's licence is in the `sources` resource. Password hashes, API "
                "tokens and browser sessions are not included."
            ),
            "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "equals": {
                "profile": PROFILE,
                "format_version": FORMAT_VERSION,
                "software_version": __version__,
                "schema_revision": revision,
                "dialect": store.dialect,
                "rows": rows,
            },
            "resources": resources,
        }
        (work / "datapackage.json").write_text(
            json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        problems = validate_package(work)
        if problems:
            raise BackupError(
                Msg(
                    "the package failed validation: %(problems)s",
                    problems="; ".join(problems[:5]),
                ),
                location=str(target),
            )
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return ExportReport(str(target), revision, rows)
