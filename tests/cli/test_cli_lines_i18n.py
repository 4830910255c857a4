"""Lines the command modules print themselves, in the reader's language (issue 12).

``equals --lang fr|es`` prints the summaries, statuses and table titles of the commands in
French or Spanish; without it (or with ``--lang en``) they are the English lines the other
tests pin, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.auth import create_user
from equals.cli import app
from equals.core.i18n import use_language
from equals.store import Store

from ..sessions.conftest import EXAMPLE

ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "LANGUAGE": "", "COLUMNS": "300"}


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV, input=input)
    # Rich folds long lines: compare texts with single spaces.
    return result.exit_code, " ".join(result.stdout.split()), " ".join(result.stderr.split())


@pytest.fixture
def users_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    store = Store(url)
    store.migrate()
    create_user(store, "amina", "correct horse battery")
    store.dispose()
    return url


@pytest.mark.parametrize(
    ("lang", "disabled", "changed"),
    [
        ("en", "user amina disabled: 0 browser session(s) ended, 0 token(s) revoked",
         "password of amina changed; 0 browser session(s) ended"),
        ("fr", "utilisateur amina désactivé : 0 session(s) de navigateur terminée(s), "
         "0 jeton(s) révoqué(s)",
         "mot de passe de amina modifié ; 0 session(s) de navigateur terminée(s)"),
        ("es", "usuario amina desactivado: 0 sesión(es) de navegador cerrada(s), "
         "0 token(s) revocado(s)",
         "contraseña de amina cambiada; 0 sesión(es) de navegador cerrada(s)"),
    ],
)  # fmt: skip
def test_users_lines(users_db: str, lang: str, disabled: str, changed: str) -> None:
    code, out, _ = run("--lang", lang, "users", "disable", "amina", "--db", users_db)
    assert code == 0 and out == disabled
    code, out, _ = run(
        "--lang", lang, "users", "password", "amina", "--password-stdin", "--db", users_db,
        input="another long passphrase\n",
    )  # fmt: skip
    assert code == 0 and out == changed


def test_sessions_file_show_and_import_in_french_and_spanish(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 's.db'}"]
    code, out, _ = run("--lang", "fr", "sessions", "file", str(EXAMPLE), "--event", "IGF", *db)
    assert code == 0
    assert out == "session 1 : créée — 1 erreur(s), 1 avertissement(s)"
    code, out, _ = run("--lang", "es", "sessions", "file", str(EXAMPLE), "--event", "IGF", *db)
    assert code == 0
    assert out == (
        "sesión 1: sin cambios (idéntica a la revisión vigente) — 1 error(es), 1 advertencia(s)"
    )

    code, out, _ = run("--lang", "fr", "sessions", "show", "1", *db)
    assert code == 0
    assert "· modèle " in out and "diversité : " in out and "intervenant(s)" in out
    assert "révision 1 : " in out and "(non valide ; " in out
    assert "femmes/participants déclarés : non indiqué/non indiqué" in out
    code, english, _ = run("sessions", "show", "1", *db)
    assert "diversity: " in english and "revision 1: " in english and "(invalid; " in english
    assert "women/participants as stated: not stated/not stated" in english

    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    code, out, err = run("--lang", "es", "sessions", "import", str(folder), "--dry-run", *db)
    assert code == 0
    assert err.startswith("quedaría sin cambios ") and " campo(s) encontrado(s)" in err
    assert out == (
        "simulación, no se escribió nada: 1 archivo(s): 0 importado(s), 0 con advertencias, "
        "1 sin cambios, 0 fallido(s)"
    )
    code, out, err = run("sessions", "import", str(folder), "--dry-run", *db)
    assert err.startswith("would be unchanged ") and " field(s) found" in err
    assert out == (
        "dry run, nothing written: 1 file(s): 0 imported, 0 with warnings, 1 unchanged, 0 failed"
    )


@pytest.mark.parametrize(
    ("lang", "suffix", "directory"),
    [
        ("en", "x.csv: --out must be a .parquet file", "does not exist"),
        ("fr", "x.csv : --out doit être un fichier .parquet", "n’existe pas"),
        ("es", "x.csv: --out debe ser un archivo .parquet", "no existe"),
    ],
)
def test_survey_simulate_refusals(lang: str, suffix: str, directory: str) -> None:
    code, _, err = run(
        "--lang", lang, "survey", "simulate", "--country", "KEN", "--persons", "10",
        "--out", "x.csv",
    )  # fmt: skip
    assert code == 2 and suffix in err
    code, _, err = run(
        "--lang", lang, "survey", "simulate", "--country", "KEN", "--persons", "10",
        "--out", "/no/such/dir/x.parquet",
    )  # fmt: skip
    assert code == 2 and directory in err and "/no/such/dir" in err


def test_table_titles_are_translated_csv_and_json_stay_english() -> None:
    code, out, _ = run("--lang", "fr", "sessions", "templates")
    assert code == 0 and out.startswith("Modèles")
    code, out, _ = run("--lang", "es", "sessions", "templates")
    assert code == 0 and out.startswith("Plantillas")
    code, out, _ = run("sessions", "templates")
    assert code == 0 and out.startswith("Templates")


def test_detect_table_in_french_csv_stays_english(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"garbage")
    code, out, _ = run("--lang", "fr", "sessions", "detect", str(bad))
    assert code == 2
    assert "Mises en page" in out and "ILLISIBLE" in out
    assert "impossible de lire le rapport de session" in out
    code, out, _ = run("--lang", "fr", "sessions", "detect", str(bad), "--format", "csv")
    assert code == 2
    assert ",UNREADABLE," in out and "cannot read session report" in out


def test_labels_in_tables_follow_the_language_and_records_stay_english() -> None:
    """A ``*_label`` value (a field of a field/value table, or a column) is shown in the
    reader's language in a table; JSON and CSV keep the English label."""
    from equals.cli.common import shown_cell

    record = {"field": "stakeholder_group_label", "value": "Civil society"}
    with use_language("fr"):
        assert shown_cell(record, "value") == "Société civile"
        assert shown_cell({"field": "name", "value": "Civil society"}, "value") == "Civil society"
    with use_language("es"):
        assert shown_cell({"group_label": "Civil society"}, "group_label") == "Sociedad civil"
    assert shown_cell(record, "value") == "Civil society"
