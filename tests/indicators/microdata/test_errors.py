"""Specific errors instead of bare KeyErrors: unknown ITU codes get "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from equals.core.errors import NotFoundError, UnknownItuIndicatorError
from equals.indicators.microdata import SurveyMapping, load_itu_indicators, run_indicators
from equals.indicators.microdata.runner import SkippedIndicatorError
from tests.indicators.microdata.conftest import MAPPING


def test_unknown_itu_code_gets_did_you_mean() -> None:
    with pytest.raises(UnknownItuIndicatorError) as info:
        load_itu_indicators().get("HH99")
    assert info.value.code == "unknown-itu-indicator"
    assert str(info.value).startswith("unknown ITU indicator 'HH99' (did you mean: HH")
    assert isinstance(info.value, NotFoundError)  # HTTP 404, CLI exit 2


def test_itu_codes_and_ids_in_any_case() -> None:
    catalogue = load_itu_indicators()
    hh7 = catalogue.get("HH7")
    assert catalogue.get("hh7") is hh7 and catalogue.get(f" {hh7.id.upper()} ") is hh7


def test_result_of_a_skipped_or_unknown_indicator(
    survey_frame: pd.DataFrame, mapping: SurveyMapping
) -> None:
    run = run_indicators(survey_frame, mapping, indicators=["HH7"])
    assert run.result("hh7").indicator.itu_code == "HH7"
    with pytest.raises(UnknownItuIndicatorError, match="did you mean: HH7"):
        run.result("HH77")
    if run.skipped:
        with pytest.raises(SkippedIndicatorError):
            run.result(run.skipped[0].indicator.itu_code)


def test_cli_unknown_indicator_is_one_line_exit_2(survey_csv: Path) -> None:
    import equals.cli.survey_indicators  # noqa: F401  (registers the command)
    from equals.cli import app

    result = CliRunner().invoke(
        app,
        ["survey", "indicators", str(survey_csv), "--mapping", str(MAPPING), "--indicator", "HH99"],
    )
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert line.startswith("error: unknown ITU indicator 'HH99' (did you mean: HH")
    assert "\n" not in line and "Traceback" not in result.output


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    from equals.indicators.microdata import MappingError, load_mapping

    bad = tmp_path / "broken.yaml"
    bad.write_text("design:\n  weight: wt\n  strata: [a, b\n")
    with pytest.raises(MappingError) as info:
        load_mapping(bad)
    (problem,) = info.value.report.problems
    assert problem.code == "mapping-invalid"
    assert problem.location.file == "broken.yaml" and problem.location.line is not None
    assert str(problem).startswith(f"broken.yaml:{problem.location.line}:")
