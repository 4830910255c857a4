"""ILOSTAT employment by sex (thousands), source id ``ilostat``.

Files (Open Data Watch EQUALS inputs; BOM; ILOSTAT bulk layout ``ref_area.label,
indicator.label, source.label, sex.label, classif1.label, time, obs_value, obs_status.label,
note_indicator.label, note_source.label``):

* ``equals-ict/ilo_ict_professionals.csv``: ISCO-08 group 25 "Information and
  communications technology professionals" -> ``ict_professionals``;
* ``equals-ict/ilo_telecomms_professionals.csv``: ISIC Rev.4 division 61
  "Telecommunications" -> ``telecom_employment``.

Quirks and rules:

* The area is only named (``ref_area.label``); its ISO3 code is the prefix of
  ``source.label`` (``"ALB - LFS - Labour Force Survey"``). ILO writes Kosovo ``KOS``; we use
  ``XKX``.
* ``sex.label``: ``Sex: Total`` / ``Sex: Male`` / ``Sex: Female``. Empty ``obs_value`` rows
  are skipped. ``flag`` = ``obs_status.label`` (``Unreliable``, ``Break in series``);
  ``note`` = ``survey: <source.label>`` + ``note_indicator.label`` + ``note_source.label``.
* **Dedup rule**: one survey per country-year. If several ``source.label`` values exist for a
  country-year, keep the first (in file order) whose survey type (second segment) is ``LFS``
  (labour force survey), else the first in file order; rows of the other surveys are counted
  as duplicates. The bundled files have no such case; the rule is tested on synthetic rows.
* **Derived** ``women_share_ict_professionals`` (from the ISCO 25 file only): female ÷ total
  × 100 for each country-year where the chosen survey has both values and total > 0. Its
  ``note`` starts ``computed by EQUALS Hub: female ÷ total × 100``; its ``flag`` joins the
  distinct flags of the two inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.indicators.model import Observation
from equals.indicators.sources.base import (
    SKIP_DUPLICATE,
    SKIP_MISSING,
    SKIP_UNMAPPED,
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

SOURCE = "ilostat"
ICT_PROFESSIONALS = "equals-ict/ilo_ict_professionals.csv"
TELECOM = "equals-ict/ilo_telecomms_professionals.csv"
FILES = (ICT_PROFESSIONALS, TELECOM)
INDICATORS: Mapping[str, str] = {
    ICT_PROFESSIONALS: "ict_professionals",
    TELECOM: "telecom_employment",
}
SHARE_INDICATOR = "women_share_ict_professionals"
SHARE_NOTE = "computed by EQUALS Hub: female ÷ total × 100"
SEXES: Mapping[str, Sex] = {
    "Sex: Total": Sex.TOTAL,
    "Sex: Male": Sex.MALE,
    "Sex: Female": Sex.FEMALE,
}
ILO_CODE_FIXES: Mapping[str, str] = {"KOS": "XKX"}
_COLUMNS = (
    "source.label",
    "sex.label",
    "time",
    "obs_value",
    "obs_status.label",
    "note_indicator.label",
    "note_source.label",
)


def survey_code(source_label: str) -> str:
    """ISO3 prefix of ``source.label`` (ILO's own code; may need :data:`ILO_CODE_FIXES`)."""
    return source_label.split(" - ", 1)[0].strip().upper()


def is_lfs(source_label: str) -> bool:
    parts = source_label.split(" - ")
    return len(parts) > 1 and parts[1].strip().upper() == "LFS"


def choose_surveys(rows: Iterable[Mapping[str, str]]) -> dict[tuple[str, str], str]:
    """(code, year) -> the ``source.label`` kept by the dedup rule (rows in file order)."""
    chosen: dict[tuple[str, str], str] = {}
    for row in rows:
        label = row["source.label"].strip()
        key = (survey_code(label), row["time"].strip())
        current = chosen.get(key)
        if current is None or (not is_lfs(current) and is_lfs(label)):
            chosen[key] = label
    return chosen


def indicator_for(rows: Iterable[Mapping[str, str]]) -> str | None:
    """The catalogue indicator of an ILOSTAT bulk file, from its ``classif1.label`` cells:
    ISCO-08 group 25 -> ``ict_professionals``, ISIC Rev.4 division 61 -> ``telecom_employment``
    (None when the file has neither or both)."""
    found: set[str] = set()
    for row in rows:
        label = (row.get("classif1.label") or "").strip()
        if label.startswith("Occupation (ISCO-08)") and ": 25 - " in label:
            found.add(INDICATORS[ICT_PROFESSIONALS])
        elif label.startswith("Economic activity (ISIC-Rev.4)") and ": 61 - " in label:
            found.add(INDICATORS[TELECOM])
    return found.pop() if len(found) == 1 else None


def build(
    rel: str,
    rows: list[tuple[int, Mapping[str, str]]],
    countries: CountryIndex,
    indicator: str | None = None,
) -> FileLoad:
    """Observations from ``(line, row)`` pairs of one ILO file (testable without a file).

    ``indicator`` is needed when ``rel`` is not a bundled file (a release import): one of
    :data:`INDICATORS`' values (``ict_professionals`` also gives the derived women's share).
    """
    indicator = indicator or INDICATORS[rel]
    surveys = choose_surveys(r for _, r in rows)
    b = FileLoadBuilder(rel)
    by_country_year: dict[tuple[str, int], dict[Sex, Observation]] = {}
    for line, row in rows:
        where = f"{rel}:{line}"
        label = row["source.label"].strip()
        value = parse_value(row["obs_value"], where=where)
        if value is None:
            b.skip(SKIP_MISSING)
            continue
        ilo_code = survey_code(label)
        area = countries.code(ILO_CODE_FIXES.get(ilo_code, ilo_code))
        if area is None:
            b.skip(SKIP_UNMAPPED, where=f"{where}: area code {ilo_code!r} ({label})")
            continue
        if surveys[(ilo_code, row["time"].strip())] != label:
            b.skip(SKIP_DUPLICATE)
            continue
        try:
            sex = SEXES[row["sex.label"].strip()]
        except KeyError as exc:
            raise DataFileError(
                Msg("unknown sex %(value)s", value=str(exc)), location=where
            ) from exc
        year = parse_year(row["time"], where=where)
        obs = Observation(
            indicator=indicator,
            area=area,
            year=year,
            sex=sex,
            value=value,
            source=SOURCE,
            note=join_notes(
                f"survey: {label}", row["note_indicator.label"], row["note_source.label"]
            ),
            flag=row["obs_status.label"].strip(),
        )
        slot = by_country_year.setdefault((area, year), {})
        if sex in slot:  # same survey, same sex twice
            b.skip(SKIP_DUPLICATE, where=f"{where}: {indicator} {area} {year} {sex.value}")
            continue
        slot[sex] = obs
        b.observations.append(obs)
    if indicator == INDICATORS[ICT_PROFESSIONALS]:
        b.observations.extend(women_shares(by_country_year))
    return b.build()


def women_shares(
    by_country_year: Mapping[tuple[str, int], Mapping[Sex, Observation]],
) -> list[Observation]:
    """``women_share_ict_professionals`` = female / total * 100 per country-year."""
    out: list[Observation] = []
    for (area, year), slot in by_country_year.items():
        female, total = slot.get(Sex.FEMALE), slot.get(Sex.TOTAL)
        if female is None or total is None or total.value <= 0:
            continue
        flags = dict.fromkeys(f for f in (female.flag, total.flag) if f)
        out.append(
            Observation(
                indicator=SHARE_INDICATOR,
                area=area,
                year=year,
                sex=Sex.FEMALE,
                value=female.value / total.value * 100,
                source=SOURCE,
                note=join_notes(
                    f"{SHARE_NOTE} (ILO employment, ISCO-08 group 25, "
                    f"female {female.value!r} / total {total.value!r} thousand)",
                    female.note,
                ),
                flag="; ".join(flags),
            )
        )
    return out


def read(data_dir: Path, countries: CountryIndex | None = None) -> list[FileLoad]:
    countries = countries or CountryIndex.from_data(data_dir)
    loads: list[FileLoad] = []
    for rel in FILES:
        require_columns(data_dir, rel, _COLUMNS)
        loads.append(build(rel, list(read_rows(data_dir, rel)), countries))
    return loads


def load(data_dir: Path) -> list[Observation]:
    return flatten(read(data_dir))
