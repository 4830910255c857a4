"""Release files built from the bundled files themselves, so every change is known."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.releases.conftest import DATA

WDI_FE = DATA / "wdi" / "ddf--datapoints--it_net_user_fe_zs--by--economy--year.csv"


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path


def cell(rows: list[list[str]], economy: str, year: str) -> str:
    return next(r[2] for r in rows if r[0] == economy and r[1] == year)
