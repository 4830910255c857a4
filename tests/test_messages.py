"""Error and finding messages in the reader's language (``equals.core.i18n.Msg``).

A message is English wherever a string goes (``str(exc)``, logs, the API's JSON, storage) and
is rendered in the current language where a person reads it: the CLI and the HTML pages.
The translations checked here are the catalogues' own (``src/equals/locales``)."""

from __future__ import annotations

import importlib.util
import json
import pickle
import sys
from pathlib import Path

from typer.testing import CliRunner

from equals.cli import app
from equals.core.errors import UnknownCountryError, ValidationError, message_of
from equals.core.i18n import Msg, localised, use_language
from equals.core.problems import Location, Problem

ROOT = Path(__file__).resolve().parent.parent


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module while it runs
    spec.loader.exec_module(module)
    return module


def test_a_message_is_its_english_text_everywhere_a_string_goes() -> None:
    m = Msg("unknown country %(value)s", value="'XYZ'")
    assert m == "unknown country 'XYZ'" and isinstance(m, str)
    assert json.dumps({"message": m}) == '{"message": "unknown country \'XYZ\'"}'
    again = pickle.loads(pickle.dumps(m))
    assert again == m and again.msgid == "unknown country %(value)s"
    assert Msg("100%% of rows") == "100% of rows"
    assert localised("plain text") == "plain text"


def test_a_message_is_rendered_in_the_current_language() -> None:
    m = Msg("unknown country %(value)s", value="'XYZ'")
    with use_language("fr"):
        assert localised(m) == "pays inconnu\xa0: 'XYZ'"
    with use_language("es"):
        assert localised(m) == "país desconocido: 'XYZ'"
    with use_language("en"):
        assert localised(m) == "unknown country 'XYZ'"


def test_an_error_is_english_in_str_and_localised_for_people() -> None:
    exc = UnknownCountryError("KENN", suggestions=["KEN"])
    assert str(exc) == "unknown country 'KENN' (did you mean: KEN?)"
    with use_language("fr"):
        assert str(exc) == "unknown country 'KENN' (did you mean: KEN?)"  # logs, API
        assert message_of(exc) == "pays inconnu\xa0: 'KENN' (vouliez-vous dire\xa0: KEN\xa0?)"
    with use_language("es"):
        assert message_of(exc) == "país desconocido: 'KENN' (¿quiso decir: KEN?)"
    assert message_of(ValueError("plain")) == "plain"


def test_a_located_error_keeps_its_location_in_every_language() -> None:
    exc = ValidationError(Msg("unknown country %(value)s", value="'X'"), location="data.csv:3")
    assert str(exc) == "data.csv:3: unknown country 'X'"
    with use_language("fr"):
        assert exc.localised() == "data.csv:3: pays inconnu\xa0: 'X'"


def test_a_problem_is_localised_with_its_location() -> None:
    p = Problem(
        "unknown-country",
        Msg("unknown country %(value)s", value="'X'"),
        location=Location(file="a.csv", line=2),
        suggestions=("XK",),
    )
    assert p.to_record()["message"] == "unknown country 'X'"
    with use_language("es"):
        assert p.localised() == "a.csv:2: país desconocido: 'X' (¿quiso decir: XK?)"


def test_the_cli_prints_library_errors_in_the_requested_language() -> None:
    runner = CliRunner()
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "COLUMNS": "200"}
    result = runner.invoke(app, ["--lang", "fr", "indicators", "show", "nope"], env=env)
    assert result.exit_code == 2
    assert "erreur\N{NO-BREAK SPACE}: indicateur inconnu\xa0: 'nope'" in result.stderr
    result = runner.invoke(app, ["indicators", "show", "nope"], env=env)
    assert "error: unknown indicator 'nope'" in result.stderr


def test_every_module_that_raises_msg_messages_is_extracted() -> None:
    """A module using ``Msg`` outside every ``*-errors`` area would never be translated."""
    assert _script().unmarked_files() == []
