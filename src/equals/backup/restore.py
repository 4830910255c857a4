"""Restore a Data Package written by :func:`equals.backup.export_package` into a database.

The package is validated with ``frictionless`` first and must come from the same schema
revision as this software. The target is migrated, must be empty (unless ``force``: then
everything in it is replaced), and is filled in one transaction: any failure writes nothing.
On PostgreSQL the id sequences are moved past the restored ids.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Integer, func, select, text

from equals.backup.package import (
    FORMAT_VERSION,
    NO_PASSWORD,
    PROFILE,
    BackupError,
    columns,
    field_type,
    from_cell,
    tables,
    validate_package,
)
from equals.core.i18n import Msg
from equals.store import Store, schema

_BATCH = 5000


@dataclass(frozen=True, slots=True)
class RestoreReport:
    url: str
    rows: dict[str, int]
    replaced: bool  # the database held data that ``force`` replaced

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _descriptor(directory: Path) -> dict[str, Any]:
    path = directory / "datapackage.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(Msg("no datapackage.json here"), location=str(directory)) from exc
    except (OSError, ValueError) as exc:
        raise BackupError(
            Msg("cannot read it: %(reason)s", reason=str(exc)), location=str(path)
        ) from exc
    meta = data.get("equals") if isinstance(data, dict) else None
    if not isinstance(meta, dict) or meta.get("profile") != PROFILE:
        raise BackupError(Msg("not an EQUALS Hub backup (no 'equals' section)"), location=str(path))
    if meta.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            Msg(
                "backup format %(found)s; this software reads %(expected)s",
                found=repr(meta.get("format_version")),
                expected=FORMAT_VERSION,
            ),
            location=str(path),
        )
    out: dict[str, Any] = data
    return out


def _row_counts(conn: Connection) -> dict[str, int]:
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
        for t in schema.metadata.sorted_tables
    }


def _rows(path: Path, table: Any) -> Any:
    cols = columns(table)
    kinds = {c.name: field_type(c) for c in cols}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != [c.name for c in cols]:
            raise BackupError(
                Msg(
                    "columns %(found)s do not match the table's %(expected)s",
                    found=str(header),
                    expected=str([c.name for c in cols]),
                ),
                location=str(path),
            )
        for number, cells in enumerate(reader, start=2):
            where = f"{path}:{number}"
            row = {
                name: from_cell(cell, kinds[name], where)
                for name, cell in zip(header, cells, strict=True)
            }
            if table.name == "users":
                row["password_hash"] = NO_PASSWORD
            yield row


def _reset_sequences(conn: Connection) -> None:
    for table in schema.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or not pk[0].autoincrement:
            continue
        name = pk[0].name
        seq = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": name}
        ).scalar_one_or_none()
        if seq:
            top = conn.execute(select(func.max(table.c[name]))).scalar_one_or_none()
            conn.execute(
                text("SELECT setval(:s, :v, :called)"),
                {"s": seq, "v": int(top or 1), "called": top is not None},
            )


def restore_package(
    store: Store, directory: str | Path, *, force: bool = False, validate: bool = True
) -> RestoreReport:
    """Restore the package in ``directory`` into ``store`` (see the module docstring)."""
    folder = Path(directory)
    data = _descriptor(folder)
    if validate:
        problems = validate_package(folder)
        if problems:
            raise BackupError(
                Msg("the package is not valid: %(problems)s", problems="; ".join(problems[:5])),
                location=str(folder),
            )
    store.migrate()
    revision, head = data["equals"].get("schema_revision"), store.head_revision()
    if revision != head:
        raise BackupError(
            Msg(
                "the backup is of schema revision %(revision)s, this software's is %(head)s: "
                "restore it with the EQUALS Hub version that made it",
                revision=revision,
                head=head,
            ),
            location=str(folder),
        )
    resources = {r["name"]: r for r in data.get("resources", [])}
    missing = [t.name for t in tables() if t.name not in resources]
    if missing:
        raise BackupError(
            Msg("no resource for table(s) %(tables)s", tables=", ".join(missing)),
            location=str(folder),
        )
    rows: dict[str, int] = {}
    with store.transaction() as conn:
        held = {k: v for k, v in _row_counts(conn).items() if v}
        if held and not force:
            shown = ", ".join(f"{k} ({v})" for k, v in sorted(held.items())[:6])
            raise BackupError(
                Msg(
                    "the database is not empty: %(tables)s; restore into an empty database, or "
                    "pass --force to replace everything in it",
                    tables=shown,
                ),
                location=store.safe_url,
            )
        previous = int(store.get_meta("data_version", conn) or 0) if held else 0
        for table in reversed(schema.metadata.sorted_tables):
            conn.execute(table.delete())
        for table in tables():
            path = folder / resources[table.name]["path"]
            if not path.resolve().is_relative_to(folder.resolve()):
                raise BackupError(Msg("resource path leaves the package"), location=str(path))
            n = 0
            batch: list[dict[str, Any]] = []
            for row in _rows(path, table):
                batch.append(row)
                if len(batch) >= _BATCH:
                    conn.execute(table.insert(), batch)
                    n += len(batch)
                    batch = []
            if batch:
                conn.execute(table.insert(), batch)
                n += len(batch)
            rows[table.name] = n
        if store.dialect == "postgresql":
            _reset_sequences(conn)
        if held:  # caches keyed by the data version (a running server's) must see new data
            version = max(previous, int(store.get_meta("data_version", conn) or 0)) + 1
            conn.execute(schema.meta.delete().where(schema.meta.c.key == "data_version"))
            conn.execute(schema.meta.insert().values(key="data_version", value=str(version)))
    store.local_version += 1
    return RestoreReport(store.safe_url, rows, bool(held))
