"""How many women (headline counts) and group pace, by hand against the population files."""

from __future__ import annotations

import csv
import math

import pytest

from equals.analysis.headline import headlines
from equals.analysis.pace import group_pace
from equals.core.areas import Area
from equals.core.errors import ValidationError
from equals.core.vocabulary import Sex
from equals.evidence.queries import Evidence
from equals.indicators.bundle import default_data_dir, load_sources
from equals.indicators.catalogue import load_catalogue
from equals.indicators.model import Observation
from equals.store import Store


def pop(series: str, economy: str, year: int) -> float:
    """A value read straight from a bundled WDI population file (the reference)."""
    path = default_data_dir() / "wdi" / f"ddf--datapoints--{series}--by--economy--year.csv"
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["economy"] == economy and int(r["year"]) == year:
                return float(r[series])
    raise KeyError((series, economy, year))


@pytest.fixture
def two(fresh_store: Store) -> Evidence:
    areas = [
        Area("KEN", "Kenya", region="Africa", income_group="Lower middle income"),
        Area("UGA", "Uganda", region="Africa", income_group="Low income"),
        Area("FRA", "France", region="Europe", income_group="High income"),
    ]
    obs = []
    # Internet use: KEN 2020 F 20 / M 30; UGA 2022 F 10 / M 20 (made-up rates).
    for area, year, f, m in (("KEN", 2020, 20.0, 30.0), ("UGA", 2022, 10.0, 20.0)):
        obs += [
            Observation("internet_use", area, year, Sex.FEMALE, f, "wdi"),
            Observation("internet_use", area, year, Sex.MALE, m, "wdi"),
        ]
    # Women in parliament (female share): exact trends, log parity slopes 0.02 and 0.04.
    for area, b in (("KEN", 0.02), ("UGA", 0.04)):
        for i, year in enumerate(range(2010, 2016)):
            p = 0.5 * math.exp(b * i)
            obs.append(
                Observation(
                    "women_in_parliament",
                    area,
                    year,
                    Sex.FEMALE,
                    100 * p / (1 + p),
                    "unsd-gender-ipu",
                )
            )
    fresh_store.load(
        sources=load_sources(),
        areas=areas,
        observations=obs,
        catalogue=load_catalogue(),
        fingerprint="test",
    )
    return Evidence(fresh_store)


def test_headline_counts_by_hand(two: Evidence) -> None:
    h = headlines(two, "internet_use")
    ken_f, ken_m = pop("sp_pop_totl_fe_in", "ken", 2020), pop("sp_pop_totl_ma_in", "ken", 2020)
    uga_f, uga_m = pop("sp_pop_totl_fe_in", "uga", 2022), pop("sp_pop_totl_ma_in", "uga", 2022)
    ken = next(c for c in h.countries if c.country == "KEN")
    assert ken.women_without == pytest.approx(0.8 * ken_f)
    assert ken.men_without == pytest.approx(0.7 * ken_m)
    assert ken.fewer_women == pytest.approx(0.3 * ken_m - 0.2 * ken_f)
    world = next(g for g in h.groups if g.kind == "world")
    assert world.countries == 2 and world.year_mix == ((2020, 1), (2022, 1))
    assert world.women_without == pytest.approx(0.8 * ken_f + 0.9 * uga_f)
    assert world.fewer_women == pytest.approx(0.3 * ken_m - 0.2 * ken_f + 0.2 * uga_m - 0.1 * uga_f)
    assert world.female_rate_weighted == pytest.approx((20 * ken_f + 10 * uga_f) / (ken_f + uga_f))
    assert world.female_rate_unweighted == pytest.approx(15.0)
    # coverage: women of KEN + UGA over women of KEN + UGA + FRA, latest population year
    y = h.population_year
    cov = (pop("sp_pop_totl_fe_in", "ken", y) + pop("sp_pop_totl_fe_in", "uga", y)) / (
        pop("sp_pop_totl_fe_in", "ken", y)
        + pop("sp_pop_totl_fe_in", "uga", y)
        + pop("sp_pop_totl_fe_in", "fra", y)
    )
    assert world.coverage_women == pytest.approx(cov)
    europe = next(g for g in h.groups if g.label == "Europe")
    assert europe.countries == 0 and europe.coverage_women == 0.0


def test_account_ownership_uses_ages_15_plus(evidence: Evidence) -> None:
    h = headlines(evidence, "account_ownership")
    assert h.age_base == "15+"
    ken = next(c for c in h.countries if c.country == "KEN")
    women15 = pop("sp_pop_totl_fe_in", "ken", ken.year) - pop("sp_pop_0014_fe_in", "ken", ken.year)
    assert ken.women == women15
    assert ken.women_without == pytest.approx((1 - ken.female_rate / 100) * women15)


def test_headlines_only_for_the_counted_indicators(evidence: Evidence) -> None:
    with pytest.raises(ValidationError, match="no headline numbers for 'women_in_parliament'"):
        headlines(evidence, "women_in_parliament")


def test_group_pace_by_hand(two: Evidence) -> None:
    p = group_pace(two, "women_in_parliament")
    world = next(g for g in p.groups if g.kind == "world")
    assert world.countries_with_trend == 2
    assert world.pace_unweighted == pytest.approx(100 * math.expm1(0.03))
    w_ken = pop("sp_pop_totl_fe_in", "ken", 2024)
    w_uga = pop("sp_pop_totl_fe_in", "uga", 2024)
    b = (0.02 * w_ken + 0.04 * w_uga) / (w_ken + w_uga)
    assert world.pace_weighted == pytest.approx(100 * math.expm1(b))
    assert "SP.POP.TOTL.FE.IN" in p.weights_source
