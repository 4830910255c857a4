"""World Bank WDI population by sex (source id ``wdi``): the denominators of headline numbers.

Files (``wdi/``, same DDF conversion and commit as the other WDI files): five datapoint files
``ddf--datapoints--<series>--by--economy--year.csv`` with columns ``economy,year,<series>``,
whole numbers of persons:

* ``sp_pop_totl_fe_in`` / ``sp_pop_totl_ma_in`` / ``sp_pop_totl`` — population, female /
  male / total (SP.POP.TOTL.FE.IN, SP.POP.TOTL.MA.IN, SP.POP.TOTL), all ages;
* ``sp_pop_0014_fe_in`` / ``sp_pop_0014_ma_in`` — population aged 0-14, female / male
  (SP.POP.0014.FE.IN, SP.POP.0014.MA.IN).

Population aged 15+ of a sex is derived as all ages − aged 0-14 (same economy and year).
Economy codes map to areas exactly as in :mod:`equals.indicators.sources.wdi` (ISO3 for
countries, ``WB:<CODE>`` for aggregates). These are denominators, not indicators: they are
not stored as observations (the catalogue stays the list of gender indicators); the analysis
layer reads them with :func:`read_population`, once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.indicators.sources import wdi
from equals.indicators.sources.base import parse_value, parse_year, read_rows, require_columns
from equals.indicators.sources.countries import CountryIndex

SOURCE = "wdi"
CITATION = (
    "World Bank, World Development Indicators: Population, total / female / male "
    "(SP.POP.TOTL, SP.POP.TOTL.FE.IN, SP.POP.TOTL.MA.IN) and population ages 0-14, female / "
    "male (SP.POP.0014.FE.IN, SP.POP.0014.MA.IN); WDI's sources: UN World Population "
    "Prospects and national sources"
)
LICENCE = "CC BY 4.0"


class Age(StrEnum):
    ALL = "all"
    UNDER_15 = "0-14"
    ADULTS = "15+"


#: series -> (sex, age)
SERIES: Mapping[str, tuple[Sex, Age]] = {
    "sp_pop_totl_fe_in": (Sex.FEMALE, Age.ALL),
    "sp_pop_totl_ma_in": (Sex.MALE, Age.ALL),
    "sp_pop_totl": (Sex.TOTAL, Age.ALL),
    "sp_pop_0014_fe_in": (Sex.FEMALE, Age.UNDER_15),
    "sp_pop_0014_ma_in": (Sex.MALE, Age.UNDER_15),
}

FILES: tuple[str, ...] = tuple(wdi.datapoint_file(s) for s in SERIES)


@dataclass(frozen=True)
class Population:
    """Persons by (area, year, sex, age); 15+ derived on request."""

    values: Mapping[tuple[str, int, Sex, Age], float]
    skipped: int = 0  # rows whose economy maps to no country or known aggregate

    def get(self, area: str, year: int, sex: Sex, age: Age = Age.ALL) -> float | None:
        if age is Age.ADULTS:
            everyone = self.values.get((area, year, sex, Age.ALL))
            young = self.values.get((area, year, sex, Age.UNDER_15))
            if everyone is None or young is None:
                return None
            return everyone - young
        return self.values.get((area, year, sex, age))

    def latest_year(self, area: str) -> int | None:
        years = [y for (a, y, s, g) in self.values if a == area and s is Sex.TOTAL]
        return max(years) if years else None


def read_population(data_dir: Path, countries: CountryIndex | None = None) -> Population:
    """Every population value of the five files (values are ``float(text)``, never rounded)."""
    countries = countries or CountryIndex.from_data(data_dir)
    wb_countries = wdi.country_codes(data_dir)
    agg_names = wdi.aggregate_names(data_dir)
    values: dict[tuple[str, int, Sex, Age], float] = {}
    skipped = 0
    for series, (sex, age) in SERIES.items():
        rel = wdi.datapoint_file(series)
        require_columns(data_dir, rel, ("economy", "year", series))
        path = f"{data_dir / rel}"  # once per file, not per row (cold starts read ~80k rows)
        for line, row in read_rows(data_dir, rel):
            where = f"{path}:{line}"
            value = parse_value(row[series], where=where)
            if value is None:
                continue
            if value < 0:
                raise DataFileError(
                    Msg("negative population %(value)s", value=str(value)), location=where
                )
            economy = row["economy"].strip().lower()
            if economy in wb_countries and economy not in wdi.COUNTRY_CODES_AS_AGGREGATES:
                area = countries.code(economy)
            elif economy in agg_names:
                area = f"WB:{economy.upper()}"
            else:
                area = None
            if area is None:
                skipped += 1
                continue
            key = (area, parse_year(row["year"], where=where), sex, age)
            if key in values:
                raise DataFileError(
                    Msg(
                        "duplicate economy-year %(economy)s %(year)s", economy=economy, year=key[1]
                    ),
                    location=where,
                )
            values[key] = value
    return Population(values, skipped)


@functools.lru_cache(maxsize=4)
def bundled_population(data_dir: Path) -> Population:
    """:func:`read_population` of a data folder, read once per process."""
    return read_population(data_dir)
