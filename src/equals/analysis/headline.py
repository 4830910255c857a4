"""How many women: people without Internet use, a mobile phone or an account, by sex.

For each country, the indicator's latest year with a female and a male rate (default source)
is applied to the World Bank population of that sex, year and age base:

* ``without_F = (1 − F/100) × pop_F``, ``users_F = F/100 × pop_F`` (and the same for men);
* "how many fewer women than men" = ``users_M − users_F`` (the figure ITU's *Facts and
  Figures* and GSMA's *Mobile Gender Gap Report* headline).

Age bases (in :data:`AGE_BASE`): account ownership is measured for ages 15+ (Global Findex);
Internet use covers the national survey's age scope, which varies, and is applied to the
population of all ages, as ITU's own counts are; mobile-phone ownership surveys cover ages 10+
or 15+, and are applied to ages 15+ (ages 10–14 are not in the bundled files), a lower bound.

Groups (UN region, World Bank income group, world) add up their countries with data and
state the year mix and the coverage: the share of the group's women (population of the
latest population year) living in countries with data. Rates are given population-weighted
(``Σ F_i pop_i / Σ pop_i``) beside the unweighted mean of the countries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from equals.core.areas import Area
from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.evidence.queries import Evidence
from equals.indicators.bundle import default_data_dir
from equals.indicators.sources.wdi_population import (
    CITATION,
    LICENCE,
    Age,
    Population,
    bundled_population,
)

#: indicator -> (age base of the population, what the complement means)
AGE_BASE: dict[str, tuple[Age, str]] = {
    "internet_use": (Age.ALL, "do not use the Internet"),
    "mobile_phone_ownership": (Age.ADULTS, "own no mobile phone"),
    "account_ownership": (Age.ADULTS, "have no account"),
}
WINDOW = 10
"""Years of rates used, up to the latest year with rates by sex (stated with the result)."""

AGE_NOTES = {
    "internet_use": "rates cover each national survey's age scope; applied to all ages",
    "mobile_phone_ownership": "surveys cover ages 10+ or 15+; applied to ages 15+ (a lower bound)",
    "account_ownership": "ages 15+ (Global Findex), applied to ages 15+",
}


@dataclass(frozen=True, slots=True)
class CountryHeadline:
    country: str
    name: str
    region: str | None
    income_group: str | None
    indicator: str
    year: int
    female_rate: float
    male_rate: float
    women: float  # population of the age base, that sex and year
    men: float
    women_without: float
    men_without: float
    fewer_women: float  # users_M − users_F
    source: str


@dataclass(frozen=True, slots=True)
class GroupHeadline:
    kind: str  # "world", "region", "income_group"
    label: str
    indicator: str
    countries: int  # with data
    countries_total: int  # with a population in the reference population year
    coverage_women: float  # share of the group's women in countries with data
    year_min: int | None
    year_max: int | None
    year_mix: tuple[tuple[int, int], ...]  # (year, countries)
    women_without: float
    men_without: float
    fewer_women: float
    female_rate_weighted: float | None
    male_rate_weighted: float | None
    female_rate_unweighted: float | None
    male_rate_unweighted: float | None


@dataclass(frozen=True)
class Headlines:
    indicator: str
    meaning: str
    age_base: str
    age_note: str
    first_year: int  # rates from first_year..last_year (each country's latest)
    last_year: int
    population_year: int
    population_source: str
    population_licence: str
    countries: tuple[CountryHeadline, ...]
    groups: tuple[GroupHeadline, ...]


def population(evidence: Evidence) -> Population:
    """The bundled WDI population (read once per process)."""
    del evidence  # population is bundled reference data, the same for every store
    return bundled_population(default_data_dir())


def headlines(evidence: Evidence, indicator: str, *, window: int = WINDOW) -> Headlines:
    """Counts per country and group for one of :data:`AGE_BASE`'s indicators, from each
    country's latest rates by sex within the ``window`` years up to the latest such year."""
    ind = evidence.indicator(indicator)
    if ind.id not in AGE_BASE:
        raise ValidationError(
            Msg(
                "no headline numbers for %(indicator)s: use one of %(names)s",
                indicator=repr(ind.id),
                names=", ".join(AGE_BASE),
            ),
            location="indicator",
            code="no-headline",
        )
    if not 1 <= window <= 100:
        raise ValidationError(
            Msg("must be between 1 and %(max)s years", max=100), location="window"
        )
    return evidence.cached(
        ("analysis-headlines", ind.id, window), lambda: _compute(evidence, ind.id, window)
    )


