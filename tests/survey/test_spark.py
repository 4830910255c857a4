"""The Spark engine gives DuckDB's numbers (relative 1e-9) and therefore R's (1e-8).

One local Spark session (``local[2]``) for the whole module; one cached Spark view per golden
CSV, so each case costs one or two small Spark SQL queries. Marked ``slow``; runs in CI (Java
17 and pyspark are required there, skipped locally when missing).
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import equals.cli.survey  # noqa: F401  (registers the survey commands)
from equals.cli import app
from equals.survey import Estimate, EstimationOptions, GapEstimate, gender_gaps, mean, proportion
from equals.survey.design import CIMethod, DeffMethod, DfRule
from equals.survey.engine import ColumnKind, DuckDBEngine
from equals.survey.errors import MissingColumnError, SurveyFileError
from equals.survey.estimators import aggregate
from tests.conftest import require
from tests.survey.golden import (
    GOLDEN_DIR,
    close,
    data_path,
    design_of,
    domain_key,
    estimate_groups,
    gap_cases,
    quantity_of,
)

pytestmark = [pytest.mark.slow, pytest.mark.spark]

RTOL = 1e-9
GROUPS = estimate_groups()
GAPS = gap_cases()
# Small-data settings: no adaptive re-planning, quick JIT (the numbers do not depend on them).
TEST_CONF = {
    "spark.sql.adaptive.enabled": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}
OPTIONS = (
    EstimationOptions(),
    EstimationOptions(df=DfRule.DESIGN, deff=DeffMethod.SRSWR),
    EstimationOptions(ci=CIMethod.LOGIT),
)


@pytest.fixture(scope="module")
def spark() -> Iterator[None]:
    from equals.survey import spark as spark_mod

    require(spark_mod.spark_available(), "pyspark is not installed")
    require(shutil.which("java") is not None, "Java (17) is not installed")
    spark_mod.spark_session(None, TEST_CONF)
    yield
    spark_mod.stop_spark()


_ENGINES: dict[str, Any] = {}


@pytest.fixture(scope="module")
def engines(spark: None) -> Iterator[dict[str, Any]]:
    yield _ENGINES
    _ENGINES.clear()


def spark_engine(engines: dict[str, Any], data: str) -> Any:
    from equals.survey.spark import SparkEngine

    if data not in engines:
        engines[data] = SparkEngine(GOLDEN_DIR / f"{data}.csv", cache=True)
    return engines[data]


def same(a: float | None, b: float | None) -> bool:
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) else a
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) else b
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=1e-14)


def assert_same_estimates(spark: list[Estimate], duck: list[Estimate], where: str) -> None:
    assert len(spark) == len(duck), where
    for s, d in zip(spark, duck, strict=True):
        key = (s.statistic, s.variable, s.level, s.denominator, s.domain)
        assert key == (d.statistic, d.variable, d.level, d.denominator, d.domain), where
        assert (s.n, s.missing, s.df, s.flags) == (d.n, d.missing, d.df, d.flags), (where, key)
        for name in ("estimate", "se", "ci_low", "ci_high", "deff", "cv", "weighted_n"):
            assert same(getattr(s, name), getattr(d, name)), (where, key, name)


CASES = sorted(GROUPS)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-by-{'+'.join(c[1])}")
def test_spark_equals_duckdb_and_r(
    engines: dict[str, Any], case: tuple[str, tuple[str, ...]]
) -> None:
    records = GROUPS[case]
    spec = records[0]["design"]
    quantities = list(dict.fromkeys(quantity_of(r) for r in records))
    by = list(records[0]["by"])
    design = design_of(spec)
    on_spark = aggregate(
        data_path(spec), design, quantities, by, engine=spark_engine(engines, spec["data"])
    )
    on_duck = aggregate(data_path(spec), design, quantities, by)
    for options in OPTIONS:
        assert_same_estimates(on_spark.results(options), on_duck.results(options), str(case))
    ours = {
        (r.statistic, r.variable, r.denominator, r.level, domain_key(dict(r.domain))): r
        for r in on_spark.results()
    }
    for rec in records:
        if rec.get("n") == 0:
            continue
        key = (
            rec["statistic"],
            rec["variable"],
            rec.get("denominator"),
            rec.get("level"),
            domain_key(rec["domain"]),
        )
        got = ours[key]
        scale = abs(rec["estimate"] or 0) + (rec["se"] or 0)
        assert close(got.estimate, rec["estimate"], scale), (case, key)
        assert close(got.se, rec["se"], scale), (case, key)


def assert_same_gaps(spark: list[GapEstimate], duck: list[GapEstimate], where: str) -> None:
    assert [g.domain for g in spark] == [g.domain for g in duck], where
    for s, d in zip(spark, duck, strict=True):
        for name in ("female", "male", "difference", "parity", "relative_gap"):
            a, b = getattr(s, name), getattr(d, name)
            assert same(a.estimate, b.estimate) and same(a.se, b.se), (where, s.domain, name)
        assert same(s.covariance, d.covariance), (where, s.domain)


@pytest.mark.parametrize("case", sorted(GAPS))
def test_spark_gaps_equal_duckdb_and_r(engines: dict[str, Any], case: str) -> None:
    records = GAPS[case]
    first, spec = records[0], records[0]["design"]
    q = (
        proportion(first["variable"], first.get("level"))
        if first["statistic"] == "proportion"
        else mean(first["variable"])
    )
    args: dict[str, Any] = {
        "sex": first["sex"],
        "female": first["female_value"],
        "male": first["male_value"],
        "by": first["by"],
    }
    path, design = data_path(spec), design_of(spec)
    on_spark = gender_gaps(path, design, [q], engine=spark_engine(engines, spec["data"]), **args)
    on_duck = gender_gaps(path, design, [q], **args)
    assert_same_gaps(on_spark, on_duck, case)
    ours = {domain_key(dict(r.domain)): r for r in on_spark}
    for rec in records:
        r = ours[domain_key(rec["domain"])]
        for name in ("female", "male", "difference", "parity", "relative_gap"):
            got, want = getattr(r, name), rec[name]
            scale = abs(want["estimate"]) + want["se"]
            assert close(got.estimate, want["estimate"], scale), (case, name)
            assert close(got.se, want["se"], scale), (case, name)


def test_csv_types_follow_duckdb(engines: dict[str, Any]) -> None:
    for data in ("apistrat", "apiclus1", "sim"):
        spark_schema = spark_engine(engines, data).schema()
        assert spark_schema == DuckDBEngine(GOLDEN_DIR / f"{data}.csv").schema(), data
    assert spark_engine(engines, "sim").schema()["stratum"] is ColumnKind.STRING


def test_parquet_stata_and_dataframe_sources(spark: None, tmp_path: Path) -> None:
    from equals.survey.spark import SparkEngine

    frame = pd.read_csv(GOLDEN_DIR / "sim.csv")
    frame["female"] = frame["sex"] == 2  # a BOOLEAN column: proportions of booleans work too
    frame.to_parquet(tmp_path / "sim.parquet")
    frame.drop(columns=["female"]).to_stata(tmp_path / "sim.dta", write_index=False)
    design = design_of({"weight": "w", "strata": "stratum", "psu": "psu"})
    quantities = [proportion("internet"), mean("hours"), proportion("female")]
    base = aggregate(tmp_path / "sim.parquet", design, quantities, ["urban"]).results()
    for source in (tmp_path / "sim.parquet", frame):
        got = aggregate(source, design, quantities, ["urban"], engine=SparkEngine(source))
        assert_same_estimates(got.results(), base, str(type(source)))
    dta = aggregate(
        tmp_path / "sim.dta",
        design,
        quantities[:2],
        ["urban"],
        engine=SparkEngine(tmp_path / "sim.dta"),
    )
    assert_same_estimates(dta.results(), base[: len(dta.results())], "dta")


def test_errors_name_the_file(spark: None, tmp_path: Path) -> None:
    from equals.survey.spark import SparkEngine

    with pytest.raises(SurveyFileError, match="not found"):
        SparkEngine(tmp_path / "absent.csv")
    (tmp_path / "x.txt").write_text("a\n1\n")
    with pytest.raises(SurveyFileError, match="unsupported"):
        SparkEngine(tmp_path / "x.txt")
    design = design_of({"weight": "nope"})
    with pytest.raises(MissingColumnError, match=r"sim\.csv"):
        aggregate(GOLDEN_DIR / "sim.csv", design, [mean("hours")], engine="spark")


runner = CliRunner()


def _cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["survey", *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def test_cli_engine_spark_matches_duckdb(spark: None) -> None:
    sim = str(GOLDEN_DIR / "sim.csv")
    common = [sim, "--weight", "w", "--strata", "stratum", "--psu", "psu", "--format", "json"]
    est = ["estimate", *common, "--proportion", "internet", "--mean", "hours", "--by", "sex"]
    gap = ["gap", *common, "--sex", "sex", "--female", "2", "--male", "1"]
    gap += ["--proportion", "internet", "--by", "urban"]
    for args in (est, gap):
        code, duck_out, err = _cli(*args)
        assert code == 0, err
        code, spark_out, err = _cli(*args, "--engine", "spark", "--spark-master", "local[2]")
        assert code == 0, err
        duck, spark_ = json.loads(duck_out), json.loads(spark_out)
        assert len(duck) == len(spark_) and duck
        for a, b in zip(duck, spark_, strict=True):
            assert a["domain"] == b["domain"]
            flat_a, flat_b = _numbers(a), _numbers(b)
            assert flat_a.keys() == flat_b.keys()
            assert all(same(flat_a[k], flat_b[k]) for k in flat_a), (a, b)


def _numbers(rec: dict[str, Any], prefix: str = "") -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for key, value in rec.items():
        if isinstance(value, dict) and key != "domain":
            out.update(_numbers(value, f"{prefix}{key}."))
        elif isinstance(value, int | float) or value is None:
            out[prefix + key] = value
    return out


def test_cli_spark_errors_exit_2(spark: None) -> None:
    sim = str(GOLDEN_DIR / "sim.csv")
    code, _, err = _cli("estimate", sim, "--weight", "wt", "--mean", "hours", "--engine", "spark")
    assert code == 2 and "sim.csv" in err and "'wt'" in err
    code, _, err = _cli(
        "estimate", sim, "--weight", "w", "--mean", "hours", "--spark-master", "local[2]"
    )
    assert code == 2 and "--engine spark" in err


def test_cli_indicators_on_spark_match_duckdb(spark: None, tmp_path: Path) -> None:
    """``equals survey indicators`` on Spark: the mapping's harmonisation SQL (numeric and
    text codes, missing codes, age scope, household rows) runs on Spark SQL and gives
    DuckDB's numbers for every indicator, domain and gap."""
    import equals.cli.survey_indicators  # noqa: F401  (registers the command)
    from tests.indicators.microdata.conftest import MAPPING
    from tests.indicators.microdata.synthetic import make_survey

    data = tmp_path / "survey.csv"
    make_survey().to_csv(data, index=False)
    args = ["indicators", str(data), "--mapping", str(MAPPING), "--format", "json"]
    code, duck_out, err = _cli(*args)
    assert code == 0, err
    code, spark_out, err = _cli(*args, "--engine", "spark", "--spark-master", "local[2]")
    assert code == 0, err
    duck, spark_ = json.loads(duck_out), json.loads(spark_out)
    assert duck["skipped"] == spark_["skipped"]
    rows_duck, rows_spark = duck["results"], spark_["results"]
    assert len(rows_duck) == len(rows_spark) > 50
    assert {r["itu_code"] for r in rows_duck} >= {"HH6", "HH7", "HH10", "HH18"}
    for a, b in zip(rows_duck, rows_spark, strict=True):
        assert (a["itu_code"], a["statistic"], a["sex"], a["breakdown"]) == (
            b["itu_code"],
            b["statistic"],
            b["sex"],
            b["breakdown"],
        )
        flat_a, flat_b = _numbers(a), _numbers(b)
        assert flat_a.keys() == flat_b.keys()
        assert all(same(flat_a[k], flat_b[k]) for k in flat_a), (a, b)


def test_cells_come_to_the_driver_in_parts(spark: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large cell tables are fetched in parts (a 10M-person survey's cells overflowed a 2 GB
    driver in one piece): the parts add up to DuckDB's cells, estimates equal to 1e-9."""
    from equals.survey import spark as spark_mod
    from equals.survey.spark import SparkEngine

    monkeypatch.setattr(spark_mod, "CHUNK_CELLS", 40)
    sim = GOLDEN_DIR / "sim.csv"
    design = design_of({"weight": "w", "strata": "stratum", "psu": "psu"})
    quantities = [proportion("internet"), mean("hours")]
    by = ["sex", "agegroup"]
    engine = SparkEngine(sim)
    cells = aggregate(sim, design, quantities, by, engine=engine).units.cells
    assert len(cells) > 3 * 40  # several parts
    on_spark = aggregate(sim, design, quantities, by, engine=engine).results()
    assert_same_estimates(on_spark, aggregate(sim, design, quantities, by).results(), "parts")
