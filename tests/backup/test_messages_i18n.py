"""Backup and restore errors in the reader's language (issue 12): ``equals --lang fr|es``
prints them in French or Spanish; the exception's ``str`` stays English."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.backup import restore_package
from equals.backup.package import BackupError, from_cell
from equals.cli import app
from equals.core.i18n import use_language
from equals.store import Store

ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "COLUMNS": "300"}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, " ".join(result.stderr.split())  # rich wraps long lines


def test_export_to_a_target_that_exists(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'none.db'}"
    code, err = run("export", "--to", str(target), "--db", db)
    assert code == 2
    assert f"{target}: the target exists and is not an empty directory" in err
    code, err = run("--lang", "fr", "export", "--to", str(target), "--db", db)
    assert code == 2
    assert (
        f"{target}: la cible existe et n’est pas un répertoire vide ; choisissez-en une autre "
        "ou passez --force"
    ) in err
    code, err = run("--lang", "es", "export", "--to", str(target), "--db", db)
    assert code == 2 and f"{target}: el destino existe y no es un directorio vacío" in err
    assert (target / "keep.txt").read_text(encoding="utf-8") == "mine"  # nothing touched


def test_restore_from_a_folder_without_a_package(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'none.db'}"
    code, err = run("--lang", "es", "restore", str(tmp_path), "--db", db)
    assert code == 2
    assert f"{tmp_path}: no hay ningún archivo datapackage.json aquí" in err
    store = Store(db)
    try:
        with pytest.raises(BackupError) as info:
            restore_package(store, tmp_path)
    finally:
        store.dispose()
    with use_language("fr"):
        assert str(info.value) == f"{tmp_path}: no datapackage.json here"  # logs stay English
        assert info.value.localised() == f"{tmp_path}: aucun fichier datapackage.json ici"


def test_a_cell_of_the_wrong_type() -> None:
    with pytest.raises(BackupError) as info:
        from_cell("maybe", "boolean", "users.csv:3")
    assert str(info.value) == "users.csv:3: 'maybe' is not a boolean"
    with use_language("fr"):
        assert info.value.localised() == "users.csv:3: 'maybe' n’est pas un booléen"
    with pytest.raises(BackupError) as info:
        from_cell("1.5", "integer", "users.csv:4")
    with use_language("es"):
        assert info.value.localised() == "users.csv:4: '1.5' no es un número entero"
