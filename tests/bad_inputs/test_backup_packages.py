"""Bad backups given to ``equals restore`` and bad targets given to ``equals export``: exit
code 2, the exact message, and nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.auth import create_user
from equals.backup import export_package
from equals.cli import app
from equals.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small but complete backup: a migrated database with one user."""
    folder = tmp_path_factory.mktemp("bk")
    store = Store(f"sqlite:///{folder / 'src.db'}")
    store.migrate()
    create_user(store, "amina", "correct horse battery")
    export_package(store, folder / "backup")
    store.dispose()
    return folder / "backup"


def _restore(folder: Path, db: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["restore", str(folder), "--db", f"sqlite:///{db}", *extra])
    return result.exit_code, result.stderr.strip()


def _edit(package: Path, tmp_path: Path, change: object) -> Path:
    copy = tmp_path / "edited"
    shutil.copytree(package, copy)
    descriptor = copy / "datapackage.json"
    data = json.loads(descriptor.read_text())
    change(data)  # type: ignore[operator]
    descriptor.write_text(json.dumps(data))
    return copy


def test_no_package(tmp_path: Path) -> None:
    assert _restore(tmp_path / "nowhere", tmp_path / "t.db") == (
        2,
        f"error: {tmp_path / 'nowhere'}: no datapackage.json here",
    )


def test_not_json(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "datapackage.json").write_text("{not json")
    code, err = _restore(tmp_path / "p", tmp_path / "t.db")
    assert code == 2 and err.startswith(
        f"error: {tmp_path / 'p' / 'datapackage.json'}: cannot read it:"
    )


def test_someone_elses_data_package(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "datapackage.json").write_text('{"name": "other", "resources": []}')
    assert _restore(tmp_path / "p", tmp_path / "t.db") == (
        2,
        f"error: {tmp_path / 'p' / 'datapackage.json'}: not an EQUALS Hub backup "
        "(no 'equals' section)",
    )


def test_other_format_version(package: Path, tmp_path: Path) -> None:
    edited = _edit(package, tmp_path, lambda d: d["equals"].update(format_version=99))
    assert _restore(edited, tmp_path / "t.db") == (
        2,
        f"error: {edited / 'datapackage.json'}: backup format 99; this software reads 1",
    )


def test_other_schema_revision(package: Path, tmp_path: Path) -> None:
    edited = _edit(package, tmp_path, lambda d: d["equals"].update(schema_revision="0001"))
    code, err = _restore(edited, tmp_path / "t.db")
    assert code == 2
    assert err.startswith(
        f"error: {edited}: the backup is of schema revision 0001, this software's is "
    )
    assert err.endswith("restore it with the EQUALS Hub version that made it")


def test_tampered_cell(package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tampered"
    shutil.copytree(package, copy)
    users = copy / "data" / "users.csv"
    users.write_text(users.read_text().replace(",false,", ",maybe,"))
    code, err = _restore(copy, tmp_path / "t.db")
    assert code == 2 and err.startswith(f"error: {copy}: the package is not valid: users: ")
    assert "maybe" in err
    empty = Store(f"sqlite:///{tmp_path / 't.db'}")
    assert empty.schema_revision() is None  # nothing written, not even the schema
    empty.dispose()


def test_non_empty_database(package: Path, tmp_path: Path) -> None:
    assert _restore(package, tmp_path / "t.db")[0] == 0
    code, err = _restore(package, tmp_path / "t.db")
    assert code == 2
    assert err == (
        f"error: sqlite:///{tmp_path / 't.db'}: the database is not empty: audit_log (1), "
        "user_roles (1), users (1); restore into an empty database, or pass --force to replace "
        "everything in it"
    )
    assert _restore(package, tmp_path / "t.db", "--force")[0] == 0


def test_export_into_a_non_empty_directory(package: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["export", "--to", str(package), "--db", f"sqlite:///{tmp_path / 'x.db'}"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {package}: the target exists and is not an empty directory; choose another or "
        "pass --force"
    )
