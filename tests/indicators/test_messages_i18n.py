"""Data errors in the reader's language (issue 12, catalogue ``data-errors``).

The survey engine's, the store's, the settings', the indicator data files' and the survey
mapping's messages are English in ``str(exc)`` (logs, the API's JSON, anything stored) and in
French or Spanish where a person reads them: the CLI with ``--lang``, ``message_of``,
``Problem.localised``. The translations checked are the catalogue's own
(``src/equals/locales/*/LC_MESSAGES/data-errors.po``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import equals.cli.survey  # noqa: F401  (registers the survey commands)
from equals.cli import app
from equals.core.errors import EditConflictError, ValidationError, message_of
from equals.core.i18n import use_language
from equals.settings import Settings
from equals.survey import Design, estimate, mean
from equals.survey.errors import NonNumericVariableError

ENV = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "COLUMNS": "250"}
NBSP = "\N{NO-BREAK SPACE}"
runner = CliRunner()


def cli(*args: str) -> tuple[int, str]:
    """Exit code and stderr (one line: the console soft-wraps messages) of ``equals ARGS``."""
    result = runner.invoke(app, list(args), env=ENV)
    return result.exit_code, result.stderr.replace("\n", " ")


@pytest.fixture
def text_survey(tmp_path: Path) -> Path:
    """A survey whose column ``x`` holds text (a mean of it is refused)."""
    path = tmp_path / "text.csv"
    path.write_text("w,x\n1,a\n2,b\n3,a\n", encoding="utf-8")
    return path


# -- the survey engine ------------------------------------------------------------------------


def test_a_survey_error_is_english_in_str_and_translated_for_people(text_survey: Path) -> None:
    with pytest.raises(NonNumericVariableError) as info:
        estimate(text_survey, Design(weight="w"), [mean("x")])
    exc = info.value
    english = (
        f"{text_survey}: column 'x' is string, not numeric: a mean needs numbers "
        "(use --proportion for categories)"
    )
    with use_language("fr"):
        assert str(exc) == english  # logs, the API, anything stored
        assert message_of(exc) == (
            f"{text_survey}: la colonne 'x' est de type texte, non numérique : une moyenne "
            "nécessite des nombres (utilisez --proportion pour des catégories)"
        )
    with use_language("es"):
        assert message_of(exc) == (
            f"{text_survey}: la columna 'x' es de tipo texto, no numérico: una media requiere "
            "números (use --proportion para categorías)"
        )
    assert exc.problem.to_record()["message"] == english.split(": ", 1)[1]


def test_the_survey_cli_prints_its_errors_in_the_requested_language(text_survey: Path) -> None:
    args = ["survey", "estimate", str(text_survey), "--weight", "w", "--mean", "x"]
    code, err = cli("--lang", "fr", *args)
    assert code == 2
    assert f"erreur{NBSP}:" in err and "la colonne 'x' est de type texte, non numérique" in err
    code, err = cli("--lang", "es", *args)
    assert code == 2 and "la columna 'x' es de tipo texto, no numérico" in err
    code, err = cli(*args)
    assert code == 2 and "column 'x' is string, not numeric: a mean needs numbers" in err


def test_an_option_out_of_range_is_translated_too(text_survey: Path) -> None:
    args = ["survey", "estimate", str(text_survey), "--weight", "w", "--proportion", "x"]
    code, err = cli("--lang", "fr", *args, "--level", "1.5")
    assert code == 2
    assert "le niveau de confiance doit être strictement compris entre 0 et 1" in err
    assert "(valeur reçue : 1.5)" in err
    code, err = cli("--lang", "es", *args, "--level", "1.5")
    assert "el nivel de confianza debe estar estrictamente entre 0 y 1" in err
    code, err = cli(*args, "--level", "1.5")
    assert "confidence level must be in (0, 1), got 1.5" in err


def test_a_missing_column_names_the_columns_in_every_language(text_survey: Path) -> None:
    args = ["survey", "estimate", str(text_survey), "--weight", "wt", "--mean", "x"]
    code, err = cli("--lang", "es", *args)
    assert code == 2 and "no hay ninguna columna 'wt' (disponibles: w, x)" in err
    code, err = cli(*args)
    assert "no column 'wt' (available: w, x)" in err


# -- settings, core ---------------------------------------------------------------------------


def test_a_bad_setting_is_named_in_every_language() -> None:
    with pytest.raises(ValidationError) as info:
        Settings(db_url="sqlite://", log_level="loud")
    exc = info.value
    assert str(exc).startswith("EQUALS_LOG_LEVEL: log level 'loud' is not one of: ")
    with use_language("fr"):
        assert message_of(exc).startswith(
            "EQUALS_LOG_LEVEL: niveau de journalisation 'loud' inconnu ; valeurs possibles : "
        )
    with use_language("es"):
        assert message_of(exc).startswith(
            "EQUALS_LOG_LEVEL: nivel de registro 'loud' desconocido; valores posibles: "
        )


def test_an_edit_conflict_is_explained_in_every_language() -> None:
    exc = EditConflictError("record 7", based_on=2, current=3)
    assert str(exc) == (
        "record 7 changed since version 2 (it is at version 3 now); nothing was written: "
        "reload it, merge your changes and try again"
    )
    with use_language("fr"):
        assert message_of(exc).startswith("record 7 : une version plus récente existe (version 3")
    with use_language("es"):
        assert "no se guardó nada" in message_of(exc)
