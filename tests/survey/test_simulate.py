"""``equals survey simulate``: deterministic, labelled synthetic, calibrated, clustered."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import equals.cli.survey_data  # noqa: F401  (registers `survey simulate`)
from equals.cli import app
from equals.indicators.microdata import load_mapping, run_indicators
from equals.survey import Design, estimate, gender_gaps, proportion
from equals.survey.simulate import (
    COLUMNS,
    SKILLS,
    SimulationSpec,
    Target,
    default_targets,
    iter_notes,
    simulate,
)

KEN = {"internet_use": Target("internet_use", 0.2023, 0.2517, "test figure")}
DESIGN = Design(weight="weight", strata="stratum", psu="psu")


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sim") / "ken.parquet"
    simulate(SimulationSpec("KEN", 60_000, 7, KEN), path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(pq.read_table(path).to_pandas().to_csv().encode()).hexdigest()


def test_deterministic_with_seed(sim: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again.parquet", tmp_path / "other.parquet"
    simulate(SimulationSpec("KEN", 60_000, 7, KEN), again)
    simulate(SimulationSpec("KEN", 60_000, 8, KEN), other)
    assert _digest(sim) == _digest(again)
    assert _digest(sim) != _digest(other)


def test_schema_and_synthetic_labels(sim: Path) -> None:
    table = pq.read_table(sim)
    assert table.num_rows == 60_000
    assert tuple(table.column_names) == COLUMNS
    notes = dict(iter_notes(sim))
    assert notes["synthetic"] == "true"
    note = json.loads(notes["equals.synthetic"])
    assert note["synthetic"] is True and "SYNTHETIC" in note["note"]
    assert note["targets"]["internet_use"]["source"] == "test figure"
    assert note["labels"]["sex"] == {"1": "male", "2": "female"}
    frame = table.to_pandas()
    assert set(frame["sex"]) == {1, 2} and set(frame["urban"]) == {1, 2}
    assert frame["internet_use"][frame["age"] < 5].isna().all()
    assert frame["internet_use"][frame["age"] >= 5].notna().all()
    assert frame["education"][frame["age"] < 15].isna().all()
    # skills need Internet use; household access is the same for every member
    for s in SKILLS:
        assert not ((frame[f"skill_{s}"] == 1) & (frame["internet_use"] == 0)).any()
    assert (frame.groupby("hh_id")["hh_internet"].nunique() == 1).all()
    assert not ((frame["mobile_own"] == 1) & (frame["mobile_use"] == 0)).any()
    # every stratum has at least two PSUs; weights are positive and constant in a household
    psus = frame.groupby("stratum")["psu"].nunique()
    assert len(psus) == 16 and (psus >= 2).all()
    assert (frame["weight"] > 0).all()
    assert (frame.groupby("hh_id")["weight"].nunique() == 1).all()


def test_rates_match_calibration_targets_and_design_effects(sim: Path) -> None:
    adults = pq.read_table(sim).to_pandas().query("age >= 15")
    targets = default_targets(KEN)
    variables = ["internet_use", "mobile_own", "skill_programming"]
    results = estimate(adults, DESIGN, [proportion(v) for v in variables], ["sex"])
    for r in results:
        t = targets[r.variable]
        want = t.female if r.domain["sex"] == 2 else t.male
        assert abs(r.estimate - want) < 4 * r.se + 0.005, (r.variable, r.domain, r.estimate, want)
        assert r.deff is not None and r.deff > 1.0, (r.variable, r.deff)
    overall = estimate(adults, DESIGN, [proportion("internet_use")])[0]
    assert overall.deff is not None and 1.3 < overall.deff < 4.5
    gap = gender_gaps(adults, DESIGN, [proportion("internet_use")], sex="sex", female=2, male=1)[0]
    assert abs(gap.difference.estimate - (0.2517 - 0.2023)) < 4 * gap.difference.se + 0.005


def test_defaults_are_documented_and_consistent() -> None:
    t = default_targets({})
    assert all(v.source.startswith("default") for v in t.values())
    assert all(t[f"skill_{s}"].female <= t["internet_use"].female for s in SKILLS)
    assert t["mobile_use"].female >= t["mobile_own"].female
    low = default_targets(KEN)
    assert low["hh_internet"].female < t["hh_internet"].female  # scaled to Internet use


def test_cli_simulate(tmp_path: Path, loaded_db_url: str) -> None:
    out = tmp_path / "ken.parquet"
    result = CliRunner().invoke(
        app,
        [
            *("survey", "simulate", "--country", "KEN", "--persons", "5000", "--out", str(out)),
            *("--seed", "3", "--db", loaded_db_url, "--quiet"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "SYNTHETIC" in result.stderr and "internet_use" in result.stderr
    assert "wdi" in result.stderr or "itu" in result.stderr.lower()  # a published figure
    assert pq.read_metadata(out).num_rows == 5000
    # Its mapping is written beside it, and every ITU indicator runs with it as it comes.
    mapping = tmp_path / "ken.mapping.yaml"
    assert f"--mapping {mapping}" in result.stdout
    run = run_indicators(out, load_mapping(mapping))
    assert run.skipped == ()
    codes = {r["itu_code"] for r in run.records()}
    assert {"HH4", "HH5", "HH6", "HH7", "HH10", "HH18", "HH15_PCPR"} <= codes
    bad = CliRunner().invoke(
        app,
        [
            "survey",
            "simulate",
            "--country",
            "XXX",
            "--persons",
            "10",
            "--out",
            str(out),
            "--db",
            loaded_db_url,
        ],
    )
    assert bad.exit_code == 2
    help_ = CliRunner().invoke(app, ["survey", "simulate", "--help"])
    assert help_.exit_code == 0 and "SYNTHETIC" in help_.stdout
