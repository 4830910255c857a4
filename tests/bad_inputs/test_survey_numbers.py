"""Bad numbers in survey microdata given to ``equals survey estimate``: exit code 2 and the
exact one-line message (never exit 0 with a silently dropped PSU, never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from equals.cli import app

runner = CliRunner()
HEADER = "w,stratum,psu,fpc,y,x\n"
GOOD = ["1,1,1,10,3,1", "2,1,1,10,4,1", "1,1,2,10,5,2", "1.5,2,3,10,6,2", "2,2,4,10,7,1"]

CASES = [
    # (id, first data row replacing GOOD[0], options, message after "error: <file>: ")
    ("nan-weight", "NaN,1,1,10,3,1", ["--mean", "y"],
     "weight column 'w' has 1 non-finite value (NaN or ±infinity) in 5 rows; weights must be "
     "finite numbers: correct those rows or drop them"),
    ("inf-weight", "inf,1,1,10,3,1", ["--mean", "y"],
     "weight column 'w' has 1 non-finite value (NaN or ±infinity) in 5 rows; weights must be "
     "finite numbers: correct those rows or drop them"),
    ("minus-inf-weight", "-inf,1,1,10,3,1", ["--mean", "y"],
     "weight column 'w' has 1 non-finite value (NaN or ±infinity) in 5 rows; weights must be "
     "finite numbers: correct those rows or drop them"),
    ("nan-stratum", "1,NaN,1,10,3,1", ["--mean", "y"],
     "stratum column 'stratum' has 1 non-finite value (NaN or ±infinity) in 5 rows; design "
     "values must be finite: correct those rows or drop them"),
    ("inf-psu", "1,1,inf,10,3,1", ["--mean", "y"],
     "PSU column 'psu' has 1 non-finite value (NaN or ±infinity) in 5 rows; design values must "
     "be finite: correct those rows or drop them"),
    ("nan-fpc", "1,1,1,NaN,3,1", ["--mean", "y", "--fpc", "fpc"],
     "fpc column 'fpc' has 1 non-finite value (NaN or ±infinity) in 5 rows; design values must "
     "be finite: correct those rows or drop them"),
    ("inf-variable", "1,1,1,10,inf,1", ["--mean", "y"],
     "column 'y' has 1 non-finite value (NaN or ±infinity) in 5 rows; recode them as missing "
     "(an empty cell) to leave those rows out of its estimates"),
    ("nan-denominator", "1,1,1,10,3,NaN", ["--ratio", "y/x"],
     "column 'x' has 1 non-finite value (NaN or ±infinity) in 5 rows; recode them as missing "
     "(an empty cell) to leave those rows out of its estimates"),
]  # fmt: skip


def _run(path: Path, options: list[str]) -> tuple[int, str]:
    args = ["survey", "estimate", str(path), "--weight", "w", "--strata", "stratum",
            "--psu", "psu", "--lonely-psu", "adjust", *options]  # fmt: skip
    result = runner.invoke(app, args)
    return result.exit_code, result.stderr.strip()


@pytest.mark.parametrize(("first", "options", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_non_finite_numbers(tmp_path: Path, first: str, options: list[str], message: str) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(HEADER + "\n".join([first, *GOOD[1:]]) + "\n")
    code, err = _run(path, options)
    assert (code, err) == (2, f"error: {path}: {message}")


def test_header_only_csv(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text(HEADER)
    assert _run(path, ["--mean", "y"]) == (2, f"error: {path}: the file has no rows, only a header")


def test_csv_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\n".join(GOOD) + "\n1,2,4,10,7,caf\xe9\n").encode("latin-1"))
    assert _run(path, ["--mean", "y"]) == (
        2,
        f"error: {path}: line 7 is not UTF-8 text; save the file as UTF-8 "
        "(e.g. iconv -f latin1 -t utf-8 in.csv > out.csv)",
    )
