"""Data errors in the reader's language (issue 12, catalogue ``data-errors``).

The survey engine's, the store's, the settings', the indicator data files' and the survey
mapping's messages are English in ``str(exc)`` (logs, the API's JSON, anything stored) and in
French or Spanish where a person reads them: the CLI with ``--lang``, ``message_of``,
``Problem.localised``. The translations checked are the catalogue's own
(``src/equals/locales/*/LC_MESSAGES/data-errors.po``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import equals.cli.survey_data
import equals.cli.survey_indicators  # noqa: F401  (register the survey commands)
from equals.cli import app
from equals.core.errors import DataFileError, EditConflictError, ValidationError, message_of
from equals.core.i18n import Msg, localised, use_language
from equals.indicators.bundle import load_sources
from equals.indicators.microdata import MappingError, SurveyMapping, load_mapping
from equals.indicators.microdata.publish import SyntheticDataError
from equals.indicators.microdata.validate import validate_mapping
from equals.indicators.sources.base import parse_value
from equals.settings import Settings
from equals.survey import Design, estimate, mean, open_engine
from equals.survey.errors import NonNumericVariableError
from equals.survey.simulate import SYNTHETIC_NOTE, SYNTHETIC_WARNING, iter_notes
from tests.indicators.microdata.conftest import MAPPING
from tests.indicators.microdata.synthetic import make_survey

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
            f"{text_survey}: la colonne 'x' est de type texte, non numérique\xa0: une moyenne "
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
    assert "(valeur reçue\xa0: 1.5)" in err
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
            "EQUALS_LOG_LEVEL: niveau de journalisation 'loud' inconnu\xa0; valeurs possibles\xa0: "
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
        assert message_of(exc).startswith(
            "record 7\xa0: une version plus récente existe (version 3"
        )
    with use_language("es"):
        assert "no se guardó nada" in message_of(exc)


# -- survey mappings (equals survey indicators) -----------------------------------------------


@pytest.fixture(scope="module")
def survey_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("survey") / "survey.csv"
    make_survey().to_csv(path, index=False)
    return path


def _mapping(tmp_path: Path, old: str, new: str) -> Path:
    text = MAPPING.read_text("utf-8")
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_mapping_report_is_printed_in_the_requested_language(
    tmp_path: Path, survey_csv: Path
) -> None:
    bad = _mapping(tmp_path, "column: b4,", "column: b44,")
    args = ["survey", "indicators", str(survey_csv), "--mapping", str(bad)]
    result = runner.invoke(app, ["--lang", "fr", *args], env=ENV)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"erreur{NBSP}: bad.yaml\xa0: 1 problème(s) avec survey.csv"
    assert lines[1].startswith("  - bad.yaml:9:")
    assert lines[1].endswith(
        "sex.column: aucune colonne 'b44' dans survey.csv "
        "(les plus proches\xa0: b4) [unknown-column]"
    )
    result = runner.invoke(app, ["--lang", "es", *args], env=ENV)
    assert result.stderr.splitlines()[0] == "error: bad.yaml: 1 problema(s) con survey.csv"
    assert "no hay ninguna columna 'b44' en survey.csv (las más parecidas: b4)" in (result.stderr)
    result = runner.invoke(app, args, env=ENV)
    assert result.stderr.splitlines() == [
        "error: bad.yaml: 1 problem(s) with survey.csv",
        "  - bad.yaml:9:7: sex.column: no column 'b44' in survey.csv (closest: b4) "
        "[unknown-column]",
    ]


def test_a_shape_problem_of_the_mapping_is_translated_with_its_hint(tmp_path: Path) -> None:
    bad = _mapping(tmp_path, "survey: Synth", "surveys: Synth")
    with pytest.raises(MappingError) as info:
        load_mapping(bad)
    exc = info.value
    assert (
        str(exc)
        .splitlines()[1]
        .endswith(
            "surveys: unknown key 'surveys' (did you mean 'survey'?); allowed: survey, unit, "
            "design, sex, age, age_group, location, education, labour_force, concepts, households, "
            "scope, source, country, year [mapping-invalid]"
        )
    )
    with use_language("fr"):
        assert (
            "clé inconnue 'surveys' (vouliez-vous dire 'survey'\xa0?)\xa0; clés autorisées\xa0: "
            in (message_of(exc))
        )
        assert str(exc) == exc.report.render()  # English whatever the language
    with use_language("es"):
        assert "clave desconocida 'surveys' (¿quiso decir 'survey'?); claves permitidas: " in (
            message_of(exc)
        )


def test_unmapped_codes_are_listed_with_their_rows_in_every_language() -> None:
    # Values 1..15, value v on v rows: 1 and 2 are mapped, 13 values are not (15 rows first).
    values = [v for v in range(1, 16) for _ in range(v)]
    frame = pd.DataFrame({"wt": [1.0] * len(values), "q7": values})
    mapping = SurveyMapping.from_descriptor(
        {
            "design": {"weight": "wt"},
            "concepts": {"internet_use": {"column": "q7", "yes": [1], "no": [2]}},
        }
    )
    (problem,) = validate_mapping(mapping, open_engine("duckdb", frame)).problems
    assert problem.code == "unmapped-code"
    shown = ", ".join(f"{v} ({v} rows)" for v in range(15, 5, -1))
    assert problem.message == (
        f"column 'q7' has values the mapping does not cover: {shown}, and 3 more value(s) (12 rows)"
    )
    with use_language("fr"):
        text = problem.localised()
        assert text.startswith(
            "mapping.yaml: concepts.internet_use: la colonne 'q7' contient des valeurs que la "
            "correspondance ne couvre pas\xa0: 15 (15 lignes), 14 (14 lignes), 13 (13 lignes), "
        )
        assert text.endswith("6 (6 lignes), et 3 autre(s) valeur(s) (12 lignes)")
    with use_language("es"):
        assert problem.localised().endswith("6 (6 filas) y 3 valor(es) más (12 filas)")


def test_skipped_indicators_are_reported_in_the_requested_language(survey_csv: Path) -> None:
    args = ["survey", "indicators", str(survey_csv), "--mapping", str(MAPPING), "--format", "csv"]
    result = runner.invoke(app, ["--lang", "es", *args], env=ENV)
    assert result.exit_code == 0, result.output
    assert "HH4 omitido: la correspondencia no tiene el concepto 'household_computer'" in (
        result.stderr.splitlines()
    )
    result = runner.invoke(app, ["--lang", "fr", *args, "--format", "json"], env=ENV)
    assert "HH4 ignoré\xa0: la correspondance n'a pas de concept 'household_computer'" in (
        result.stderr.splitlines()
    )
    document = json.loads(result.stdout)  # the JSON stays English
    skipped = {s["itu_code"]: s["reason"] for s in document["skipped"]}
    assert skipped["HH4"] == "the mapping has no concept 'household_computer'"


def test_synthetic_data_is_refused_in_every_language(tmp_path: Path) -> None:
    exc = SyntheticDataError(
        Msg(
            "synthetic data (written by `equals survey simulate`); publishing it would put "
            "invented figures among the evidence. Nothing was published. For a demo "
            "database, add --allow-synthetic (the source is then labelled SYNTHETIC)."
        ),
        location="sim.parquet",
    )
    assert str(exc).startswith("sim.parquet: synthetic data (written by `equals survey simulate`)")
    with use_language("fr"):
        assert message_of(exc).startswith("sim.parquet: données synthétiques (écrites par")
    with use_language("es"):
        assert "No se publicó nada." in message_of(exc)


# -- the bundled indicator data files -------------------------------------------------------


def test_a_data_file_error_names_its_place_in_every_language(tmp_path: Path) -> None:
    entry = (
        "  - {id: wdi, organisation: World Bank, title: WDI, licence: CC BY 4.0,\n"
        "     retrieved_from: worldbank.org}\n"
    )
    (tmp_path / "sources.yaml").write_text("sources:\n" + entry * 2, "utf-8")
    with pytest.raises(DataFileError) as info:
        load_sources(tmp_path)
    exc = info.value
    where = str(tmp_path / "sources.yaml")
    assert str(exc) == f"{where}: duplicate source id 'wdi'"
    with use_language("fr"):
        assert message_of(exc) == f"{where}: identifiant de source en double\xa0: 'wdi'"
    with use_language("es"):
        assert message_of(exc) == f"{where}: identificador de fuente duplicado: 'wdi'"


def test_a_bad_cell_of_a_source_file_in_every_language() -> None:
    with pytest.raises(DataFileError) as info:
        parse_value("12,5", where="wdi.csv:7")
    assert str(info.value) == "wdi.csv:7: not a number: '12,5'"
    with use_language("fr"):
        assert message_of(info.value) == "wdi.csv:7: pas un nombre\xa0: '12,5'"
    with use_language("es"):
        assert message_of(info.value) == "wdi.csv:7: no es un número: '12,5'"


def test_the_synthetic_data_warning_is_shown_in_the_requested_language(
    tmp_path: Path, loaded_db_url: str
) -> None:
    out = tmp_path / "ken.parquet"
    args = ["survey", "simulate", "--country", "KEN", "--persons", "500", "--out", str(out)]
    result = runner.invoke(app, ["--lang", "fr", *args, "--db", loaded_db_url, "-q"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        "DONNÉES SYNTHÉTIQUES générées par `equals survey simulate`\xa0: il ne s'agit pas d'une "
        "enquête réelle."
    )
    # The files keep the English note (they are data, read by anyone).
    note = json.loads(dict(iter_notes(out))["equals.synthetic"])["note"]
    assert note == SYNTHETIC_NOTE == str(SYNTHETIC_WARNING)
    assert type(SYNTHETIC_NOTE) is str and SYNTHETIC_NOTE.startswith("SYNTHETIC DATA generated")
    mapping = (tmp_path / "ken.mapping.yaml").read_text("utf-8")
    assert "SYNTHETIC DATA generated by" in mapping
    with use_language("es"):
        assert localised(SYNTHETIC_WARNING).startswith("DATOS SINTÉTICOS generados por")
