"""UN Statistics Division, Minimum Set of Gender Indicators (11 series), ``unsd-gender-*``.

File ``unstats-gender/unstats_gender_selected_long.csv.gz`` (gzip of the derived CSV): our
long-format stack of 11 wide series files of GitHub ``UNStats/gender_data_portal`` (34,321
rows, empty values already dropped). ``unstats-gender/ts_catalog.csv`` (bundled for
provenance) gives the plain-English label of every ``breakdown_id``.

Each series keeps its custodian agency's terms, so observations get a per-custodian source id
(:data:`SERIES`): ``unsd-gender-findex`` (World Bank), ``unsd-gender-itu``,
``unsd-gender-uis``, ``unsd-gender-ilo``, ``unsd-gender-ipu`` (IPU; ministers: IPU/UN Women)
and ``unsd-gender-unwomen`` (local government).

Quirks and rules:

* Areas: ``iso3`` for countries; rows with empty ``iso3`` are UN aggregates (M49 regions,
  SDG regions, LDC/LLDC/SIDS) -> ``UN:<m49 zero-padded to 3>`` (``UN:001`` World) named by
  ``area_name``. Two former countries with empty ``iso3`` ("Serbia and Montenegro [former]"
  891, "Sudan [former]" 736) are neither: skipped and counted as unmappable.
* ``sex``: ``_T``/``F``/``M``; leadership series are female shares (``F`` only).
* ``flag`` = ``nature`` (C country data, E estimated, G global monitoring, M modelled);
  ``note`` = ``comment``, plus ``time detail: ...`` when ``time_detail`` differs from ``year``.
* ICT skills: ``other_dimension_code`` (COPA, CMFL, ...) selects the indicator ``ict_skill_*``.
* Internet use (series I.17, vintage 2015) comes with the national age scope
  (``other_dimension_code``: ``_T`` all ages, ``Y16T74``, ``Y_GE06``...). The note records it
  (``age scope: Y16T74``). **Dedup rule**: if one area-year-sex has several age scopes, keep
  the broadest: ``_T`` first, then the lowest minimum age, then the highest maximum age
  (open-ended ``Y_GEnn`` counts as unbounded), ``_X`` (not specified) last. (The bundled file
  has no such duplicates; the rule is tested on synthetic rows.)
* Any other duplicate (indicator, area, year, sex) keeps the first row in file order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from equals.core.areas import Area, AreaKind
from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.indicators.model import Observation
from equals.indicators.sources.base import (
    SKIP_DUPLICATE,
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

FILE = "unstats-gender/unstats_gender_selected_long.csv.gz"
TS_CATALOG = "unstats-gender/ts_catalog.csv"
FILES = (FILE, TS_CATALOG)
DEFINED_BY = "UN Statistics Division (M49 / SDG regional groupings)"

#: series short name -> (catalogue indicator or "" for per-skill, source id)
SERIES: Mapping[str, tuple[str, str]] = {
    "account_ownership": ("account_ownership", "unsd-gender-findex"),
    "internet_use": ("internet_use", "unsd-gender-itu"),
    "mobile_phone_ownership": ("mobile_phone_ownership", "unsd-gender-itu"),
    "ict_skills": ("", "unsd-gender-itu"),
    "tertiary_gross_enrolment_ratio": ("tertiary_enrolment", "unsd-gender-uis"),
    "tertiary_gross_graduation_ratio": ("tertiary_graduation_ratio", "unsd-gender-uis"),
    "women_share_ministers": ("women_ministers", "unsd-gender-ipu"),
    "women_share_parliament_seats": ("women_in_parliament", "unsd-gender-ipu"),
    "women_share_local_government_seats": ("women_local_government", "unsd-gender-unwomen"),
    "women_share_managerial_positions": ("women_managers", "unsd-gender-ilo"),
    "women_share_senior_middle_management": (
        "women_senior_middle_management",
        "unsd-gender-ilo",
    ),
}

#: ITU / SDG 4.4.1 skill code -> catalogue indicator (shared with the SDG database loader).
ICT_SKILLS: Mapping[str, str] = {
    "COPA": "ict_skill_copy_paste",
    "CMFL": "ict_skill_copy_move_file",
    "EMAIL": "ict_skill_email_attachment",
    "ARSP": "ict_skill_spreadsheet_formula",
    "INST": "ict_skill_install_devices",
    "SOFT": "ict_skill_find_install_software",
    "EPRS": "ict_skill_presentation",
    "TRAF": "ict_skill_transfer_files",
    "PCPR": "ict_skill_programming",
}

SEXES: Mapping[str, Sex] = {"_T": Sex.TOTAL, "F": Sex.FEMALE, "M": Sex.MALE}

_COLUMNS = (
    "series",
    "m49",
    "area_name",
    "iso3",
    "year",
    "sex",
    "other_dimension_code",
    "value",
    "nature",
    "comment",
    "time_detail",
)
_AGE = re.compile(r"^Y(?:_GE(\d+)|(\d+)T(\d+))$")


def age_scope_rank(code: str) -> tuple[int, int, int]:
    """Sort key: smaller = broader age scope (``_T`` < ``Y_GE03`` < ``Y_GE15`` < ... < ``_X``)."""
    if code == "_T":
        return (0, 0, 0)
    m = _AGE.match(code)
    if m is None:  # "_X" (not specified) or anything unexpected
        return (2, 0, 0)
    if m.group(1) is not None:
        return (1, int(m.group(1)), -999)
    return (1, int(m.group(2)), -int(m.group(3)))


def _area(row: Mapping[str, str], countries: CountryIndex, b: FileLoadBuilder) -> str | None:
    iso3 = row["iso3"].strip()
    if iso3:
        return countries.code(iso3)
    name = row["area_name"].strip()
    m49_text = row["m49"].strip()
    if not m49_text.isdigit() or name.endswith("[former]"):
        return None
    code = f"UN:{int(m49_text):03d}"
    b.add_aggregate(Area(code, name, AreaKind.AGGREGATE, m49=int(m49_text), defined_by=DEFINED_BY))
    return code


def _choose(rows: Iterable[tuple[tuple[int, int, int], int, Observation]]) -> Observation:
    return min(rows, key=lambda r: (r[0], r[1]))[2]


def build(
    rows: Iterable[tuple[int, Mapping[str, str]]], countries: CountryIndex, rel: str = FILE
) -> FileLoad:
    """Observations from ``(line, row)`` pairs of the long file (testable without a file).

    ``rel`` names the file in messages (a user's file for a release import). Exact duplicates
    (same key and, for Internet use, the same age scope) are also listed as examples under
    :data:`SKIP_DUPLICATE`; rows dropped by the age-scope rule are only counted.
    """
    b = FileLoadBuilder(rel)
    candidates: dict[tuple[str, str, int, Sex], list[tuple[tuple[int, int, int], int, Observation]]]
    candidates = {}
    for line, row in rows:
        where = f"{rel}:{line}"
        series = row["series"].strip()
        if series not in SERIES:
            b.skip(SKIP_UNUSED)
            continue
        indicator, source = SERIES[series]
        dim = row["other_dimension_code"].strip()
        if series == "ict_skills":
            if dim not in ICT_SKILLS:
                raise DataFileError(
                    Msg("unknown ICT skill %(skill)s", skill=repr(dim)), location=where
                )
            indicator = ICT_SKILLS[dim]
        value = parse_value(row["value"], where=where)
        if value is None:
            b.skip(SKIP_MISSING)
            continue
        area = _area(row, countries, b)
        if area is None:
            code = row["iso3"].strip() or row["m49"].strip()
            b.skip(SKIP_UNMAPPED, where=f"{where}: area {code!r} ({row['area_name'].strip()})")
            continue
        try:
            sex = SEXES[row["sex"].strip()]
        except KeyError as exc:
            raise DataFileError(
                Msg("unknown sex %(value)s", value=str(exc)), location=where
            ) from exc
        year = parse_year(row["year"], where=where)
        detail = row["time_detail"].strip()
        obs = Observation(
            indicator=indicator,
            area=area,
            year=year,
            sex=sex,
            value=value,
            source=source,
            note=join_notes(
                f"age scope: {dim}" if series == "internet_use" else "",
                row["comment"],
                f"time detail: {detail}" if detail and detail != str(year) else "",
            ),
            flag=row["nature"].strip(),
        )
        rank = age_scope_rank(dim) if series == "internet_use" else (0, 0, 0)
        candidates.setdefault((indicator, area, year, sex), []).append((rank, line, obs))
    for key, group in candidates.items():
        chosen = _choose(group)
        b.observations.append(chosen)
        if len(group) > 1:
            best = min(g[0] for g in group)
            exact = sorted(line for rank, line, obs in group if rank == best)
            b.skip(SKIP_DUPLICATE, len(group) - 1)
            if len(exact) > 1:
                b.skipped_where.setdefault(SKIP_DUPLICATE, []).extend(
                    f"{rel}:{line} {key[0]} {key[1]} {key[2]} {key[3].value}" for line in exact[1:]
                )
    return b.build()


def read(data_dir: Path, countries: CountryIndex | None = None) -> list[FileLoad]:
    countries = countries or CountryIndex.from_data(data_dir)
    require_columns(data_dir, FILE, _COLUMNS)
    require_columns(data_dir, TS_CATALOG, ("MINSET_SERIES", "TSK_sub_id", "TSK_sub_desc"))
    return [build(read_rows(data_dir, FILE), countries)]


def load(data_dir: Path) -> list[Observation]:
    return flatten(read(data_dir))
