"""Plain-dict records of query results: the one shape the CLI, the API and CSV share.

Keys are stable public contract (the API and ``--format json`` print them).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from equals.core.areas import Area
from equals.evidence.profile import Comparison, CountryProfile, ProfileEntry
from equals.evidence.queries import GapRow, IndicatorSummary, ObservationRow
from equals.indicators.catalogue import Indicator
from equals.indicators.model import Source

Record = dict[str, Any]


def source_record(s: Source) -> Record:
    return {
        "id": s.id,
        "organisation": s.organisation,
        "title": s.title,
        "licence": s.licence,
        "licence_url": s.licence_url,
        "retrieved_from": s.retrieved_from,
        "coverage": s.coverage,
        "citation": s.cite(),
        "notes": s.notes,
    }


def indicator_record(ind: Indicator, summary: IndicatorSummary | None = None) -> Record:
    rec: Record = {
        "id": ind.id,
        "title": ind.title,
        "short_title": ind.label,
        "pillar": ind.pillar.value,
        "kind": ind.kind.value,
        "unit": ind.unit,
        "definition": ind.definition,
        "source": ind.default_source,
        "sources": list(ind.sources),
        "breakdowns": list(ind.breakdowns),
        "sdg": ind.sdg,
        "higher_is_better": ind.higher_is_better,
        "notes": ind.notes,
    }
    if summary is not None:
        rec["licence"] = summary.source.licence
        rec["citation"] = summary.source.cite()
        rec["countries"] = summary.countries
        rec["observations"] = summary.observations
        rec["year_min"] = summary.year_min
        rec["year_max"] = summary.year_max
    return rec


def area_record(a: Area) -> Record:
    return {
        "code": a.code,
        "name": a.name,
        "kind": a.kind.value,
        "iso2": a.iso2,
        "m49": a.m49,
        "region": a.region,
        "subregion": a.subregion,
        "income_group": a.income_group,
        "defined_by": a.defined_by,
    }


def observation_record(r: ObservationRow) -> Record:
    return {
        "indicator": r.indicator,
        "country": r.area,
        "country_name": r.area_name,
        "year": r.year,
        "sex": r.sex.value,
        "breakdown": r.breakdown,
        "value": r.value,
        "source": r.source,
        "licence": r.licence,
        "flag": r.flag,
        "note": r.note,
        "se": r.se,
        "ci_low": r.ci_low,
        "ci_high": r.ci_high,
        "ci_level": r.ci_level,
        "n": r.n,
        "flags": None if r.flags is None else list(r.flags),
    }


def gap_record(r: GapRow) -> Record:
    g = r.gap
    return {
        "indicator": r.indicator,
        "country": r.area,
        "country_name": r.area_name,
        "year": r.year,
        "breakdown": r.breakdown,
        "female": r.female,
        "male": r.male,
        "total": r.total,
        "female_se": r.female_se,
        "male_se": r.male_se,
        "parity": g.parity,
        "relative": g.relative,
        "difference": g.difference,
        "distance_from_parity": g.distance_from_parity,
        "status": g.status.value,
        "region": r.region,
        "subregion": r.subregion,
        "income_group": r.income_group,
        "source": r.source,
        "licence": r.licence,
        "note": r.note,
    }


def comparison_record(c: Comparison) -> Record:
    return {
        "group_kind": c.group_kind,
        "group": c.group,
        "female": c.female,
        "male": c.male,
        "parity": c.gap.parity,
        "relative": c.gap.relative,
        "difference": c.gap.difference,
        "distance_from_parity": c.gap.distance_from_parity,
        "status": c.gap.status.value,
        "countries": c.countries,
        "year_min": c.year_min,
        "year_max": c.year_max,
        "method": c.method,
    }


def entry_record(e: ProfileEntry) -> Record:
    return {
        "indicator": indicator_record(e.indicator),
        "latest": gap_record(e.latest) if e.latest else None,
        "series": [observation_record(s) for s in e.series],
        "comparisons": [comparison_record(c) for c in e.comparisons],
    }


def profile_record(p: CountryProfile) -> Record:
    return {
        "country": area_record(p.area),
        "indicators": [entry_record(e) for e in p.entries],
        "missing": [{"id": i.id, "title": i.title, "pillar": i.pillar.value} for i in p.missing],
    }


def to_csv(records: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text (header + rows) of flat records; ``None`` becomes an empty cell."""
    records = list(records)
    cols = list(columns) if columns else (list(records[0]) if records else [])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: ("" if rec.get(k) is None else rec.get(k)) for k in cols})
    return buf.getvalue()


OBSERVATION_COLUMNS = (
    "indicator",
    "country",
    "country_name",
    "year",
    "sex",
    "breakdown",
    "value",
    "source",
    "licence",
    "flag",
    "note",
)
GAP_COLUMNS = (
    "indicator",
    "country",
    "country_name",
    "year",
    "breakdown",
    "female",
    "male",
    "total",
    "parity",
    "relative",
    "difference",
    "distance_from_parity",
    "status",
    "region",
    "subregion",
    "income_group",
    "source",
    "licence",
    "note",
)
