"""Analysis errors and trend findings in the reader's language (issue 12): the CLI with
``--lang fr|es`` shows them in French or Spanish; ``str``, the JSON and the API stay English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.analysis.method import load_method
from equals.cli import app
from equals.core.errors import DataFileError
from equals.core.i18n import use_language

ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "COLUMNS": "300"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def test_a_method_file_error_names_the_field_in_every_language(tmp_path: Path) -> None:
    bundled = load_method()
    path = tmp_path / "method.yaml"
    text = json.dumps({**bundled.to_descriptor(), "window": "three"})
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_method(path)
    assert str(info.value) == f"{path}: window: expected an integer, got 'three'"
    with use_language("fr"):
        assert info.value.localised() == f"{path}: window: entier attendu, 'three' reçu"
    with use_language("es"):
        assert info.value.localised() == (
            f"{path}: window: se esperaba un número entero y se recibió 'three'"
        )


def test_cli_errors_and_trend_findings_in_french_and_spanish(loaded_db_url: str) -> None:
    db = ("--db", loaded_db_url)
    code, _, err = run("--lang", "fr", "index", "--method", "/nonexistent.yaml", *db)
    assert code == 2 and "/nonexistent.yaml: fichier introuvable" in err
    code, _, err = run("--lang", "es", "index", "--draws", "-1", *db)
    assert code == 2 and "draws: debe estar entre 0 y 100000" in err
    code, out, _ = run("--lang", "fr", "parity-years", "KEN", "internet_use", *db)
    assert code == 0
    assert "pas assez de données pour ajuster une tendance" in " ".join(out.split())
    code, out, _ = run("--lang", "es", "parity-years", "KEN", "internet_use", "--format", "json",
                       *db)  # fmt: skip
    assert code == 0 and json.loads(out)["message"].startswith("not enough data to fit a trend")
