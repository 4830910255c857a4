"""Mapping validation against data: one test per problem kind, with the exact message.

Every check runs on the synthetic survey written as CSV (``survey.csv``) through DuckDB.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from equals.core.problems import Location
from equals.indicators.microdata import (
    CODES,
    MappingError,
    MappingReport,
    SurveyMapping,
    run_indicators,
    validate_mapping,
)
from equals.indicators.microdata.mapping import Binary, Categorical
from equals.survey import open_engine
from tests.indicators.microdata.conftest import MAPPING


def check(frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path) -> MappingReport:
    path = tmp_path / "survey.csv"
    frame.to_csv(path, index=False)
    return validate_mapping(mapping, open_engine("duckdb", path))


def with_concept(mapping: SurveyMapping, name: str, b: Binary) -> SurveyMapping:
    concepts = tuple((k, b if k == name else v) for k, v in mapping.concepts)
    return replace(mapping, concepts=concepts)


def only(report: MappingReport) -> list[str]:
    """The problems as text, without line numbers: the mappings here are built in code
    (replace() of the fixture), so their positions are those of the fixture file's keys."""
    return [str(replace(p, location=replace(p.location, line=None, column=None))) for p in report]


def test_fixture_mapping_is_valid(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    report = check(survey_frame, mapping, tmp_path)
    assert report.valid, report.render()


def test_unknown_column(survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path) -> None:
    bad = with_concept(mapping, "internet_use", Binary("Q7x", (1,), (2,), (8, 9)))
    assert only(check(survey_frame, bad, tmp_path)) == [
        "mapping.yaml: concepts.internet_use.column: no column 'Q7x' in survey.csv "
        "(closest: q7) [unknown-column]"
    ]


def test_unknown_column_without_close_names(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    bad = replace(mapping, design=replace(mapping.design, weight="pondération"))
    (problem,) = check(survey_frame, bad, tmp_path)
    assert problem.code == "unknown-column"
    line = next(i for i, t in enumerate(MAPPING.read_text().splitlines(), 1) if "weight:" in t)
    assert problem.location == Location(
        file="mapping.yaml", line=line, column=3, field="design.weight"
    )
    assert str(problem.location) == f"mapping.yaml:{line}:3: design.weight"
    assert problem.message == (
        "no column 'pondération' in survey.csv (columns: stratum, cluster, hhid, rel, wt, "
        "hhwt, b4, b5, ur, edu, lfs, q7, q10, q18, s_copa, s_email, h6)"
    )


def test_unmapped_code(survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path) -> None:
    bad = with_concept(mapping, "internet_use", Binary("q7", (1,), (2,), (9,)))
    n8 = int((survey_frame["q7"] == 8).sum())
    assert n8 > 0
    assert only(check(survey_frame, bad, tmp_path)) == [
        "mapping.yaml: concepts.internet_use: column 'q7' has values the mapping does not "
        f"cover: 8 ({n8} rows) [unmapped-code]"
    ]


def test_unmapped_text_codes_with_counts(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    frame = survey_frame.copy()
    frame.loc[:4, "q18"] = "refused"
    frame.loc[5:6, "q18"] = "N/A"
    bad = with_concept(mapping, "mobile_phone_ownership", Binary("q18", ("1",), ("2",), ()))
    n_dk = int((frame["q18"] == "DK").sum())
    assert only(check(frame, bad, tmp_path)) == [
        "mapping.yaml: concepts.mobile_phone_ownership: column 'q18' has values the mapping "
        f"does not cover: 'DK' ({n_dk} rows), 'refused' (5 rows), 'N/A' (2 rows) "
        "[unmapped-code]"
    ]


def test_out_of_range_age(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    frame = survey_frame.copy()
    frame.loc[0, "b5"] = -1
    frame.loc[1, "b5"] = 130
    assert only(check(frame, mapping, tmp_path)) == [
        "mapping.yaml: age.column: column 'b5' has 2 value(s) outside 0 to 120 "
        "(smallest -1, largest 130) [out-of-range]"
    ]


def test_wrong_type_column(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    frame = survey_frame.copy()
    frame["b5"] = frame["b5"].astype(str)
    frame.loc[0, "b5"] = "unknown"
    assert only(check(frame, mapping, tmp_path)) == [
        "mapping.yaml: age.column: column 'b5' is string, not numeric [wrong-type]"
    ]


def test_wrong_type_code(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    bad = with_concept(mapping, "internet_use", Binary("q7", ("Y", 1), (2,), (8, 9, "DK")))
    # "DK" among the *missing* codes of a numeric column is harmless and not reported.
    assert only(check(survey_frame, bad, tmp_path)) == [
        "mapping.yaml: concepts.internet_use.yes: code 'Y' cannot occur in numeric column "
        "'q7' [wrong-type]"
    ]


def test_conflicting_code(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    bad = with_concept(mapping, "internet_use", Binary("q7", (1,), (2, "1"), (8, 9)))
    assert only(check(survey_frame, bad, tmp_path)) == [
        "mapping.yaml: concepts.internet_use.no: code '1' is mapped to both 'yes' and 'no' "
        "[conflicting-code]"
    ]


def test_absent_code(survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path) -> None:
    sex = Categorical("b4", (("female", (2,)), ("male", (3,))), (1, 9))
    assert only(check(survey_frame, replace(mapping, sex=sex), tmp_path)) == [
        "mapping.yaml: sex.male: no row has a male code (3) in column 'b4' [absent-code]"
    ]


def test_missing_design_value_and_negative_weight(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    frame = survey_frame.copy()
    frame["cluster"] = frame["cluster"].astype("Int64")
    frame.loc[3, "cluster"] = pd.NA
    frame.loc[4, "wt"] = -2.5
    assert only(check(frame, mapping, tmp_path)) == [
        "mapping.yaml: design.psu: column 'cluster' has 1 missing value(s); design variables "
        "must be complete [missing-design-value]",
        "mapping.yaml: design.weight: column 'wt' has 1 negative value(s) (smallest -2.5) "
        "[negative-weight]",
    ]


def test_every_problem_at_once(
    survey_frame: pd.DataFrame, mapping: SurveyMapping, tmp_path: Path
) -> None:
    frame = survey_frame.copy()
    frame.loc[0, "b5"] = 150
    bad = with_concept(mapping, "internet_use", Binary("q7x", (1,), (2,), ()))
    bad = with_concept(bad, "skill_copa", Binary("s_copa", (1,), (2,), ()))
    report = check(frame, bad, tmp_path)
    assert report.codes() == ["unknown-column", "unmapped-code", "out-of-range"]
    assert set(report.codes()) <= set(CODES)


def test_runner_refuses_invalid_mapping(survey_frame: pd.DataFrame, mapping: SurveyMapping) -> None:
    bad = with_concept(mapping, "internet_use", Binary("q7", (1,), (2,), ()))
    with pytest.raises(MappingError) as info:
        run_indicators(survey_frame, bad)
    assert info.value.report.codes() == ["unmapped-code"]


def test_cli_prints_report_exits_2_runs_nothing(survey_csv: Path, tmp_path: Path) -> None:
    import equals.cli.survey_indicators  # noqa: F401  (registers the command)
    from equals.cli import app
    from tests.indicators.microdata.conftest import MAPPING

    text = (
        MAPPING.read_text()
        .replace("column: q7,", "column: q7x,")
        .replace("missing: [8]}", "missing: []}")
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    out = tmp_path / "results.csv"
    db = tmp_path / "never.db"
    result = CliRunner().invoke(
        app,
        [
            "survey",
            "indicators",
            str(survey_csv),
            "--mapping",
            str(bad),
            "--out",
            str(out),
            "--publish",
            "--db",
            f"sqlite:///{db}",
        ],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 2, result.output
    assert "bad.yaml: 3 problem(s) with survey.csv" in result.stderr
    line, column = next(
        (i, t.index("column: q7x") + 1)
        for i, t in enumerate(text.splitlines(), 1)
        if "column: q7x," in t
    )
    assert (
        f"bad.yaml:{line}:{column}: concepts.internet_use.column: no column 'q7x' in survey.csv "
        "(closest: q7) [unknown-column]" in result.stderr
    )
    assert result.stderr.count("[unmapped-code]") == 2
    assert not out.exists() and not db.exists()
