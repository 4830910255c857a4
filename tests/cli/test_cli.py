"""The ``equals`` CLI through Typer's CliRunner, against a loaded temporary database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.cli import app
from equals.evidence.queries import Evidence

runner = CliRunner()


def run(*args: str, db: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db])
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help() -> None:
    for args in (
        [],
        ["init"],
        ["serve"],
        ["indicators"],
        ["indicators", "list"],
        ["indicators", "show"],
        ["gaps"],
        ["country"],
        ["sources"],
    ):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0, args
        assert "Usage" in result.stdout
        assert len(result.stdout) > 200


def test_init_is_idempotent(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    code, out, _ = run("init", db=db)
    assert code == 0 and "Loaded" in out
    code, out, _ = run("init", db=db)
    assert code == 0 and "Already up to date" in out


def test_db_url_from_environment(tmp_path: Path, loaded_db_url: str) -> None:
    result = runner.invoke(app, ["sources", "--format", "json"], env={"EQUALS_DB": loaded_db_url})
    assert result.exit_code == 0
    assert {s["id"] for s in json.loads(result.stdout)} >= {"wdi"}


def test_indicators_list_json_contract(loaded_db_url: str, evidence: Evidence) -> None:
    code, out, _ = run("indicators", "list", "--format", "json", db=loaded_db_url)
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and len(data) >= 15
    for item in data:
        assert {"id", "title", "pillar", "unit", "source", "licence"} <= set(item)
        assert item["pillar"] in {"access", "skills", "leadership"}
        assert item["licence"]
    assert {i["pillar"] for i in data} == {"access", "skills", "leadership"}
    assert [i["id"] for i in data] == [i.id for i in evidence.catalogue]


def test_indicators_list_csv_and_table(loaded_db_url: str) -> None:
    code, out, _ = run("indicators", "list", "--format", "csv", db=loaded_db_url)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) >= 15 and rows[0]["licence"]
    code, out, _ = run("indicators", "list", db=loaded_db_url)
    assert code == 0 and "internet_use" in out


def test_indicators_show(loaded_db_url: str) -> None:
    code, out, _ = run("indicators", "show", "internet_use", "--format", "json", db=loaded_db_url)
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "internet_use" and data["years"] and data["sources_detail"]


@pytest.mark.parametrize(
    ("args", "bad", "hint"),
    [
        (["indicators", "show", "internet_usage"], "internet_usage", "internet_use"),
        (["gaps", "internet_usee"], "internet_usee", "internet_use"),
        (["country", "KEM"], "KEM", "KEN"),
        (["country", "Kenyaa"], "Kenyaa", "KEN"),
    ],
)
def test_unknown_names_one_line_error_with_suggestions_exit_2(
    loaded_db_url: str, args: list[str], bad: str, hint: str
) -> None:
    code, out, err = run(*args, db=loaded_db_url)
    assert code == 2
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert bad in lines[0] and hint in lines[0]


def test_gaps_json_matches_library(loaded_db_url: str, evidence: Evidence) -> None:
    code, out, _ = run("gaps", "internet_use", "--format", "json", db=loaded_db_url)
    assert code == 0
    data = json.loads(out)
    expected = evidence.gaps("internet_use")
    assert len(data) == len(expected)
    by_code = {d["country"]: d for d in data}
    for row in expected[:20]:
        d = by_code[row.area]
        assert d["female"] == row.female and d["male"] == row.male and d["year"] == row.year
        assert d["parity"] == pytest.approx(row.female / row.male)  # type: ignore[operator]
    parities = [d["parity"] for d in data if d["parity"] is not None]
    assert parities == sorted(parities)


@pytest.mark.parametrize("metric", ["parity", "relative", "difference"])
def test_gaps_metric_and_year(loaded_db_url: str, evidence: Evidence, metric: str) -> None:
    year = evidence.years("internet_use")[-3]
    code, out, _ = run(
        "gaps",
        "internet_use",
        "--year",
        str(year),
        "--metric",
        metric,
        "--format",
        "csv",
        db=loaded_db_url,
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["year"] == str(year) for r in rows)
    values = [float(r[metric]) for r in rows if r[metric]]
    assert values == sorted(values, reverse=(metric == "relative"))


def test_gaps_bad_metric_exit_2(loaded_db_url: str) -> None:
    code, _, err = run("gaps", "internet_use", "--metric", "ratio", db=loaded_db_url)
    assert code == 2 and "ratio" in err


def test_country(loaded_db_url: str, evidence: Evidence) -> None:
    code, out, _ = run("country", "ken", "--format", "json", db=loaded_db_url)
    assert code == 0
    data = json.loads(out)
    assert data["country"]["code"] == "KEN" and data["country"]["name"] == "Kenya"
    shown = {e["indicator"]["id"] for e in data["indicators"]}
    missing = {m["id"] for m in data["missing"]}
    assert shown | missing == {i.id for i in evidence.catalogue}
    assert not shown & missing
    code, out, _ = run("country", "KEN", db=loaded_db_url)
    assert code == 0 and "Kenya" in out