def _compute(evidence: Evidence, indicator: str, window: int) -> Headlines:
    age, meaning = AGE_BASE[indicator]
    pop = population(evidence)
    areas = evidence.areas()
    rows: list[CountryHeadline] = []
    gaps = [g for g in evidence.gaps(indicator) if g.female is not None and g.male is not None]
    last = max((g.year for g in gaps), default=0)
    first = last - window + 1
    for g in gaps:
        if g.female is None or g.male is None or g.year < first:
            continue
        women = pop.get(g.area, g.year, Sex.FEMALE, age)
        men = pop.get(g.area, g.year, Sex.MALE, age)
        if women is None or men is None:
            continue
        f, m = g.female / 100.0, g.male / 100.0
        rows.append(
            CountryHeadline(
                country=g.area,
                name=g.area_name,
                region=g.region,
                income_group=g.income_group,
                indicator=indicator,
                year=g.year,
                female_rate=g.female,
                male_rate=g.male,
                women=women,
                men=men,
                women_without=(1.0 - f) * women,
                men_without=(1.0 - m) * men,
                fewer_women=m * men - f * women,
                source=g.source,
            )
        )
    countries = [a for a in areas.values() if a.is_country]
    pop_year = max(
        (y for (a, y, s, _g) in pop.values if s is Sex.FEMALE and not a.startswith("WB:")),
        default=0,
    )
    groups: list[GroupHeadline] = [
        _group("world", "World", indicator, rows, countries, pop, pop_year, age)
    ]
    for kind in ("region", "income_group"):
        labels = sorted({getattr(a, kind) for a in countries if getattr(a, kind)})
        for label in labels:
            members = [a for a in countries if getattr(a, kind) == label]
            codes = {a.code for a in members}
            groups.append(
                _group(
                    kind,
                    label,
                    indicator,
                    [r for r in rows if r.country in codes],
                    members,
                    pop,
                    pop_year,
                    age,
                )
            )
    return Headlines(
        indicator=indicator,
        meaning=meaning,
        age_base=age.value,
        age_note=AGE_NOTES[indicator],
        first_year=first,
        last_year=last,
        population_year=pop_year,
        population_source=CITATION,
        population_licence=LICENCE,
        countries=tuple(sorted(rows, key=lambda r: -r.women_without)),
        groups=tuple(groups),
    )


def _group(
    kind: str,
    label: str,
    indicator: str,
    rows: list[CountryHeadline],
    members: Iterable[Area],
    pop: Population,
    pop_year: int,
    age: Age,
) -> GroupHeadline:
    all_women = 0.0
    total = 0
    for a in members:
        w = pop.get(a.code, pop_year, Sex.FEMALE, age)
        if w is not None:
            all_women += w
            total += 1
    with_data = {r.country for r in rows}
    covered = sum(pop.get(c, pop_year, Sex.FEMALE, age) or 0.0 for c in with_data)
    years = Counter(r.year for r in rows)
    women = sum(r.women for r in rows)
    men = sum(r.men for r in rows)
    return GroupHeadline(
        kind=kind,
        label=label,
        indicator=indicator,
        countries=len(rows),
        countries_total=total,
        coverage_women=covered / all_women if all_women else 0.0,
        year_min=min(years) if years else None,
        year_max=max(years) if years else None,
        year_mix=tuple(sorted(years.items())),
        women_without=sum(r.women_without for r in rows),
        men_without=sum(r.men_without for r in rows),
        fewer_women=sum(r.fewer_women for r in rows),
        female_rate_weighted=(
            sum(r.female_rate * r.women for r in rows) / women if women else None
        ),
        male_rate_weighted=sum(r.male_rate * r.men for r in rows) / men if men else None,
        female_rate_unweighted=sum(r.female_rate for r in rows) / len(rows) if rows else None,
        male_rate_unweighted=sum(r.male_rate for r in rows) / len(rows) if rows else None,
    )


def female_population_weights(evidence: Evidence, year: int | None = None) -> dict[str, float]:
    """Each country's female population (all ages) in ``year`` (default: the latest)."""
    pop = population(evidence)
    out: dict[str, float] = {}
    latest: dict[str, int] = defaultdict(int)
    for (area, y, sex, age), value in pop.values.items():
        if sex is not Sex.FEMALE or age is not Age.ALL or area.startswith("WB:"):
            continue
        if year is None:
            if y > latest[area]:
                latest[area] = y
                out[area] = value
        elif y == year:
            out[area] = value
    return out
