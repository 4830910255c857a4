"""WDI population by sex: the loader's values equal the literal text of the bundled files.

Reference figures from /work/shared/data/README.md (wdi section): 17,195 records per file,
265 economy codes (217 countries of the entity file, all but ``twn``, plus 48 aggregates),
female + male = total for every economy-year, Kenya 2022: 27,271,918 + 26,980,543 =
54,252,461.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from equals.core.vocabulary import Sex
from equals.indicators.bundle import default_data_dir, load_sources
from equals.indicators.sources.wdi_population import (
    FILES,
    SERIES,
    Age,
    Population,
    read_population,
)


@pytest.fixture(scope="module")
def population() -> Population:
    return read_population(default_data_dir())


def _raw(series: str) -> list[dict[str, str]]:
    path = default_data_dir() / "wdi" / f"ddf--datapoints--{series}--by--economy--year.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_files_are_the_shared_copies_and_listed_under_wdi() -> None:
    shared = Path("/work/shared/data")
    for rel in FILES:
        if (shared / rel).is_file():  # the read-only originals, where this machine has them
            assert (default_data_dir() / rel).read_bytes() == (shared / rel).read_bytes()
    wdi = next(s for s in load_sources() if s.id == "wdi")
    assert set(FILES) <= set(wdi.files)


@pytest.mark.parametrize("series", list(SERIES))
def test_record_counts_and_codes(series: str) -> None:
    rows = _raw(series)
    assert len(rows) == 17_195
    assert len({r["economy"] for r in rows}) == 265
    assert "twn" not in {r["economy"] for r in rows}


def test_kenya_2022_published_figures(population: Population) -> None:
    assert population.get("KEN", 2022, Sex.FEMALE) == 27_271_918
    assert population.get("KEN", 2022, Sex.MALE) == 26_980_543
    assert population.get("KEN", 2022, Sex.TOTAL) == 54_252_461


def test_every_value_equals_the_file_text(population: Population) -> None:
    checked = 0
    for series, (sex, age) in SERIES.items():
        for r in _raw(series):
            code = r["economy"].upper()
            value = population.values.get((code, int(r["year"]), sex, age))
            if value is None:  # an aggregate (or chi, Channel Islands): WB:<CODE>, or unnamed
                value = population.values.get((f"WB:{code}", int(r["year"]), sex, age))
            if value is not None:
                assert value == float(r[series])
                checked += 1
    # 5 files × (17,195 rows − 650 rows of the 10 unnamed aggregates)
    assert checked == 5 * 16_545 == len(population.values)
    assert population.skipped == 5 * 650


def test_female_plus_male_is_total(population: Population) -> None:
    for (area, year, sex, _age), value in population.values.items():
        if sex is Sex.TOTAL:
            f = population.get(area, year, Sex.FEMALE)
            m = population.get(area, year, Sex.MALE)
            assert f is not None and m is not None and f + m == value


def test_adults_are_all_ages_minus_children(population: Population) -> None:
    # Kenya 2022, women aged 15+: 27,271,918 − SP.POP.0014.FE.IN (from the file)
    young = next(
        float(r["sp_pop_0014_fe_in"])
        for r in _raw("sp_pop_0014_fe_in")
        if r["economy"] == "ken" and r["year"] == "2022"
    )
    assert population.get("KEN", 2022, Sex.FEMALE, Age.ADULTS) == 27_271_918 - young
    assert population.get("KEN", 1900, Sex.FEMALE, Age.ADULTS) is None
