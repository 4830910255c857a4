"""The same survey as CSV, Parquet, Stata .dta, SPSS .sav and a DataFrame gives the same numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from equals.survey import Design, estimate, gender_gaps, mean, proportion, ratio
from tests.survey.golden import GOLDEN_DIR

DESIGN = Design(weight="w", strata="stratum", psu="psu", fpc="fpc_n")
QUANTITIES = [mean("hours"), proportion("internet"), ratio("spend", "income"), proportion("edu")]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.read_csv(GOLDEN_DIR / "sim.csv")


@pytest.fixture(scope="module")
def files(frame: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("formats")
    paths = {k: d / f"sim.{k}" for k in ("parquet", "dta", "sav")}
    frame.to_parquet(paths["parquet"])
    pyreadstat.write_dta(frame, str(paths["dta"]))
    pyreadstat.write_sav(frame, str(paths["sav"]))
    return paths


def _records(source: object) -> list[dict[str, object]]:
    results = estimate(source, DESIGN, QUANTITIES, ["sex", "urban"])  # type: ignore[arg-type]
    return [r.to_record() for r in results]


@pytest.mark.parametrize("kind", ["parquet", "dta", "sav", "frame"])
def test_formats_agree_with_csv(kind: str, files: dict[str, Path], frame: pd.DataFrame) -> None:
    expected = _records(GOLDEN_DIR / "sim.csv")
    got = _records(frame if kind == "frame" else files[kind])
    assert len(got) == len(expected) == 2 * 2 * 7
    for g, e in zip(got, expected, strict=True):
        assert g["domain"] == e["domain"] and g["level"] == e["level"]
        for key in ("estimate", "se", "deff", "ci_low", "ci_high"):
            assert g[key] == pytest.approx(e[key], rel=1e-12), (kind, key)
        assert g["n"] == e["n"] and g["missing"] == e["missing"]


def test_gaps_from_stata(files: dict[str, Path]) -> None:
    csv = gender_gaps(
        GOLDEN_DIR / "sim.csv", DESIGN, [proportion("internet")], sex="sex", female="2", male="1"
    )
    dta = gender_gaps(files["dta"], DESIGN, [proportion("internet")], sex="sex", female=2, male=1)
    assert dta[0].difference.se == pytest.approx(csv[0].difference.se, rel=1e-12)
