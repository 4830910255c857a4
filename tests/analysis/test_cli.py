"""The analysis commands: JSON shapes, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from equals.cli import app

runner = CliRunner()


def run(db: str, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, [*args, "--db", db])
    return res.exit_code, res.stdout, res.output


def test_index_json_shape(loaded_db_url: str) -> None:
    code, out, _ = run(loaded_db_url, "index", "--format", "json", "--draws", "50")
    assert code == 0
    rows = json.loads(out)
    keys = ("country", "score", "access", "skills", "leadership", "rank", "rank_low", "rank_high")
    assert all(tuple(r) == keys for r in rows)
    ranked = [r for r in rows if r["rank"] is not None]
    assert ranked and all(r["rank_low"] <= r["rank"] <= r["rank_high"] for r in ranked)
    assert all(r["score"] is None and r["rank"] is None for r in rows if r["access"] is None)
    assert [r["rank"] for r in ranked] == sorted(r["rank"] for r in ranked)


def test_index_csv_and_table(loaded_db_url: str) -> None:
    code, out, _ = run(loaded_db_url, "index", "--format", "csv", "--draws", "20")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["rank"] == "1" and rows[0]["name"]
    code, out, _ = run(loaded_db_url, "index", "--draws", "20", "--weights", "sd")
    assert code == 0 and "rank interval" in out


def test_index_bad_input_exits_2(loaded_db_url: str) -> None:
    code, _, output = run(loaded_db_url, "index", "--window", "0")
    assert code == 2 and "--window" in output
    code, _, output = run(loaded_db_url, "index", "--draws", "-1")
    assert code == 2 and "draws" in output
    code, _, output = run(loaded_db_url, "index", "--method", "/nonexistent.yaml")
    assert code == 2 and "file not found" in output


def test_parity_years(loaded_db_url: str) -> None:
    code, out, _ = run(
        loaded_db_url, "parity-years", "KEN", "women_in_parliament", "--format", "json"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["status"] in {"converging", "diverging", "not_at_current_pace", "at_parity"}
    assert doc["method"]["parity_band"] == [0.98, 1.02]
    observed = [r for r in doc["series"] if r["kind"] == "observed"]
    assert len(observed) == doc["points"] >= 5
    code, out, _ = run(loaded_db_url, "parity-years", "kem", "internet_use")
    assert code == 2
    code, out, output = run(loaded_db_url, "parity-years", "KEN", "internet_use")
    assert code == 0 and "not enough data" in output


def test_headlines_and_pace(loaded_db_url: str) -> None:
    code, out, _ = run(loaded_db_url, "headlines", "account_ownership", "--format", "json")
    assert code == 0
    groups = json.loads(out)
    world = groups[0]
    assert world["label"] == "World" and 0 < world["coverage_women"] <= 1
    code, out, _ = run(
        loaded_db_url, "headlines", "account_ownership", "--level", "countries", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    # the world total is the sum of the countries (each rate × its population, ages 15+)
    total = sum(float(r["women_without"]) for r in rows)
    assert abs(total - world["women_without"]) < 1e-6 * total
    code, _, output = run(loaded_db_url, "headlines", "women_in_parliament")
    assert code == 2 and "internet_use" in output
    code, out, _ = run(loaded_db_url, "pace", "women_in_parliament", "--format", "json")
    assert code == 0 and json.loads(out)[0]["kind"] == "world"
