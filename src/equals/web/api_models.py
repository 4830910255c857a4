"""Response models of the evidence API: the OpenAPI document describes every body with these.

The keys are those of :mod:`equals.evidence.records` (the public contract, shared with the CLI's
``--format json``); ``extra="forbid"`` makes a key added to a record without its model fail the
tests. Spelling: the API says ``organisation`` (British, as the bundled sources' metadata and
the catalogue) for existing keys; new keys of the evidence API use British spelling too.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from equals.core.areas import AreaKind
from equals.core.vocabulary import IndicatorKind, Pillar
from equals.indicators.gaps import ParityStatus

SexValue = Literal["female", "male", "total"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceOut(_Model):
    """A data source: who published it, under which licence, and how to cite it."""

    id: str
    organisation: str
    title: str
    licence: str
    licence_url: str
    retrieved_from: str
    coverage: str
    citation: str
    notes: str


class IndicatorBase(_Model):
    id: str
    title: str
    short_title: str
    pillar: Pillar
    kind: IndicatorKind = Field(
        description="pair: a female and a male value; female_share: women's share of a group"
    )
    unit: str
    definition: str
    source: str = Field(description="default source id")
    sources: list[str]
    breakdowns: list[str]
    sdg: str = Field(description="SDG indicator number, or ''")
    higher_is_better: bool
    notes: str


class IndicatorOut(IndicatorBase):
    """An indicator with the sex-disaggregated coverage of its default source."""

    licence: str
    citation: str
    countries: int = Field(description="countries with a computable gap")
    observations: int = Field(description="values stored for the default source")
    year_min: int | None
    year_max: int | None


class IndicatorDetailOut(IndicatorOut):
    """One indicator with every source in detail, its years and breakdown values."""

    sources_detail: list[SourceOut]
    years: list[int]
    breakdown_values: list[str]


class AreaOut(_Model):
    """A country, territory or aggregate (UN M49 region, World Bank income group)."""

    code: str = Field(description="ISO 3166-1 alpha-3, or e.g. WB:WLD for an aggregate")
    name: str
    kind: AreaKind
    iso2: str | None
    m49: int | None
    region: str | None
    subregion: str | None
    income_group: str | None
    defined_by: str | None


class ObservationBase(_Model):
    """One value: indicator, country, year, sex, breakdown, with its source and licence.

    Estimates published from survey microdata carry ``se``, ``ci_low``/``ci_high`` at the
    confidence level ``ci_level`` (e.g. 0.95), ``n`` and quality ``flags``; other values have
    ``null`` there."""

    indicator: str
    country: str
    country_name: str
    year: int
    sex: SexValue
    breakdown: str
    value: float
    source: str
    licence: str
    flag: str
    note: str
    se: float | None
    ci_low: float | None
    ci_high: float | None
    ci_level: float | None = Field(description="confidence level of ci_low/ci_high, e.g. 0.95")
    n: int | None
    flags: list[str] | None


class ObservationOut(ObservationBase):
    """An observation with the data release it comes from."""

    release: str = Field(description="the data release the value comes from ('bundled')")


class GapBase(_Model):
    """One country's female/male comparison: every gap metric with its formula's name."""

    indicator: str
    country: str
    country_name: str
    year: int
    breakdown: str
    female: float | None
    male: float | None
    total: float | None
    female_se: float | None
    male_se: float | None
    parity: float | None = Field(description="ITU gender parity score F/M")
    relative: float | None = Field(description="GSMA/EIU relative gap (M − F)/M")
    difference: float | None = Field(description="World Bank difference F − M")
    distance_from_parity: float | None = Field(description="female share − 50 (shares only)")
    status: ParityStatus = Field(description="against ITU's 0.98–1.02 parity band")
    region: str | None
    subregion: str | None
    income_group: str | None
    source: str
    licence: str
    note: str


class GapOut(GapBase):
    """A gap row with the data release(s) of its values."""

    release: str = Field(description="the data release of the values (per sex if they differ)")


class ComparisonOut(_Model):
    """A peer group's unweighted mean of its countries' latest values (computed here)."""

    group_kind: Literal["region", "subregion", "income_group"]
    group: str
    female: float | None
    male: float | None
    parity: float | None
    relative: float | None
    difference: float | None
    distance_from_parity: float | None
    status: ParityStatus
    countries: int
    year_min: int
    year_max: int
    method: str


class ProfileEntryOut(_Model):
    indicator: IndicatorBase
    latest: GapBase | None
    series: list[ObservationBase]
    comparisons: list[ComparisonOut]


class MissingOut(_Model):
    id: str
    title: str
    pillar: Pillar


class CountryProfileOut(_Model):
    """Everything about one country: indicators with trends and peers, and what is missing."""

    country: AreaOut
    indicators: list[ProfileEntryOut]
    missing: list[MissingOut]
