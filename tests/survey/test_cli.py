"""``equals survey estimate`` / ``gap``: the JSON contract of issue 3 and exit code 2 errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import equals.cli.survey  # noqa: F401  (registers the survey commands until cli/__init__ does)
from equals.cli import app
from tests.survey.golden import GOLDEN_DIR

SIM = str(GOLDEN_DIR / "sim.csv")
DESIGN = ["--weight", "w", "--strata", "stratum", "--psu", "psu"]
EST_KEYS = {
    "variable",
    "statistic",
    "domain",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "deff",
    "cv",
    "n",
    "flags",
}
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["survey", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_help() -> None:
    for args in ([], ["estimate"], ["gap"]):
        code, out, _ = run(*args, "--help")
        assert code == 0 and "Usage" in out
    _, out, _ = run("estimate", "--help")
    assert "spark" in out and "--lonely-psu" in out and "--df" in out


def test_estimate_json_contract() -> None:
    code, out, err = run(
        "estimate",
        SIM,
        *DESIGN,
        "--proportion",
        "internet",
        "--mean",
        "hours",
        "--total",
        "internet",
        "--format",
        "json",
    )
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 3
    for row in rows:
        assert set(row) >= EST_KEYS
        assert row["domain"] == {}
        assert row["ci_low"] < row["estimate"] < row["ci_high"]
        assert isinstance(row["flags"], list) and isinstance(row["n"], int)
    assert {r["statistic"] for r in rows} == {"mean", "proportion", "total"}


def test_estimate_by_two_columns_and_levels() -> None:
    code, out, err = run(
        "estimate", SIM, *DESIGN, "--proportion", "edu", "--by", "sex,urban", "--format", "json"
    )
    assert code == 0, err
    rows = json.loads(out)
    assert {tuple(sorted(r["domain"])) for r in rows} == {("sex", "urban")}
    assert {r["level"] for r in rows} == {"none", "primary", "secondary", "tertiary"}
    for dom in {json.dumps(r["domain"], sort_keys=True) for r in rows}:
        shares = [r["estimate"] for r in rows if json.dumps(r["domain"], sort_keys=True) == dom]
        assert sum(shares) == pytest.approx(1.0)
    code, out, _ = run("estimate", SIM, *DESIGN, "--proportion", "edu=tertiary", "--format", "json")
    assert [r["level"] for r in json.loads(out)] == ["tertiary"]


def test_estimate_csv_and_table() -> None:
    code, out, _ = run(
        "estimate", SIM, *DESIGN, "--mean", "hours", "--by", "sex", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["domain"] for r in rows] == ["sex=1", "sex=2"]
    code, out, _ = run("estimate", SIM, *DESIGN, "--ratio", "spend/income")
    assert code == 0 and "ratio" in out


def test_gap_json_contract() -> None:
    code, out, err = run(
        "gap",
        SIM,
        *DESIGN,
        "--sex",
        "sex",
        "--female",
        "2",
        "--male",
        "1",
        "--proportion",
        "internet",
        "--by",
        "urban",
        "--format",
        "json",
    )
    assert code == 0, err
    rows = json.loads(out)
    assert len(rows) == 2
    for row in rows:
        assert {
            "variable",
            "domain",
            "female",
            "male",
            "difference",
            "parity",
            "relative_gap",
        } <= set(row)
        for part in ("female", "male", "difference", "parity", "relative_gap"):
            assert {"estimate", "se"} <= set(row[part])
        f, m = row["female"]["estimate"], row["male"]["estimate"]
        assert row["difference"]["estimate"] == pytest.approx(m - f)
        assert row["parity"]["estimate"] == pytest.approx(f / m)
        assert row["relative_gap"]["estimate"] == pytest.approx((m - f) / m)
    code, out, _ = run(
        "gap",
        SIM,
        *DESIGN,
        "--sex",
        "sex",
        "--female",
        "2",
        "--male",
        "1",
        "--mean",
        "hours",
        "--format",
        "csv",
    )
    assert code == 0 and "difference_se" in out


def _csv(path: Path, rows: list[str]) -> str:
    path.write_text("\n".join(rows) + "\n")
    return str(path)


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--weight", "wt", "--mean", "hours"], ["sim.csv", "'wt'", "available", "stratum"]),
        (["--weight", "w", "--mean", "nope"], ["'nope'", "sim.csv"]),
        (["--weight", "w", "--mean", "hours", "--engine", "polars"], ["unknown engine"]),
        (
            ["--weight", "w", "--mean", "hours", "--spark-master", "local[2]"],
            ["--engine spark"],
        ),
        (
            ["--weight", "w", "--strata", "stratum_l", "--psu", "psu", "--mean", "hours"],
            ["east-urban-1", "one PSU"],
        ),
        (["--weight", "w", "--mean", "edu"], ["'edu'", "not numeric"]),
        (["--weight", "w"], ["at least one"]),
    ],
)
def test_estimate_errors_exit_2(args: list[str], needles: list[str]) -> None:
    code, out, err = run("estimate", SIM, *args)
    assert code == 2, out
    for needle in needles:
        assert needle in err.replace("\n", " "), (needle, err)


def test_bad_weights_exit_2(tmp_path: Path) -> None:
    text = _csv(tmp_path / "text.csv", ["w,y", "1,2", "abc,3"])
    code, _, err = run("estimate", text, "--weight", "w", "--mean", "y")
    assert code == 2 and "text.csv" in err and "'w'" in err and "not numeric" in err
    neg = _csv(tmp_path / "neg.csv", ["w,y", "1,2", "-1,3"])
    code, _, err = run("estimate", neg, "--weight", "w", "--mean", "y")
    assert code == 2 and "neg.csv" in err and "negative" in err
    code, _, err = run("estimate", str(tmp_path / "absent.csv"), "--weight", "w", "--mean", "y")
    assert code == 2 and "not found" in err
    other = _csv(tmp_path / "data.txt", ["w,y", "1,2"])
    code, _, err = run("estimate", other, "--weight", "w", "--mean", "y")
    assert code == 2 and "unsupported" in err


def test_gap_unknown_sex_value_exit_2() -> None:
    code, _, err = run(
        "gap", SIM, *DESIGN, "--sex", "sex", "--female", "F", "--male", "1", "--mean", "hours"
    )
    assert code == 2 and "--female" in err and "values seen: 1, 2" in err


def test_file_urls_keep_their_double_slash() -> None:
    """FILE is passed on as typed: a Spark URL such as s3a://bucket/key is not folded into a
    local path (s3a:/bucket/key) on its way to the engine."""
    result = runner.invoke(
        app,
        ["survey", "estimate", "s3a://bucket/lfs.parquet", "--weight", "w", "--mean", "y"],
    )
    assert result.exit_code == 2
    assert "s3a://bucket/lfs.parquet" in result.stderr


def test_a_domain_variable_without_values_exit_2(tmp_path: Path) -> None:
    """``--by`` a column empty on every row: refused by name, not an empty table."""
    empty = _csv(tmp_path / "empty.csv", ["w,y,region", "1,0,", "2,1,", "1,1,"])
    code, out, err = run("estimate", empty, "--weight", "w", "--mean", "y", "--by", "region")
    assert code == 2, out
    assert "empty.csv" in err and "'region'" in err and "no value on any row" in err
