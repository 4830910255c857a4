"""The data-gap audit: for every country × indicator, what sex-disaggregated data exists.

One cell per country and catalogue indicator, over **all** the indicator's sources (whole
population, no breakdown):

* ``latest_year`` — the latest year with sex-disaggregated data (a female and a male value,
  or a female share); when there is none, the latest year with any value (a total, or one
  sex only); ``None`` when the country has no value at all;
* ``by_sex`` — whether any sex-disaggregated value exists;
* ``age`` — ``reference_year − latest_year`` (the reference year is the latest year of any
  bundled value, stated with the result);
* ``status`` — ``recent`` (by sex, age ≤ ``recent_years``), ``old`` (by sex, older),
  ``total_only`` (totals but no comparison by sex), ``one_sex_only`` (e.g. a female value
  without the male one), ``missing``;
* ``sources`` — the sources that hold any value for the cell.

The countries audited are the economies the World Bank classifies by income (its list of 217
economies) and any other territory with at least one value; uninhabited territories of the
ISO list are left out. Summaries group the cells by indicator, pillar, region and income
group, and rank the countries where the partnership knows least (fewest indicators with
recent data by sex).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from statistics import median

from equals.core.areas import Area
from equals.core.vocabulary import IndicatorKind
from equals.evidence.queries import Evidence

RECENT_YEARS = 5


class CellStatus(StrEnum):
    RECENT = "recent"
    OLD = "old"
    TOTAL_ONLY = "total_only"
    ONE_SEX_ONLY = "one_sex_only"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class AuditCell:
    country: str
    indicator: str
    pillar: str
    latest_year: int | None
    latest_total_year: int | None
    by_sex: bool
    years_by_sex: int  # number of years with sex-disaggregated data
    age: int | None
    status: CellStatus
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuditSummary:
    """Counts of cells by status for one group (an indicator, pillar, region...)."""

    group: str
    label: str
    cells: int
    recent: int
    old: int
    total_only: int
    one_sex_only: int
    missing: int
    median_age: float | None

    @property
    def by_sex_share(self) -> float:
        return (self.recent + self.old) / self.cells if self.cells else 0.0

    @property
    def recent_share(self) -> float:
        return self.recent / self.cells if self.cells else 0.0


@dataclass(frozen=True, slots=True)
class CountryCoverage:
    country: str
    name: str
    region: str | None
    income_group: str | None
    indicators: int
    recent: int
    by_sex: int
    total_only: int
    missing: int

    @property
    def recent_share(self) -> float:
        return self.recent / self.indicators if self.indicators else 0.0


@dataclass(frozen=True)
class Audit:
    reference_year: int
    recent_years: int
    cells: tuple[AuditCell, ...]
    countries: tuple[Area, ...]

    def summary(self, by: str) -> list[AuditSummary]:
        """Summaries ``by`` ``indicator``, ``pillar``, ``region`` or ``income_group``."""
        areas = {a.code: a for a in self.countries}
        keys: dict[str, Callable[[AuditCell], str]] = {
            "indicator": lambda c: c.indicator,
            "pillar": lambda c: c.pillar,
            "region": lambda c: areas[c.country].region or "(no region)",
            "income_group": lambda c: areas[c.country].income_group or "(not classified)",
        }
        if by not in keys:
            raise ValueError(f"summary by {by!r}: use one of {', '.join(keys)}")
        groups: dict[str, list[AuditCell]] = defaultdict(list)
        for cell in self.cells:
            groups[keys[by](cell)].append(cell)
        return [_summary(by, label, cells) for label, cells in sorted(groups.items())]

    def coverage(self) -> list[CountryCoverage]:
        """Countries where the partnership knows least first: fewest indicators with recent
        data by sex, then fewest with any data by sex."""
        by_country: dict[str, list[AuditCell]] = defaultdict(list)
        for cell in self.cells:
            by_country[cell.country].append(cell)
        out = []
        for a in self.countries:
            cells = by_country.get(a.code, [])
            out.append(
                CountryCoverage(
                    country=a.code,
                    name=a.name,
                    region=a.region,
                    income_group=a.income_group,
                    indicators=len(cells),
                    recent=sum(c.status is CellStatus.RECENT for c in cells),
                    by_sex=sum(c.by_sex for c in cells),
                    total_only=sum(c.status is CellStatus.TOTAL_ONLY for c in cells),
                    missing=sum(c.status is CellStatus.MISSING for c in cells),
                )
            )
        out.sort(key=lambda c: (c.recent, c.by_sex, c.country))
        return out


def _summary(group: str, label: str, cells: Iterable[AuditCell]) -> AuditSummary:
    cells = list(cells)
    ages = [c.age for c in cells if c.by_sex and c.age is not None]
    return AuditSummary(
        group=group,
        label=label,
        cells=len(cells),
        recent=sum(c.status is CellStatus.RECENT for c in cells),
        old=sum(c.status is CellStatus.OLD for c in cells),
        total_only=sum(c.status is CellStatus.TOTAL_ONLY for c in cells),
        one_sex_only=sum(c.status is CellStatus.ONE_SEX_ONLY for c in cells),
        missing=sum(c.status is CellStatus.MISSING for c in cells),
        median_age=float(median(ages)) if ages else None,
    )


def data_gap_audit(
    evidence: Evidence, *, reference_year: int | None = None, recent_years: int = RECENT_YEARS
) -> Audit:
    """The audit over every country and catalogue indicator (cached per data version)."""
    return evidence.cached(
        ("analysis-audit", reference_year, recent_years),
        lambda: _audit(evidence, reference_year, recent_years),
    )


def _audit(evidence: Evidence, reference_year: int | None, recent_years: int) -> Audit:
    areas = evidence.areas()
    # (indicator, country) -> year -> set of sexes; and the sources holding any value
    sexes: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    latest_any = 0
    for ind in evidence.catalogue:
        for o in evidence.observations(indicator=ind.id, all_sources=True):
            if not areas[o.area].is_country:
                continue
            sexes[(ind.id, o.area)][o.year].add(o.sex.value)
            sources[(ind.id, o.area)].add(o.source)
            latest_any = max(latest_any, o.year)
    ref = reference_year or latest_any
    with_data = {area for _, area in sources}
    countries = tuple(
        sorted(
            (
                a
                for a in areas.values()
                if a.is_country and (a.income_group is not None or a.code in with_data)
            ),
            key=lambda a: a.code,
        )
    )
    cells = []
    for ind in evidence.catalogue:
        need = {"female"} if ind.kind is IndicatorKind.FEMALE_SHARE else {"female", "male"}
        for a in countries:
            years = sexes.get((ind.id, a.code), {})
            sex_years = [y for y, s in years.items() if need <= s]
            total_years = [y for y, s in years.items() if "total" in s]
            latest_sex = max(sex_years) if sex_years else None
            latest_total = max(total_years) if total_years else None
            latest_value = max(years) if years else None
            latest = latest_sex if latest_sex is not None else latest_value
            age = None if latest is None else ref - latest
            if latest_sex is not None:
                status = CellStatus.RECENT if ref - latest_sex <= recent_years else CellStatus.OLD
            elif latest_total is not None:
                status = CellStatus.TOTAL_ONLY
            elif years:
                status = CellStatus.ONE_SEX_ONLY
            else:
                status = CellStatus.MISSING
            cells.append(
                AuditCell(
                    country=a.code,
                    indicator=ind.id,
                    pillar=ind.pillar.value,
                    latest_year=latest,
                    latest_total_year=latest_total,
                    by_sex=latest_sex is not None,
                    years_by_sex=len(sex_years),
                    age=age,
                    status=status,
                    sources=tuple(sorted(sources.get((ind.id, a.code), ()))),
                )
            )
    return Audit(ref, recent_years, tuple(cells), countries)
