"""A target's progress against the country's published trend: the indicator's published values
for the country and sex (with source and licence), the baseline, the reported actuals and the
target, ready for a chart."""

from __future__ import annotations

from pydantic import BaseModel

from equals.core.errors import NotFoundError
from equals.core.vocabulary import Sex
from equals.evidence.queries import Evidence
from equals.partners.initiative_read import get_initiative
from equals.partners.progress import list_progress


class Point(BaseModel):
    series: str  # published | baseline | actual | target
    year: int
    value: float
    source: str = ""
    licence: str = ""
    date: str | None = None  # of the progress report, for actuals


class TargetSeries(BaseModel):
    initiative_id: int
    target_id: int
    indicator: str
    indicator_title: str
    unit: str
    country: str
    country_name: str
    sex: str
    points: list[Point]


def target_series(evidence: Evidence, initiative_id: int, target_id: int) -> TargetSeries:
    ini = get_initiative(evidence.store, initiative_id)
    target = next((x for x in ini.targets if x.id == target_id), None)
    if target is None:
        raise NotFoundError("target", f"{initiative_id}/{target_id}")
    ind = evidence.indicator(target.indicator)
    points = [
        Point(series="published", year=o.year, value=o.value, source=o.source, licence=o.licence)
        for o in evidence.observations(
            indicator=target.indicator, country=target.country.code, sex=Sex(target.sex)
        )
    ]
    if target.baseline_value is not None and target.baseline_year is not None:
        points.append(
            Point(series="baseline", year=target.baseline_year, value=target.baseline_value)
        )
    for report in reversed(list_progress(evidence.store, initiative_id)):
        for v in report.values:
            if v.target_id == target_id:
                points.append(Point(series="actual", year=v.year, value=v.value, date=report.date))
    points.append(Point(series="target", year=target.target_year, value=target.target_value))
    points.sort(key=lambda p: (p.year, p.series))
    return TargetSeries(
        initiative_id=initiative_id,
        target_id=target_id,
        indicator=ind.id,
        indicator_title=ind.title,
        unit=ind.unit,
        country=target.country.code,
        country_name=target.country.label,
        sex=target.sex,
        points=points,
    )
