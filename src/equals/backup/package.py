"""The package layout shared by export and restore: which tables and columns, their Frictionless
Table Schemas, how values are written to and read from CSV, and validation."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Float, Integer, Numeric, Table

from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.store import schema

PROFILE = "equals-hub-backup"
FORMAT_VERSION = 1
MISSING = "\\N"  # a NULL; an empty cell is an empty string
# Left out: secrets and ephemeral sign-in state (see the package docstring).
SKIP_TABLES = frozenset({"api_tokens", "browser_sessions", "login_attempts"})
SKIP_COLUMNS = {"users": frozenset({"password_hash"})}
# Restored users get this in place of their hash: never a valid argon2 hash, so no password
# matches until an administrator sets one.
NO_PASSWORD = "!restored-without-password"


class BackupError(ValidationError):
    code = "backup-invalid"


def tables() -> list[Table]:
    """The exported tables, parents before children (foreign-key order)."""
    return [t for t in schema.metadata.sorted_tables if t.name not in SKIP_TABLES]


def columns(table: Table) -> list[Column[Any]]:
    skip = SKIP_COLUMNS.get(table.name, frozenset())
    return [c for c in table.columns if c.name not in skip]


def field_type(column: Column[Any]) -> str:
    t = column.type
    if isinstance(t, Boolean):
        return "boolean"
    if isinstance(t, Integer | BigInteger):
        return "integer"
    if isinstance(t, Float | Numeric):
        return "number"
    return "string"


def table_schema(table: Table) -> dict[str, Any]:
    exported = {t.name for t in tables()}
    fields = []
    for c in columns(table):
        f: dict[str, Any] = {"name": c.name, "type": field_type(c)}
        if not c.nullable and not c.primary_key:
            f["constraints"] = {"required": True}
        if c.comment:
            f["description"] = c.comment
        fields.append(f)
    out: dict[str, Any] = {"fields": fields, "missingValues": [MISSING]}
    pk = [c.name for c in table.primary_key.columns]
    if pk:
        out["primaryKey"] = pk
    fks = []
    for fk in table.foreign_key_constraints:
        target = fk.referred_table.name
        if target not in exported:
            continue
        fks.append(
            {
                "fields": [c.name for c in fk.columns],
                "reference": {
                    "resource": target,
                    "fields": [e.column.name for e in fk.elements],
                },
            }
        )
    if fks:
        out["foreignKeys"] = fks
    return out


def to_cell(value: Any, kind: str) -> str:
    """A value as CSV text (floats round-trip exactly: ``repr``)."""
    if value is None:
        return MISSING
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number":
        x = float(value)
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "INF" if x > 0 else "-INF"
        return repr(x)
    if kind == "integer":
        return str(int(value))
    return str(value)


def from_cell(text: str, kind: str, where: str) -> Any:
    if text == MISSING:
        return None
    try:
        if kind == "boolean":
            if text not in ("true", "false"):
                raise ValueError(text)
            return text == "true"
        if kind == "integer":
            return int(text)
        if kind == "number":
            return {"NaN": math.nan, "INF": math.inf, "-INF": -math.inf}.get(text) or float(text)
    except ValueError as exc:
        raise BackupError(_not_a(kind, repr(text[:40])), location=where) from exc
    return text


def _not_a(kind: str, value: str) -> Msg:
    match kind:
        case "boolean":
            return Msg("%(value)s is not a boolean", value=value)
        case "integer":
            return Msg("%(value)s is not an integer", value=value)
        case "number":
            return Msg("%(value)s is not a number", value=value)
        case _:
            return Msg("%(value)s is not a %(kind)s", value=value, kind=kind)


def validate_package(directory: str | Path) -> list[str]:
    """Validate the package with the ``frictionless`` library (schemas, types, primary and
    foreign keys); returns the problems, one line each (empty when valid)."""
    from frictionless import Package

    descriptor = Path(directory) / "datapackage.json"
    if not descriptor.is_file():
        return [f"{descriptor}: no datapackage.json"]
    package = Package(str(descriptor))
    report = package.validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            problems.append(f"{task.name}: {error.message}")
    for error in report.errors:
        problems.append(error.message)
    return problems
