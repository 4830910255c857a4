"""Result rows of evidence queries, and the pure step from stored values to gap rows."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from equals.core.areas import Area
from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.core.vocabulary import IndicatorKind, Sex
from equals.indicators.catalogue import Indicator
from equals.indicators.gaps import Gap, GapMetric, gap_for
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
    ci_level: float | None = None  # confidence level of ci_low/ci_high (e.g. 0.95)


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


WOMEN_BEHIND_WHEN_LOW = {
    GapMetric.PARITY: True,  # F / M below 1
    GapMetric.RELATIVE: False,  # (M − F) / M above 0
    GapMetric.DIFFERENCE: True,  # F − M below 0
}
"""For an indicator where more is better: does a *low* value of the metric mean women are
behind? (Reversed for indicators where less is better.)"""


def rank_gaps(
    rows: Iterable[GapRow], metric: GapMetric = GapMetric.PARITY, *, higher_is_better: bool = True
) -> list[GapRow]:
    """Rows ordered by ``metric``, the largest gap against women first; rows whose metric is
    not computable last; ties by area code. The one ranking of the CLI, the API and pages."""
    ascending = WOMEN_BEHIND_WHEN_LOW[metric] == higher_is_better

    def key(row: GapRow) -> tuple[int, float, str]:
        v = row.gap.metric(metric)
        if v is None:
            return (1, 0.0, row.area)
        return (0, v if ascending else -v, row.area)

    return sorted(rows, key=key)


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


def gap_metric(value: GapMetric | str) -> GapMetric:
    """A gap metric by name; an unknown one names the three there are."""
    try:
        return GapMetric(value)
    except ValueError:
        names = [m.value for m in GapMetric]
        close = difflib.get_close_matches(str(value)[:40], names, n=1, cutoff=0.5)
        raise ValidationError(
            Msg(
                "unknown gap metric %(value)s; use one of %(names)s",
                value=repr(str(value)[:40]),
                names=", ".join(names),
            ),
            location="metric",
            code="invalid-parameter",
            suggestions=close,
        ) from None
