"""World Bank Global Findex: made or received digital payments, ``findex-digital-payments``.

File ``equals-ict/made_or_received_digitalpayments.csv``: a **wide** World Bank DataBank
export (BOM). Columns ``Country Name, Country Code`` then 9 value columns whose headers carry
the series code and year, e.g. ``... (% age 15+) [g20.t.2] - 2014 [YR2014]``:
``g20.t`` total, ``g20.t.2`` female, ``g20.t.1`` male; years 2011, 2014, 2017. ``..`` =
missing (every 2011 cell). Rows with an empty ``Country Code`` are the blank lines and the
footer ("Data from database: Global Financial Inclusion", "Last Updated: 10/15/2018") and are
ignored (not counted). ``CAM``/``SAM`` (Central/South America excluding high income) are
regional rows with no values. One observation per non-missing cell; no duplicates possible.
"""

from __future__ import annotations

import re
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
    read_rows,
    require_columns,
)
from equals.indicators.sources.countries import CountryIndex

SOURCE = "findex-digital-payments"
FILE = "equals-ict/made_or_received_digitalpayments.csv"
FILES = (FILE,)
INDICATOR = "digital_payments"
SEXES: Mapping[str, Sex] = {"g20.t": Sex.TOTAL, "g20.t.2": Sex.FEMALE, "g20.t.1": Sex.MALE}
_HEADER = re.compile(r"\[(g20\.t(?:\.[12])?)\] - (\d{4}) \[YR\d{4}\]$")


def value_columns(header: list[str]) -> dict[str, tuple[Sex, int]]:
    """Value column name -> (sex, year), parsed from the DataBank header text."""
    out: dict[str, tuple[Sex, int]] = {}
    for col in header[2:]:
        m = _HEADER.search(col.strip())
        if m is None:
            raise DataFileError(
                Msg("unexpected column %(column)s", column=repr(col)), location=FILE
            )
        out[col] = (SEXES[m.group(1)], int(m.group(2)))
    return out


def read(data_dir: Path, countries: CountryIndex | None = None) -> list[FileLoad]:
    countries = countries or CountryIndex.from_data(data_dir)
    header = require_columns(data_dir, FILE, ("Country Name", "Country Code"))
    columns = value_columns(header)
    b = FileLoadBuilder(FILE)
    for line, row in read_rows(data_dir, FILE):
        code = (row["Country Code"] or "").strip()
        if not code:
            continue  # blank line or footer
        area = countries.code(code)
        for col, (sex, year) in columns.items():
            value = parse_value(row[col], where=f"{FILE}:{line}:{col}")
            if value is None:
                b.skip(SKIP_MISSING)
                continue
            if area is None:
                b.skip(SKIP_UNMAPPED)
                continue
            b.observations.append(
                Observation(
                    indicator=INDICATOR, area=area, year=year, sex=sex, value=value, source=SOURCE
                )
            )
    return [b.build()]


def load(data_dir: Path) -> list[Observation]:
    return flatten(read(data_dir))
