"""ITU Internet use by sex and urban/rural location, source id ``itu-urban-rural``.

File ``equals-ict/itu_internet_use_by_sex_urban_rural_tidy.csv``: a tidy CSV derived from
ITU's spreadsheet "10. Individuals using the Internet by gender and urban-rural
location.xls" (Open Data Watch EQUALS inputs). 1,008 rows = 112 economies x 3 locations x 3
sexes; columns ``economy, iso3, year, location (all/urban/rural), sex (total/male/female),
value``. ``year`` is the latest year of data for the economy (one year per economy); empty
``value`` = ``...`` in the sheet (433 cells, mostly missing urban/rural splits). The sheet's
footer warns that the age scope of the population varies across countries.

Observations: indicator ``internet_use``; ``breakdown`` is ``""`` for ``all`` and
``location=urban`` / ``location=rural`` otherwise. No duplicates in the file; if any appear,
the first row in file order is kept and the rest counted as skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.indicators.model import Observation
from equals.indicators.sources.base import (
    SKIP_MISSING,
    SKIP_UNMAPPED,
    FileLoad,
    FileLoadBuilder,
    flatten,
    parse_value,
    parse_year,
    read_rows,
    require_columns,
)
from equals.indicators.sources.countries import CountryIndex

SOURCE = "itu-urban-rural"
FILE = "equals-ict/itu_internet_use_by_sex_urban_rural_tidy.csv"
FILES = (FILE,)
INDICATOR = "internet_use"

SEXES: Mapping[str, Sex] = {"female": Sex.FEMALE, "male": Sex.MALE, "total": Sex.TOTAL}
LOCATIONS: Mapping[str, str] = {
    "all": "",
    "urban": "location=urban",
    "rural": "location=rural",
}


def read(data_dir: Path, countries: CountryIndex | None = None) -> list[FileLoad]:
    countries = countries or CountryIndex.from_data(data_dir)
    require_columns(data_dir, FILE, ("iso3", "year", "location", "sex", "value"))
    b = FileLoadBuilder(FILE)
    for line, row in read_rows(data_dir, FILE):
        where = f"{FILE}:{line}"
        value = parse_value(row["value"], where=where)
        if value is None:
            b.skip(SKIP_MISSING)
            continue
        area = countries.code(row["iso3"])
        if area is None:
            b.skip(SKIP_UNMAPPED)
            continue
        try:
            sex = SEXES[row["sex"].strip()]
            breakdown = LOCATIONS[row["location"].strip()]
        except KeyError as exc:
            raise DataFileError(
                Msg("unknown sex/location %(value)s", value=str(exc)), location=where
            ) from exc
        year = parse_year(row["year"], where=where)
        b.add(
            Observation(
                indicator=INDICATOR,
                area=area,
                year=year,
                sex=sex,
                value=value,
                source=SOURCE,
                breakdown=breakdown,
            )
        )
    return [b.build()]


def load(data_dir: Path) -> list[Observation]:
    return flatten(read(data_dir))
