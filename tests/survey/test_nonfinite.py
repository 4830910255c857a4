"""Non-finite numbers in survey input are refused, never silently dropped (issue 10).

Before: one ``NaN`` weight silently removed its PSU from the estimates (exit 0, no flag), and an
``inf`` weight gave all-null estimates with numpy warnings. Now any NaN or ±infinity in the
weight, a numeric design column (stratum, PSU, fpc) or an analysis variable stops the estimate
with an error that names the file, the column and how many rows hold such values. Also here:
a CSV with only a header, and a CSV that is not UTF-8, get a one-line message each.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from equals.cli import app
from equals.survey import Design, estimate, mean, proportion, ratio, total
from equals.survey.errors import NonFiniteValueError, SurveyError, SurveyFileError

runner = CliRunner()


def frame(**overrides: list[object]) -> pd.DataFrame:
    data: dict[str, list[object]] = {
        "w": [1.0, 2.0, 1.0, 1.5, 2.0, 1.0],
        "stratum": [1, 1, 1, 2, 2, 2],
        "psu": [1, 1, 2, 3, 4, 4],
        "fpc": [10.0] * 6,
        "y": [3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        "x": [1.0, 1.0, 2.0, 2.0, 1.0, 1.0],
        "z": [0, 1, 1, 0, 1, 0],
    }
    data.update(overrides)
    return pd.DataFrame(data)


DESIGN = Design(weight="w", strata="stratum", psu="psu")


def csv_file(tmp_path: Path, **overrides: list[object]) -> str:
    """The frame as CSV with NaN written as ``NaN`` and infinities as ``inf``/``-inf`` (as
    statistical packages export them); DuckDB reads those back as non-finite doubles."""
    path = tmp_path / "survey.csv"
    frame(**overrides).to_csv(path, index=False, na_rep="NaN")
    return str(path)


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("w", [math.nan], "weight column 'w' has 1 non-finite value (NaN or ±infinity)"),
        ("w", [math.inf, -math.inf], "weight column 'w' has 2 non-finite values"),
        ("y", [math.nan, math.inf], "column 'y' has 2 non-finite values (NaN or ±infinity)"),
        ("stratum", [math.inf], "stratum column 'stratum' has 1 non-finite value"),
        ("psu", [math.nan], "PSU column 'psu' has 1 non-finite value"),
    ],
)
def test_nonfinite_values_are_refused_naming_column_and_count(
    tmp_path: Path, column: str, bad: list[float], message: str
) -> None:
    values = [float(v) for v in frame()[column]]
    values[: len(bad)] = bad
    path = csv_file(tmp_path, **{column: values})
    with pytest.raises(NonFiniteValueError) as caught:
        estimate(path, DESIGN, [mean("y")])
    assert message in str(caught.value) and path in str(caught.value)
    assert caught.value.code == "non-finite-value" and caught.value.column == column
    assert caught.value.count == len(bad)


def test_dataframe_nan_is_missing_but_inf_is_refused() -> None:
    # In a DataFrame NaN is pandas' missing value: a missing weight is refused as such ...
    with pytest.raises(SurveyError, match="'w' has 1 missing value"):
        estimate(frame(w=[math.nan, 2.0, 1.0, 1.5, 2.0, 1.0]), DESIGN, [mean("y")])
    # ... and infinity is refused as non-finite.
    with pytest.raises(NonFiniteValueError, match="<DataFrame>: weight column 'w' has 1"):
        estimate(frame(w=[math.inf, 2.0, 1.0, 1.5, 2.0, 1.0]), DESIGN, [mean("y")])


def test_nonfinite_fpc_ratio_denominator_and_total_are_refused(tmp_path: Path) -> None:
    design = Design(weight="w", strata="stratum", psu="psu", fpc="fpc")
    with pytest.raises(NonFiniteValueError, match="fpc column 'fpc' has 1 non-finite value"):
        estimate(csv_file(tmp_path, fpc=[math.nan] + [10.0] * 5), design, [mean("y")])
    with pytest.raises(NonFiniteValueError, match="column 'x' has 1 non-finite value"):
        estimate(csv_file(tmp_path, x=[math.inf] + [1.0] * 5), DESIGN, [ratio("y", "x")])
    with pytest.raises(NonFiniteValueError, match="column 'y' has 1"):
        estimate(csv_file(tmp_path, y=[-math.inf] + [1.0] * 5), DESIGN, [total("y")])


def test_columns_not_used_are_not_checked(tmp_path: Path) -> None:
    # 'x' holds NaN but no estimate reads it: the request is fine.
    path = csv_file(tmp_path, x=[math.nan] * 6)
    result = estimate(path, DESIGN, [mean("y"), proportion("z")])
    assert all(math.isfinite(e.estimate or math.nan) for e in result)


def test_missing_values_stay_missing_not_errors() -> None:
    # An empty cell (NULL) in an analysis variable is a missing value, as before: the row
    # leaves that estimate (R na.rm = TRUE). Hand computation: rows 2-6 with weights
    # 2, 1, 1.5, 2, 1 and y 4..8: (8 + 5 + 9 + 14 + 8) / 7.5 = 44 / 7.5.
    y: list[object] = [None, 4.0, 5.0, 6.0, 7.0, 8.0]
    (est,) = estimate(frame(y=y), DESIGN, [mean("y")])
    assert est.estimate == pytest.approx(44 / 7.5, rel=1e-12)


def _cli(path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app, ["survey", "estimate", str(path), "--weight", "w", "--psu", "psu", *args]
    )
    return result.exit_code, result.stderr


def test_cli_exits_2_naming_file_column_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "nan-weight.csv"
    path.write_text("w,psu,y\nNaN,1,3\n2.0,1,4\n1,2,5\n1,2,6\n")
    code, err = _cli(path, "--mean", "y")
    assert code == 2
    assert err.strip() == (
        f"error: {path}: weight column 'w' has 1 non-finite value (NaN or ±infinity) in 4 rows; "
        "weights must be finite numbers: correct those rows or drop them"
    )
    path.write_text("w,psu,y\ninf,1,3\n2.0,1,4\n1,2,5\n1,2,6\n")
    code, err = _cli(path, "--mean", "y")
    assert code == 2 and "non-finite value" in err and "RuntimeWarning" not in err
    path.write_text("w,psu,y\n1,1,NaN\n2.0,1,4\n1,2,inf\n1,2,6\n")
    code, err = _cli(path, "--mean", "y")
    assert code == 2
    assert err.strip() == (
        f"error: {path}: column 'y' has 2 non-finite values (NaN or ±infinity) in 4 rows; "
        "recode them as missing (an empty cell) to leave those rows out of its estimates"
    )


def test_header_only_csv_says_it_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("w,psu,y\n")
    with pytest.raises(SurveyError) as caught:
        estimate(str(path), Design(weight="w", psu="psu"), [mean("y")])
    assert str(caught.value) == f"{path}: the file has no rows, only a header"
    code, err = _cli(path, "--mean", "y")
    assert code == 2 and err.strip() == f"error: {path}: the file has no rows, only a header"


def test_csv_that_is_not_utf8_gets_one_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("w,psu,y\n1.0,1,3\n2.0,2,café\n".encode("latin-1"))
    with pytest.raises(SurveyFileError) as caught:
        estimate(str(path), Design(weight="w", psu="psu"), [mean("y")])
    assert str(caught.value) == (
        f"{path}: line 3 is not UTF-8 text; save the file as UTF-8 "
        "(e.g. iconv -f latin1 -t utf-8 in.csv > out.csv)"
    )
    code, err = _cli(path, "--mean", "y")
    assert code == 2 and len(err.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.spark
def test_spark_engine_refuses_nan_weights_too(tmp_path: Path) -> None:
    """The check is one portable SQL pass: Spark SQL answers it as DuckDB does."""
    import shutil

    from equals.survey import spark as spark_mod
    from tests.conftest import require

    require(spark_mod.spark_available(), "pyspark is not installed")
    require(shutil.which("java") is not None, "Java (17) is not installed")
    path = csv_file(tmp_path, w=[math.nan, 2.0, 1.0, 1.5, 2.0, 1.0])
    spark_mod.spark_session(None, {"spark.sql.adaptive.enabled": "false"})
    try:
        engine = spark_mod.SparkEngine(path)
        with pytest.raises(NonFiniteValueError, match="weight column 'w' has 1 non-finite value"):
            estimate(path, DESIGN, [mean("y")], engine=engine)
    finally:
        spark_mod.stop_spark()
