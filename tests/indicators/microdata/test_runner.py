"""The runner: indicators equal direct calls of the estimators on a hand-harmonised frame.

Reference values come from :func:`equals.survey.estimate` / :func:`equals.survey.gender_gaps`
(whose SEs are checked against R ``survey`` in ``tests/survey``), run on the same survey
recoded with pandas: so this checks the mapping's SQL harmonisation, the scope-as-domain rule
and the bookkeeping, not the variance formulas again.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from equals.indicators.microdata import SurveyMapping, run_indicators
from equals.indicators.microdata.runner import RECORD_COLUMNS
from equals.survey import Design, estimate, gender_gaps, proportion
from tests.indicators.microdata.conftest import MAPPING

DESIGN = Design(weight="wt", strata="stratum", psu="cluster")


def harmonised(frame: pd.DataFrame) -> pd.DataFrame:
    """The fixture mapping applied by hand."""
    h = frame[["wt", "hhwt", "stratum", "cluster"]].copy()
    h["sex"] = frame["b4"].map({2: "female", 1: "male"})
    h["scope"] = np.where(frame["b5"] >= 15, 1.0, np.nan)
    h["location"] = frame["ur"].map({1: "urban", 2: "rural"})
    h["internet"] = frame["q7"].map({1: 1.0, 2: 0.0})
    h["own"] = frame["q18"].map({"1": 1.0, "2": 0.0})
    h["hh"] = np.where(frame["rel"] == 1, 1.0, np.nan)
    h["h6"] = frame["h6"].map({1: 1.0, 2: 0.0})
    return h


@pytest.fixture(scope="module")
def run(survey_frame: pd.DataFrame, mapping: SurveyMapping):  # type: ignore[no-untyped-def]
    return run_indicators(survey_frame, mapping)


def _by(results, **domain):  # type: ignore[no-untyped-def]
    return next(r for r in results if dict(r.domain) == domain)


@pytest.mark.parametrize("code,var", [("HH7", "internet"), ("HH18", "own")])
def test_estimates_equal_direct_calls(run, survey_frame: pd.DataFrame, code: str, var: str) -> None:  # type: ignore[no-untyped-def]
    h = harmonised(survey_frame)
    res = run.result(code)
    for by in ([], ["sex"], ["location"], ["sex", "location"]):
        direct = estimate(h, DESIGN, [proportion(var)], ["scope", *by])
        for d in direct:
            domain = {k: v for k, v in d.domain.items() if k != "scope"}
            got = _by(res.estimates, **domain)
            assert got.estimate == pytest.approx(d.estimate, rel=1e-12)
            assert got.se == pytest.approx(d.se, rel=1e-12)
            assert got.deff == pytest.approx(d.deff, rel=1e-12)
            assert (got.n, got.missing, got.flags) == (d.n, d.missing, d.flags)
            assert got.ci_low == pytest.approx(d.ci_low, rel=1e-12)


def test_gaps_equal_direct_calls(run, survey_frame: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    h = harmonised(survey_frame)
    res = run.result("HH7")
    for by in ([], ["location"]):
        direct = gender_gaps(
            h,
            DESIGN,
            [proportion("internet")],
            sex="sex",
            female="female",
            male="male",
            by=["scope", *by],
        )
        for d in direct:
            domain = {k: v for k, v in d.domain.items() if k != "scope"}
            got = _by(res.gaps, **domain)
            for part in ("female", "male", "difference", "parity", "relative_gap"):
                assert getattr(got, part).estimate == pytest.approx(getattr(d, part).estimate)
                assert getattr(got, part).se == pytest.approx(getattr(d, part).se, rel=1e-12)
    assert len(res.gaps) == 1 + 3 + 2 + 3 + 3  # overall, age groups, location, education, lfs


def test_household_indicator(run, survey_frame: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    h = harmonised(survey_frame)
    direct = estimate(h, replace(DESIGN, weight="hhwt"), [proportion("h6")], ["hh"])
    res = run.result("HH6")
    assert res.scope == "households (rel in [1])"
    overall = _by(res.estimates)
    assert overall.estimate == pytest.approx(direct[0].estimate, rel=1e-12)
    assert overall.se == pytest.approx(direct[0].se, rel=1e-12)
    assert overall.n == int((survey_frame["rel"] == 1).sum())
    assert not res.gaps and all("sex" not in e.domain for e in res.estimates)


def test_breakdowns_and_domains(run) -> None:  # type: ignore[no-untyped-def]
    res = run.result("HH7")
    keys = {tuple(sorted(e.domain)) for e in res.estimates}
    assert keys == {
        (),
        ("sex",),
        *((b,) for b in ("age_group", "location", "education", "labour_force")),
        *(
            tuple(sorted(("sex", b)))
            for b in ("age_group", "location", "education", "labour_force")
        ),
    }
    ages = {e.domain["age_group"] for e in res.estimates if "age_group" in e.domain}
    assert ages == {"15-24", "25-74", "75+"}  # scope 15+: no child age group


def test_skipped_with_reasons(run) -> None:  # type: ignore[no-untyped-def]
    reasons = {s.indicator.itu_code: s.reason for s in run.skipped}
    assert reasons["HH5"] == "the mapping has no concept 'computer_use'"
    assert set(reasons) == {
        "HH4",
        "HH5",
        *(f"HH15_{s}" for s in ("CMFL", "ARSP", "INST", "SOFT", "EPRS", "TRAF", "PCPR")),
    }
    assert [r.indicator.itu_code for r in run.results] == [
        "HH6",
        "HH7",
        "HH10",
        "HH18",
        "HH15_COPA",
        "HH15_EMAIL",
    ]


def test_household_indicator_skipped_without_households_block(
    survey_frame: pd.DataFrame, mapping: SurveyMapping
) -> None:
    run = run_indicators(survey_frame, replace(mapping, households=None), indicators=["HH6"])
    (skipped,) = run.skipped
    assert skipped.reason.startswith("household indicator, but the file's rows are individuals")


def test_no_age_column_note(survey_frame: pd.DataFrame, mapping: SurveyMapping) -> None:
    run = run_indicators(survey_frame, replace(mapping, age=None), indicators=["HH7"])
    res = run.result("HH7")
    assert res.scope == "all rows"
    assert res.notes == (
        "age scope (age 15+) not applied: the mapping has no age column; every row is taken "
        "as in scope",
    )
    assert _by(res.estimates).n == int(survey_frame["q7"].isin([1, 2]).sum())


def test_records_are_tidy(run) -> None:  # type: ignore[no-untyped-def]
    recs = run.records()
    assert all(list(r) == list(RECORD_COLUMNS) for r in recs)
    gap = next(
        r
        for r in recs
        if r["itu_code"] == "HH7" and r["statistic"] == "parity" and r["breakdown"] == ""
    )
    assert gap["sex"] == "" and gap["se"] > 0
    total = next(
        r for r in recs if r["itu_code"] == "HH7" and r["sex"] == "total" and r["breakdown"] == ""
    )
    assert 0 < total["estimate"] < 1 and total["catalogue_id"] == "internet_use"


def _cli(*args: str):  # type: ignore[no-untyped-def]
    import equals.cli.survey_indicators  # noqa: F401  (registers the command)
    from equals.cli import app

    return CliRunner().invoke(app, ["survey", "indicators", *args], env={"COLUMNS": "250"})


def test_cli_json_and_out_files(survey_csv: Path, tmp_path: Path) -> None:
    result = _cli(
        str(survey_csv),
        "--mapping",
        str(MAPPING),
        "--format",
        "json",
        "--indicator",
        "HH7",
        "--out",
        str(tmp_path / "r.parquet"),
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"data", "mapping", "ci_level", "results", "skipped", "published"}
    assert doc["published"] is None and doc["skipped"] == []
    assert {r["itu_code"] for r in doc["results"]} == {"HH7"}
    frame = pd.read_parquet(tmp_path / "r.parquet")
    assert list(frame.columns) == list(RECORD_COLUMNS) and len(frame) == len(doc["results"])
    for suffix in ("csv", "json"):
        out = tmp_path / f"r.{suffix}"
        assert (
            _cli(
                str(survey_csv), "--mapping", str(MAPPING), "--indicator", "HH7", "--out", str(out)
            ).exit_code
            == 0
        )
        assert out.stat().st_size > 0
    assert pd.read_csv(tmp_path / "r.csv").shape == frame.shape


def test_cli_bad_out_suffix_and_missing_file(survey_csv: Path, tmp_path: Path) -> None:
    r = _cli(str(survey_csv), "--mapping", str(MAPPING), "--out", str(tmp_path / "r.xlsx"))
    assert r.exit_code == 2 and "--out must end in .csv, .json, .parquet" in r.stderr
    r = _cli(str(tmp_path / "nope.csv"), "--mapping", str(MAPPING))
    assert r.exit_code == 2 and "nope.csv" in r.stderr


def test_cli_help() -> None:
    r = _cli("--help")
    assert r.exit_code == 0 and "--mapping" in r.stdout and "--publish" in r.stdout
