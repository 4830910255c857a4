"""Result rows of evidence queries, and the pure step from stored values to gap rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from equals.core.areas import Area
from equals.core.vocabulary import IndicatorKind, Sex
from equals.indicators.catalogue import Indicator
from equals.indicators.gaps import Gap, gap_for
from equals.indicators.model import Source

AreaYear = tuple[str, int]


@dataclass(frozen=True, slots=True)
class IndicatorSummary:
    """An indicator with the sex-disaggregated coverage of its default source."""

    indicator: Indicator
    source: Source
    countries: int
    observations: int
    year_min: int | None
    year_max: int | None
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class ObservationRow:
    indicator: str
    area: str
    area_name: str
    year: int
    sex: Sex
    value: float
    source: str
    licence: str
    breakdown: str = ""
    note: str = ""
    flag: str = ""
    # Uncertainty, for estimates published from survey microdata (None otherwise):
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    flags: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class GapRow:
    """One area's female/male comparison for one indicator, at one year."""

    indicator: str
    area: str
    area_name: str
    year: int
    female: float | None
    male: float | None
    total: float | None
    gap: Gap
    source: str
    licence: str
    breakdown: str = ""
    region: str | None = None
    subregion: str | None = None
    income_group: str | None = None
    note: str = ""
    female_se: float | None = None  # standard errors, when published with the values
    male_se: float | None = None


def gap_sort_key(row: GapRow) -> tuple[int, float, str]:
    p = row.gap.parity
    return (0 if p is not None else 1, p if p is not None else 0.0, row.area)


def gap_rows(
    ind: Indicator,
    src: Source,
    breakdown: str,
    values: Mapping[AreaYear, Mapping[str, float]],
    ses: Mapping[AreaYear, Mapping[str, float]],
    notes: Mapping[AreaYear, str],
    areas: Mapping[str, Area],
) -> list[GapRow]:
    """Every area-year whose values allow a comparison: a female and a male value for pair
    indicators, a female share otherwise; with the gap metrics and any published SEs."""
    rows = []
    for (area_code, yr), by_sex in values.items():
        if ind.kind is IndicatorKind.PAIR:
            usable = "female" in by_sex and "male" in by_sex
        else:
            usable = "female" in by_sex
        if not usable:
            continue
        area = areas[area_code]
        rows.append(
            GapRow(
                indicator=ind.id,
                area=area_code,
                area_name=area.name,
                year=yr,
                female=by_sex.get("female"),
                male=by_sex.get("male"),
                total=by_sex.get("total"),
                gap=gap_for(ind.kind, by_sex.get("female"), by_sex.get("male")),
                source=src.id,
                licence=src.licence,
                breakdown=breakdown,
                region=area.region,
                subregion=area.subregion,
                income_group=area.income_group,
                note=notes.get((area_code, yr), ""),
                female_se=ses.get((area_code, yr), {}).get("female"),
                male_se=ses.get((area_code, yr), {}).get("male"),
            )
        )
    return rows
