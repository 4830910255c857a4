"""Re-run golden/make_golden.R and check R still gives the committed numbers (needs Rscript
with the ``survey`` package: skipped locally without it, a failure in CI)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.survey.golden import GOLDEN_DIR, golden, rel_error


def _numbers(value: Any, path: str = "") -> dict[str, Any]:
    """Flatten a JSON value to {path: leaf}."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_numbers(v, f"{path}/{k}"))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_numbers(v, f"{path}[{i}]"))
        return out
    return {path: value}


@pytest.mark.slow
@pytest.mark.r
def test_make_golden_reproduces_committed_values(tmp_path: Path) -> None:
    require(shutil.which("Rscript") is not None, "Rscript (r-base + r-cran-survey) not installed")
    proc = subprocess.run(
        ["Rscript", str(GOLDEN_DIR / "make_golden.R"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for csv in ("apistrat.csv", "apiclus1.csv", "apiclus2.csv", "sim.csv"):
        assert (tmp_path / csv).read_bytes() == (GOLDEN_DIR / csv).read_bytes(), csv
    fresh = _numbers(json.loads((tmp_path / "golden.json").read_text())["records"])
    committed = _numbers(golden()["records"])
    assert fresh.keys() == committed.keys()
    for key, want in committed.items():
        got = fresh[key]
        if isinstance(want, float) and isinstance(got, float):
            assert rel_error(got, want) <= 1e-10 or abs(got - want) < 1e-13, key
        else:
            assert got == want, key
