"""The command line in English, French and Spanish: help, messages and problem meanings.

The language comes from ``--lang``, else ``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG`` (first set);
anything not shipped is English. The first test runs the installed ``equals`` script in a
fresh process, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.cli import app
from equals.cli.context import requested_language
from equals.cli.lazy import full_command
from equals.cli.localise import help_messages, localise, walk
from equals.core.i18n import current_language, translations, use_language

runner = CliRunner()
EQUALS = Path(sys.executable).with_name("equals")
NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "LANGUAGE": ""}


@pytest.mark.parametrize(
    ("lang", "expected", "not_expected"),
    [
        ("fr_FR.UTF-8", ["Afficher la version et quitter.", "Commandes", "Langue de l"],
         "Show the version and exit."),
        ("es_ES.UTF-8", ["Mostrar la versión y salir.", "Comandos", "Opciones"],
         "Show the version and exit."),
        ("de_DE.UTF-8", ["Show the version and exit.", "Commands", "Options"], "Commandes"),
    ],
)  # fmt: skip
def test_equals_help_in_the_language_of_lang(
    lang: str, expected: list[str], not_expected: str
) -> None:
    env = {**os.environ, **NO_LOCALE, "LANG": lang, "COLUMNS": "200"}
    done = subprocess.run(
        [str(EQUALS), "--help"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    for text in expected:
        assert text in done.stdout, text
    assert not_expected not in done.stdout


def invoke(args: list[str], **env: str) -> tuple[int, str, str]:
    result = runner.invoke(app, args, env={**NO_LOCALE, "COLUMNS": "200", **env})
    return result.exit_code, result.stdout, result.stderr


def test_subcommand_help_and_typer_words_are_translated() -> None:
    code, out, _ = invoke(["sessions", "validate", "--help"], LANG="fr_FR.UTF-8")
    assert code == 0
    assert "Vérifier un rapport au regard des consignes de son modèle" in out
    assert "Format de sortie." in out and "Afficher ce message et quitter." in out
    assert "[par défaut\u00a0: table]" in out and "Arguments" in out
    code, out, _ = invoke(["sessions", "validate", "--help"], LANG="es_ES.UTF-8")
    assert "Comprobar un informe según las instrucciones de su plantilla" in out
    assert "[por defecto: table]" in out and "Argumentos" in out


def test_the_language_of_one_run_does_not_stay() -> None:
    invoke(["--help"], LANG="es_ES.UTF-8")
    assert current_language() == "en"
    code, out, _ = invoke(["--help"])
    assert code == 0 and "Show the version and exit." in out and "Commands" in out


def test_lang_option_wins_over_the_environment() -> None:
    _, out, _ = invoke(["--lang", "es", "--help"], LANG="fr_FR.UTF-8")
    assert "Mostrar la versión y salir." in out
    _, out, _ = invoke(["--lang=fr", "problems", "--help"], LANG="es_ES.UTF-8")
    assert "Expliquer ce code seulement." in out
    _, out, _ = invoke(["--lang", "xx", "--help"], LANG="fr_FR.UTF-8")
    assert "Show the version and exit." in out  # unknown: English, not the environment's


def test_requested_language_follows_posix_precedence() -> None:
    assert requested_language([], {"LANG": "fr_FR.UTF-8"}) == "fr"
    assert requested_language([], {"LC_MESSAGES": "es_MX", "LANG": "fr_FR"}) == "es"
    assert requested_language([], {"LC_ALL": "C", "LANG": "fr_FR"}) is None  # C is English
    assert requested_language([], {"LC_ALL": "", "LANG": "es"}) == "es"  # empty: not set
    assert requested_language([], {"LANG": "pt_BR.UTF-8"}) is None
    assert requested_language(["--lang", "FR"], {"LANG": "es"}) == "fr"
    assert requested_language(["x", "--", "--lang", "fr"], {}) is None  # after --: an argument
    assert requested_language([], {}) is None


@pytest.mark.parametrize(
    ("env", "head", "meaning"),
    [
        ({}, "missing-required-field (error, sessions)", "A required field is absent or empty."),
        ({"LANG": "fr_FR.UTF-8"}, "missing-required-field (erreur, sessions)",
         "Un champ obligatoire est absent ou vide."),
        ({"LC_ALL": "es_ES.UTF-8"}, "missing-required-field (error, sessions)",
         "Un campo obligatorio falta o está vacío."),
    ],
)  # fmt: skip
def test_problems_code_explained_in_the_language(
    env: dict[str, str], head: str, meaning: str
) -> None:
    code, out, _ = invoke(["problems", "missing-required-field"], **env)
    assert code == 0
    assert out.splitlines()[:2] == [head, meaning]


def test_errors_and_the_problem_table_in_french() -> None:
    code, _, err = invoke(["problems", "no-such-code"], LANG="fr_FR.UTF-8")
    assert code == 2
    assert err.startswith("erreur\u00a0: code de problème inconnu 'no-such-code'")
    code, out, _ = invoke(["problems"], LANG="fr_FR.UTF-8")
    assert code == 0 and "Problèmes d’EQUALS Hub" in out
    assert "Un champ obligatoire est absent ou vide." in out and "avertissement" in out
    code, out, _ = invoke(["problems", "--format", "json"], LANG="fr_FR.UTF-8")
    assert '"meaning": "A required field is absent or empty."' in out  # data stay English


def test_every_help_text_has_a_translation_and_english_is_untouched() -> None:
    root = full_command()  # every command loaded, not only the index's stand-ins
    english = {id(c): c.help for c in walk(root)}
    messages = help_messages(root)
    for lang in ("fr", "es"):
        catalogue = translations(lang)
        untranslated = [m for m in messages if catalogue.gettext(m) == m and m[:1].isalpha()]
        # Names that read the same in every language (ISO3., Options in French …) are allowed.
        assert len(untranslated) <= 3, untranslated
    with use_language("fr"):
        localise(root)
    assert root.help != english[id(root)]
    with use_language("en"):
        localise(root)  # back to English from the kept originals, not from the French
    assert {id(c): c.help for c in walk(root)} == english


@pytest.mark.parametrize(
    ("args", "lang", "expected"),
    [
        (["pace", "--nope"], "fr",
         ["Utilisation\u00a0: equals pace", "Erreur", "Option inconnue\u00a0: --nope",
          "Essayez 'equals pace --help'"]),
        (["--nope"], "es", ["Uso: equals [OPTIONS]", "Opción desconocida: --nope"]),
        (["survey", "estimate"], "fr", ["Argument manquant 'FILE'."]),
        (["survey", "estimate"], "es", ["Falta el argumento 'FILE'."]),
        (["indicators", "list", "--format", "xx"], "fr",
         ["Valeur invalide pour '--format' / '-f'\u00a0: 'xx' n’est pas une des valeurs "
          "'table', 'csv', 'json'."]),
        (["indicators", "list", "--format", "xx"], "es",
         ["Valor no válido para '--format' / '-f': 'xx' no es uno de los valores"]),
        (["pace", "x", "y", "z"], "es", ["Argumento(s) adicional(es) inesperado(s) (y z)"]),
        (["indicators", "lst"], "fr", ["Commande inconnue 'lst'. Vouliez-vous dire 'list'\u00a0?"]),
        (["data-gaps", "--recent-years", "200"], "es",
         ["Valor no válido para '--recent-years': El valor debe ser menor o igual que 100"]),
        (["data-gaps", "--recent", "3"], "fr",
         ["Option inconnue\u00a0: --recent (options possibles\u00a0: --recent-years)"]),
        (["partners", "import-iati", "/no/such.xml"], "fr",
         ["Valeur invalide pour 'file'\u00a0: le fichier '/no/such.xml' n’existe pas."]),
        (["indicators", "list", "--format"], "es", ["La opción '--format' requiere un argumento."]),
    ],
)  # fmt: skip
def test_click_usage_errors_are_in_the_language_of_the_run(
    args: list[str], lang: str, expected: list[str]
) -> None:
    code, _, err = invoke(["--lang", lang, *args])
    assert code == 2  # still bad usage
    flat = " ".join(line.strip(" │╭╮╰╯─") for line in err.splitlines())
    for text in expected:
        assert text in flat, (text, err)


def test_click_usage_errors_stay_english_in_english() -> None:
    code, _, err = invoke(["indicators", "list", "--format", "xx"])
    assert code == 2
    assert "Usage: equals indicators list" in err
    assert "Invalid value for '--format' / '-f': Value error, 'xx' is not one of" in err


def test_an_unknown_click_message_stays_as_it_is() -> None:
    from equals.cli.localise import click_message

    with use_language("fr"):
        assert click_message("Something click never said.") == "Something click never said."
        assert click_message("No such option: --x") == "Option inconnue\u00a0: --x"
        assert (
            click_message("Invalid value for 'N': Something new.")
            == "Valeur invalide pour 'N'\u00a0: Something new."
        )
