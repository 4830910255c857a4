"""Backup and restore of a whole EQUALS Hub database as a Frictionless Data Package.

::

    from equals.backup import export_package, restore_package
    export_package(store, "backup/")            # datapackage.json + data/<table>.csv, validated
    restore_package(Store(other_url), "backup/") # into an empty SQLite or PostgreSQL database

Everything the platform holds is exported — the indicator catalogue, sources and areas,
observations with their standard errors and intervals, data releases, session reports with
all their revisions, the partnership registry, users and their roles, and the audit log — one
CSV resource per table with a Table Schema (types, primary and foreign keys). Secrets are not:
password hashes are left out (restored users set a new password with ``equals users password``),
and API tokens, browser sessions and sign-in attempts are not exported at all (tokens are
issued again after a restore).
"""

from __future__ import annotations

from equals.backup.export import ExportReport, export_package
from equals.backup.package import BackupError, validate_package
from equals.backup.restore import RestoreReport, restore_package

__all__ = [
    "BackupError",
    "ExportReport",
    "RestoreReport",
    "export_package",
    "restore_package",
    "validate_package",
]
