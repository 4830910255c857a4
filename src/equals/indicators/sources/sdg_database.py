"""UN SDG Global Database extracts (custodian ITU), source id ``sdg-db``.

Files (Open Data Watch EQUALS inputs, release ``2020.Q4.G.02``, standard 67-column export):

* ``equals-ict/sdg_database_ict_literacy.csv``: SDG 4.4.1 ``SE_ADT_ACTS``, proportion of
  youth and adults with ICT skills by sex and ``Type of skill`` -> ``ict_skill_*``;
* ``equals-ict/sdg_database_ind_own_mobile.csv``: SDG 5.b.1 ``IT_MOB_OWN``, proportion of
  individuals who own a mobile telephone by sex -> ``mobile_phone_ownership``.

Areas are M49 numbers (``GeoAreaCode``) mapped to ISO3 through the country taxonomy; codes
not found there are skipped and counted. ``Sex``: ``BOTHSEX``/``FEMALE``/``MALE``.
``note`` = ``data source: <Source>`` (the national producer) plus ``FootNote`` and
``time detail`` (when ``Time_Detail`` differs from ``TimePeriod``); ``flag`` = ``Nature``
(empty in this release). **Dedup rule**: one row per (series, skill, area, year, sex); the
bundled release has none, and any duplicate keeps the first row in file order.
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
    SKIP_UNUSED,
    FileLoad,
    FileLoadBuilder,
    flatten,
    join_notes,
    parse_value,
    parse_year,
    read_rows,
    require_columns,
)
from equals.indicators.sources.countries import CountryIndex
from equals.indicators.sources.unsd_gender import ICT_SKILLS

SOURCE = "sdg-db"
ICT_LITERACY = "equals-ict/sdg_database_ict_literacy.csv"
MOBILE = "equals-ict/sdg_database_ind_own_mobile.csv"
FILES = (ICT_LITERACY, MOBILE)

SEXES: Mapping[str, Sex] = {"BOTHSEX": Sex.TOTAL, "FEMALE": Sex.FEMALE, "MALE": Sex.MALE}
_COLUMNS = (
    "SeriesCode",
    "GeoAreaCode",
    "TimePeriod",
    "Value",
    "Time_Detail",
    "Source",
    "FootNote",
    "Nature",
    "Sex",
    "Type of skill",
)


def _indicator(row: Mapping[str, str], where: str) -> str | None:
    series = row["SeriesCode"].strip()
    if series == "IT_MOB_OWN":
        return "mobile_phone_ownership"
    if series == "SE_ADT_ACTS":
        skill = row["Type of skill"].strip()
        if skill not in ICT_SKILLS:
            raise DataFileError(
                Msg("unknown type of skill %(skill)s", skill=repr(skill)), location=where
            )
        return ICT_SKILLS[skill]
    return None


def read_file(data_dir: Path, rel: str, countries: CountryIndex) -> FileLoad:
    require_columns(data_dir, rel, _COLUMNS)
    b = FileLoadBuilder(rel)
    for line, row in read_rows(data_dir, rel):
        where = f"{rel}:{line}"
        indicator = _indicator(row, where)
        if indicator is None:
            b.skip(SKIP_UNUSED)
            continue
        value = parse_value(row["Value"], where=where)
        if value is None:
            b.skip(SKIP_MISSING)
            continue
        m49 = row["GeoAreaCode"].strip()
        area = countries.from_m49(int(m49)) if m49.isdigit() else None
        if area is None:
            b.skip(SKIP_UNMAPPED, where=f"{where}: GeoAreaCode {m49!r}")
            continue
        try:
            sex = SEXES[row["Sex"].strip()]
        except KeyError as exc:
            raise DataFileError(
                Msg("unknown sex %(value)s", value=str(exc)), location=where
            ) from exc
        year = parse_year(row["TimePeriod"], where=where)
        detail = row["Time_Detail"].strip()
        b.add(
            Observation(
                indicator=indicator,
                area=area,
                year=year,
                sex=sex,
                value=value,
                source=SOURCE,
                note=join_notes(
                    f"data source: {row['Source'].strip()}" if row["Source"].strip() else "",
                    row["FootNote"],
                    f"time detail: {detail}" if detail and detail != str(year) else "",
                ),
                flag=row["Nature"].strip(),
            ),
            where,
        )
    return b.build()


def read(data_dir: Path, countries: CountryIndex | None = None) -> list[FileLoad]:
    countries = countries or CountryIndex.from_data(data_dir)
    return [read_file(data_dir, rel, countries) for rel in FILES]


def load(data_dir: Path) -> list[Observation]:
    return flatten(read(data_dir))
