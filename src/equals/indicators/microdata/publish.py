"""Publish an indicator run as observations of the platform catalogue, with uncertainty.

Only indicators with a ``catalogue_id`` are published (the others are reported with the
reason). Values follow the catalogue's unit: a ``%`` unit stores 100 × the proportion, and
the SE and CI are scaled alike. Each estimate becomes one observation: sex female / male /
total, breakdown ``""`` (whole scope) or ``name=value`` (``location=urban``,
``age_group=15-24``, ``education=...``, ``labour_force=...``), with ``se``, ``ci_low``,
``ci_high``, unweighted ``n`` and quality ``flags``. Estimates with no data are left out.
The survey becomes a source with origin ``survey``; ``store.publish(pub.source,
pub.observations)`` (:meth:`equals.store.Store.publish`) writes it all in one transaction and
replaces an earlier publication of the same source. (This module does not import the store:
``indicators`` sits above ``store`` in the layers.)

A file written by ``equals survey simulate`` is not evidence: :func:`to_observations` refuses
it (:class:`SyntheticDataError`) unless ``allow_synthetic``, and then titles its source
SYNTHETIC.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.core.problems import define
from equals.core.vocabulary import Sex
from equals.indicators.catalogue import Catalogue, load_catalogue
from equals.indicators.microdata.mapping import SourceInfo
from equals.indicators.microdata.problems import AREA
from equals.indicators.microdata.runner import IndicatorRun, breakdown_of
from equals.indicators.model import Observation, Source
from equals.survey.simulate import is_synthetic

REQUIRED_SOURCE = ("id", "organisation", "title", "licence")


class SyntheticDataError(ValidationError):
    """The data was written by `equals survey simulate`: it is not published unless
    explicitly allowed (--allow-synthetic), and then under a SYNTHETIC title."""

    code = "synthetic-data"


MISSING_SOURCE_FIELD = define(
    "missing-source-field",
    "Publishing needs the survey's source id, organisation, title and licence (options or "
    "the mapping's source: block).",
    area=AREA,
)


def check_publishable(data: str | Path, *, allow_synthetic: bool = False) -> bool:
    """Whether ``data`` is synthetic; raises :class:`SyntheticDataError` if it is and
    ``allow_synthetic`` is not set (call it before a long run to fail early)."""
    if not is_synthetic(data):
        return False
    if not allow_synthetic:
        raise SyntheticDataError(
            Msg(
                "synthetic data (written by `equals survey simulate`); publishing it would put "
                "invented figures among the evidence. Nothing was published. For a demo "
                "database, add --allow-synthetic (the source is then labelled SYNTHETIC)."
            ),
            location=str(data),
        )
    return True


@dataclass(frozen=True, slots=True)
class NotPublished:
    indicator: str
    itu_code: str
    reason: str

    @property
    def message(self) -> Msg:
        """ "not published <ITU code>: <reason>", for the person who published (English as a
        str)."""
        return Msg("not published %(code)s: %(reason)s", code=self.itu_code, reason=self.reason)


@dataclass(frozen=True)
class Publication:
    """The observations to store, and the indicators that will not be."""

    source: Source
    observations: tuple[Observation, ...]
    not_published: tuple[NotPublished, ...]


def survey_source(info: SourceInfo, *, data: str, country: str, year: int) -> Source:
    """The Source row of a survey; every field of REQUIRED_SOURCE must be given."""
    missing = [k for k in REQUIRED_SOURCE if not getattr(info, k)]
    if missing:
        flags = ", ".join(f"--source-{k}" if k != "licence" else "--licence" for k in missing)
        raise ValidationError(
            Msg(
                "publishing needs the survey's %(fields)s (%(options)s, or the mapping's source: "
                "block)",
                fields=", ".join(missing),
                options=flags,
            ),
            location="source",
            code=MISSING_SOURCE_FIELD.code,
        )
    return Source(
        id=info.id,
        organisation=info.organisation,
        title=info.title,
        licence=info.licence,
        retrieved_from=info.retrieved_from or f"survey microdata ({data})",
        licence_url=info.licence_url,
        coverage=f"{country} {year}",
        citation=info.citation,
        notes=info.notes
        or "Design-based estimates from survey microdata (Taylor-linearised SEs, EQUALS Hub).",
        origin="survey",
    )


def _scaled(x: float | None, factor: float) -> float | None:
    return None if x is None or not math.isfinite(x) else x * factor


def to_observations(
    run: IndicatorRun,
    source: Source,
    *,
    country: str,
    year: int,
    catalogue: Catalogue | None = None,
    allow_synthetic: bool = False,
) -> Publication:
    """The observations of every published indicator of ``run`` for ``country`` and ``year``."""
    synthetic = check_publishable(run.data, allow_synthetic=allow_synthetic)
    if synthetic and not source.title.upper().startswith("SYNTHETIC"):
        source = replace(source, title=f"SYNTHETIC: {source.title}")
    country = country.strip().upper()
    catalogue = catalogue or load_catalogue()
    observations: list[Observation] = []
    skipped: list[NotPublished] = []
    for s in run.skipped:
        skipped.append(
            NotPublished(
                s.indicator.id,
                s.indicator.itu_code,
                Msg("not computed: %(reason)s", reason=s.reason),
            )
        )
    for r in run.results:
        ind = r.indicator
        if ind.catalogue_id is None or ind.catalogue_id not in catalogue:
            why = (
                Msg("no platform catalogue indicator for this ITU indicator")
                if ind.catalogue_id is None
                else Msg(
                    "catalogue indicator %(indicator)s does not exist",
                    indicator=repr(ind.catalogue_id),
                )
            )
            skipped.append(NotPublished(ind.id, ind.itu_code, why))
            continue
        target = catalogue.get(ind.catalogue_id)
        factor = 100.0 if target.unit.lstrip().startswith("%") else 1.0
        note = (
            f"Survey estimate ({ind.itu_code}), scope: {r.scope}; "
            f"reference period: {ind.scope.reference_period}."
        )
        for e in r.estimates:
            if e.n == 0 or not math.isfinite(e.estimate):
                continue
            sex, breakdown = breakdown_of(e.domain)
            observations.append(
                Observation(
                    indicator=target.id,
                    area=country,
                    year=year,
                    sex=Sex(sex),
                    value=e.estimate * factor,
                    source=source.id,
                    breakdown=breakdown,
                    note=note,
                    se=_scaled(e.se, factor),
                    ci_low=_scaled(e.ci_low, factor),
                    ci_high=_scaled(e.ci_high, factor),
                    n=e.n,
                    flags=e.flags,
                    ci_level=None if e.ci_low is None else run.ci_level,
                )
            )
    return Publication(source, tuple(observations), tuple(skipped))
