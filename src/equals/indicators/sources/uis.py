"""UNESCO Institute for Statistics (UIS.Stat exports), source id ``uis``.

Files (Open Data Watch EQUALS inputs; BOM; long layout ``<code>, Indicator, LOCATION,
Country, TIME, Time, Value, Flag Codes, Flags`` where the first column is ``INDICATOR`` or
``EDULIT_IND``):

* ``equals-ict/tertiary_graduates_stem_ict.csv``: % of graduates from STEM programmes
  (``FOSGP_5T8_F500600700``) and ICT programmes (``FOSGP_5T8_F600``); suffix ``_F`` = % of
  female graduates, ``_M`` = % of male graduates, none = both sexes -> ``stem_graduates`` /
  ``ict_graduates``.
* ``equals-ict/female_eng_tech_researchers.csv``: ``FRESP_FS_TFTE_ENGTECH`` female share of
  engineering & technology researchers (FTE) -> ``female_engineering_researchers``. The two
  head-count series in the same file (``20402`` total, ``20462`` female researchers FTE) are
  not catalogue indicators: skipped and counted.

``LOCATION`` is ISO3. ``flag`` = ``Flag Codes`` (``‡`` UIS estimation, ``+`` national
estimation, ``n`` nil or negligible, ``a`` not applicable); ``note`` = the ``Flags`` text.
Rows flagged ``n``/``a`` have an empty value and are skipped as missing (not read as 0).
No duplicates in the files; any duplicate keeps the first row in file order.
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
    parse_value,
    parse_year,
    read_rows,
    require_columns,
)
from equals.indicators.sources.countries import CountryIndex

SOURCE = "uis"
GRADUATES = "equals-ict/tertiary_graduates_stem_ict.csv"
RESEARCHERS = "equals-ict/female_eng_tech_researchers.csv"
FILES = (GRADUATES, RESEARCHERS)

#: UIS indicator code -> (catalogue indicator, sex)
SERIES: Mapping[str, tuple[str, Sex]] = {
    "FOSGP_5T8_F500600700": ("stem_graduates", Sex.TOTAL),
    "FOSGP_5T8_F500600700_F": ("stem_graduates", Sex.FEMALE),
    "FOSGP_5T8_F500600700_M": ("stem_graduates", Sex.MALE),
    "FOSGP_5T8_F600": ("ict_graduates", Sex.TOTAL),
    "FOSGP_5T8_F600_F": ("ict_graduates", Sex.FEMALE),
    "FOSGP_5T8_F600_M": ("ict_graduates", Sex.MALE),
    "FRESP_FS_TFTE_ENGTECH": ("female_engineering_researchers", Sex.FEMALE),
}
_CODE_COLUMN = {GRADUATES: "EDULIT_IND", RESEARCHERS: "INDICATOR"}


def code_column(data_dir: Path, rel: str) -> str:
    """The indicator-code column of a UIS.Stat export: ``EDULIT_IND`` or ``INDICATOR``."""
    if rel in _CODE_COLUMN:
        return _CODE_COLUMN[rel]
    header = require_columns(data_dir, rel, ("LOCATION",))
    for col in ("EDULIT_IND", "INDICATOR"):
        if col in header:
            return col
    raise DataFileError(
        Msg("missing column EDULIT_IND or INDICATOR (the UIS indicator code)"),
        location=str(data_dir / rel),
    )


def read_file(data_dir: Path, rel: str, countries: CountryIndex) -> FileLoad:
    code_col = code_column(data_dir, rel)
    require_columns(data_dir, rel, (code_col, "LOCATION", "TIME", "Value", "Flag Codes", "Flags"))
    b = FileLoadBuilder(rel)
    for line, row in read_rows(data_dir, rel):
        where = f"{rel}:{line}"
        code = row[code_col].strip()
        if code not in SERIES:
            b.skip(SKIP_UNUSED)
            continue
        indicator, sex = SERIES[code]
        value = parse_value(row["Value"], where=where)
        if value is None:
            b.skip(SKIP_MISSING)
            continue
        area = countries.code(row["LOCATION"])
        if area is None:
            b.skip(SKIP_UNMAPPED, where=f"{where}: LOCATION {row['LOCATION'].strip()!r}")
            continue
        year = parse_year(row["TIME"], where=where)
        b.add(
            Observation(
                indicator=indicator,
                area=area,
                year=year,
                sex=sex,
                value=value,
                source=SOURCE,
                note=row["Flags"].strip(),
                flag=row["Flag Codes"].strip(),
            ),
            where,
        )
    return b.build()


def read(data_dir: Path, countries: CountryIndex | None = None) -> list[FileLoad]:
    countries = countries or CountryIndex.from_data(data_dir)
    return [read_file(data_dir, rel, countries) for rel in FILES]


def load(data_dir: Path) -> list[Observation]:
    return flatten(read(data_dir))
