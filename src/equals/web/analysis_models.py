"""Pydantic models of the analysis API's responses (so the OpenAPI document describes them)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class IndicatorValueOut(BaseModel):
    indicator: str
    year: int
    female: float
    male: float = Field(description="For a female-share indicator: 100 − the women's share")
    ratio: float | None = Field(description="F/M before truncation")
    truncated: float | None = Field(description="min(F/M, 1): what the score uses")
    source: str
    licence: str
    female_se: float | None = None
    male_se: float | None = None


class ComponentOut(BaseModel):
    id: str
    title: str
    value: float | None
    weight: float | None = Field(description="Normalised weight within the pillar")
    values: list[IndicatorValueOut]


class PillarOut(BaseModel):
    pillar: str
    score: float | None
    components_used: int
    components_required: int
    components_total: int
    components: list[ComponentOut]


class IndexCountryOut(BaseModel):
    country: str = Field(description="ISO 3166-1 alpha-3")
    name: str
    region: str | None
    income_group: str | None
    score: float | None = Field(description="0-1; null when a pillar has too few indicators")
    access: float | None
    skills: float | None
    leadership: float | None
    rank: int | None = Field(description="Rank under the method's own choices")
    rank_low: int | None = Field(description="Interval low (best) end, includes the rank")
    rank_high: int | None
    rank_median: int | None
    scored_share: float = Field(description="Share of Monte Carlo draws that scored it")


class IndexCountryDetailOut(IndexCountryOut):
    pillars: list[PillarOut]
    method_id: str
    method_version: str
    reference_year: int
    first_year: int


class IndexOut(BaseModel):
    method: dict[str, Any] = Field(description="The method descriptor (index_method.yaml)")
    reference_year: int
    first_year: int
    draws: int
    seed: int
    interval: list[float] = Field(description="Percentiles of the rank interval")
    weights: dict[str, float] = Field(description="Nominal component weights")
    countries: list[IndexCountryOut]


class DataGapCellOut(BaseModel):
    country: str
    indicator: str
    latest_year: int | None = Field(description="Latest year by sex; else latest of any value")
    by_sex: bool
    status: str = Field(description="recent | old | total_only | one_sex_only | missing")
    age: int | None
    latest_total_year: int | None
    years_by_sex: int
    pillar: str
    sources: list[str]


class DataGapsOut(BaseModel):
    reference_year: int
    recent_years: int
    cells: list[DataGapCellOut]


class GapSummaryOut(BaseModel):
    group: str
    label: str
    cells: int
    recent: int
    old: int
    total_only: int
    one_sex_only: int
    missing: int
    by_sex_share: float
    recent_share: float
    median_age: float | None


class CountryCoverageOut(BaseModel):
    country: str
    name: str
    region: str | None
    income_group: str | None
    indicators: int
    recent: int
    by_sex: int
    total_only: int
    missing: int
    recent_share: float


class TrendRowOut(BaseModel):
    year: int
    kind: str = Field(description="observed | projected")
    female: float | None
    male: float | None
    parity: float | None
    parity_fitted: float | None
    parity_low: float | None = Field(description="95% prediction interval (projections)")
    parity_high: float | None


class ParityYearsOut(BaseModel):
    country: str
    indicator: str
    source: str
    licence: str
    status: str = Field(
        description="at_parity | converging | diverging | not_at_current_pace | insufficient_data"
    )
    message: str
    points: int
    first_year: int | None
    last_year: int | None
    parity_year: int | None
    years_to_parity: int | None
    parity_year_low: int | None
    parity_year_high: int | None = Field(description="null: beyond the horizon")
    annual_change_pct: float | None
    method: dict[str, Any]
    series: list[TrendRowOut]


class GroupPaceOut(BaseModel):
    kind: str
    label: str
    countries_with_trend: int
    pace_unweighted: float | None = Field(description="% change of the parity score a year")
    pace_weighted: float | None = Field(description="Weighted by female population")
    weighted_countries: int
    statuses: dict[str, int]


class PaceOut(BaseModel):
    indicator: str
    weights_source: str
    groups: list[GroupPaceOut]


class GroupHeadlineOut(BaseModel):
    kind: str
    label: str
    countries: int
    countries_total: int
    coverage_women: float = Field(description="Share of the group's women covered by data")
    year_min: int | None
    year_max: int | None
    year_mix: dict[str, int]
    women_without: float
    men_without: float
    fewer_women: float = Field(description="Men users − women users")
    female_rate_weighted: float | None
    male_rate_weighted: float | None
    female_rate_unweighted: float | None
    male_rate_unweighted: float | None


class CountryHeadlineOut(BaseModel):
    country: str
    name: str
    year: int
    female_rate: float
    male_rate: float
    women: float
    men: float
    women_without: float
    men_without: float
    fewer_women: float
    source: str


class HeadlinesOut(BaseModel):
    indicator: str
    meaning: str
    age_base: str
    age_note: str
    first_year: int
    last_year: int
    population_year: int
    population_source: str
    population_licence: str
    groups: list[GroupHeadlineOut]
    countries: list[CountryHeadlineOut]


class QualityNoteOut(BaseModel):
    indicator: str
    conceptual_clarity: str
    established_methodology: str
    regularity: str
    basis: str
    note: str
