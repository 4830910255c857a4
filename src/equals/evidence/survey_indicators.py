"""The survey-indicator workflow: validate → run → publish, for the CLI, the API and notebooks.

>>> from equals.evidence.survey_indicators import PublishRequest, survey_indicators
>>> result = survey_indicators(  # doctest: +SKIP
...     "lfs.parquet", "lfs.mapping.yaml", store=Store(url),
...     publish=PublishRequest(country="KEN", year=2022),
... )

1. :func:`plan_survey_indicators` checks everything that can be checked before estimating: the
   mapping file, and for publishing the country, year and source fields and the synthetic-data
   guard — a refusal never waits for the estimates, and nothing touches the database.
2. :func:`run_survey_indicators` validates the mapping against the data (every problem at once,
   :class:`~equals.indicators.microdata.MappingError`) and estimates every indicator it allows.
3. :func:`publish_survey_indicators` stores the estimates — with SE, CI *and its confidence
   level*, n and flags — as observations of a survey source, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.indicators.microdata import (
    IndicatorRun,
    SurveyMapping,
    load_mapping,
    run_indicators,
    survey_source,
    to_observations,
)
from equals.indicators.microdata.mapping import SourceInfo
from equals.indicators.microdata.publish import NotPublished, check_publishable
from equals.indicators.model import Source
from equals.store.store import Store
from equals.survey import EstimationOptions

if TYPE_CHECKING:
    import pandas as pd

    from equals.survey.engine import Engine

SOURCE_FIELDS = ("id", "title", "organisation", "licence", "licence_url")


@dataclass(frozen=True, slots=True)
class PublishRequest:
    """Where and as what to publish; ``None`` fields fall back to the mapping's."""

    country: str | None = None
    year: int | None = None
    source: dict[str, str] = field(default_factory=dict)  # SOURCE_FIELDS overrides
    allow_synthetic: bool = False


@dataclass(frozen=True, slots=True)
class PublicationPlan:
    source: Source
    country: str
    year: int
    allow_synthetic: bool


@dataclass(frozen=True, slots=True)
class SurveyPlan:
    """A checked request: the mapping, and (for publishing) the resolved target."""

    data: Any  # a path, a URL (Spark) or a DataFrame
    mapping: SurveyMapping
    publication: PublicationPlan | None


@dataclass(frozen=True, slots=True)
class Published:
    """What a publication stored."""

    source: str
    observations: int
    replaced: int
    indicators: tuple[str, ...]
    not_published: tuple[NotPublished, ...]
    ci_level: float

    def to_record(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "observations": self.observations,
            "replaced": self.replaced,
            "indicators": list(self.indicators),
            "not_published": [
                {"indicator": n.indicator, "itu_code": n.itu_code, "reason": n.reason}
                for n in self.not_published
            ],
            "ci_level": self.ci_level,
        }


@dataclass(frozen=True, slots=True)
class SurveyIndicatorsResult:
    run: IndicatorRun
    published: Published | None = None

    def to_record(self) -> dict[str, Any]:
        """The JSON document: data, mapping, results (tidy rows), skipped, published."""
        return {
            **self.run.to_record(),
            "published": None if self.published is None else self.published.to_record(),
        }


def data_name(data: Any) -> str:
    if isinstance(data, str | Path):
        return Path(str(data)).name or str(data)
    return "<DataFrame>"


def source_info(mapping: SurveyMapping, overrides: dict[str, str]) -> SourceInfo:
    """The mapping's ``source:`` block with the given fields replacing its own."""
    unknown = sorted(set(overrides) - set(SOURCE_FIELDS))
    if unknown:
        raise ValidationError(
            Msg(
                "unknown source field(s) %(fields)s; use %(known)s",
                fields=", ".join(unknown),
                known=", ".join(SOURCE_FIELDS),
            ),
            location="source",
            code="invalid-parameter",
        )
    base = mapping.source or SourceInfo()
    given = {k: v for k, v in overrides.items() if v}
    return SourceInfo(**{**base.to_descriptor(), **given})


def plan_survey_indicators(
    data: str | Path | pd.DataFrame,
    mapping: SurveyMapping | str | Path,
    *,
    publish: PublishRequest | None = None,
) -> SurveyPlan:
    """Step 1: the mapping read, and the publication target checked, before any estimate."""
    m = mapping if isinstance(mapping, SurveyMapping) else load_mapping(mapping)
    if publish is None:
        return SurveyPlan(data, m, None)
    if isinstance(data, str | Path):
        check_publishable(data, allow_synthetic=publish.allow_synthetic)
    country = (publish.country or m.country or "").strip().upper()
    year = publish.year if publish.year is not None else m.year
    missing = [n for n, v in (("country", country), ("year", year)) if not v]
    if missing:
        raise ValidationError(
            Msg(
                "publishing needs the survey's country and year (give them, or set them in "
                "the mapping)"
            )
            if len(missing) == 2
            else Msg(
                "publishing needs the survey's country (give them, or set them in the mapping)"
            )
            if missing[0] == "country"
            else Msg("publishing needs the survey's year (give them, or set them in the mapping)"),
            location=missing[0],
            code="missing-source-field",
        )
    info = source_info(m, publish.source)
    source = survey_source(info, data=data_name(data), country=country, year=int(year or 0))
    return SurveyPlan(
        data, m, PublicationPlan(source, country, int(year or 0), publish.allow_synthetic)
    )


def run_survey_indicators(
    plan: SurveyPlan,
    *,
    engine: str | Engine = "duckdb",
    indicators: Sequence[str] | None = None,
    options: EstimationOptions | None = None,
) -> IndicatorRun:
    """Step 2: validate the mapping against the data (every problem at once), then estimate."""
    return run_indicators(
        plan.data, plan.mapping, engine=engine, indicators=indicators, options=options
    )


def publish_survey_indicators(plan: SurveyPlan, run: IndicatorRun, store: Store) -> Published:
    """Step 3: the run's estimates as observations of the plan's survey source (one
    transaction; a re-publication replaces the source's earlier rows)."""
    if plan.publication is None:
        raise ValidationError(Msg("this plan has no publication target"), location="publish")
    target = plan.publication
    pub = to_observations(
        run,
        target.source,
        country=target.country,
        year=target.year,
        allow_synthetic=target.allow_synthetic,
    )
    report = store.publish(pub.source, pub.observations)
    return Published(
        source=report.source,
        observations=report.observations,
        replaced=report.replaced,
        indicators=tuple(sorted({o.indicator for o in pub.observations})),
        not_published=pub.not_published,
        ci_level=run.ci_level,
    )


def survey_indicators(
    data: str | Path | pd.DataFrame,
    mapping: SurveyMapping | str | Path,
    *,
    engine: str | Engine = "duckdb",
    indicators: Sequence[str] | None = None,
    options: EstimationOptions | None = None,
    publish: PublishRequest | None = None,
    store: Store | None = None,
) -> SurveyIndicatorsResult:
    """The whole workflow: every ITU indicator ``mapping`` allows from ``data``, and with
    ``publish`` (and a ``store``) their publication. Nothing is written unless every step
    succeeds."""
    if publish is not None and store is None:
        raise ValidationError(Msg("publishing needs a store (a database)"), location="store")
    plan = plan_survey_indicators(data, mapping, publish=publish)
    opts = options or EstimationOptions()
    run = run_survey_indicators(plan, engine=engine, indicators=indicators, options=opts)
    published = None
    if publish is not None and store is not None:
        published = publish_survey_indicators(plan, run, store)
    return SurveyIndicatorsResult(run, published)
