"""The analyses as pandas DataFrames, for notebooks.

>>> from equals.store import Store
>>> from equals.evidence import Evidence
>>> from equals.analysis import frames
>>> ev = Evidence(Store("sqlite:///equals.db"))
>>> frames.index_frame(ev).head()            # score, pillars, rank and interval
>>> frames.index_values_frame(ev, "KEN")     # the values, years and sources behind a score
>>> frames.data_gaps_frame(ev)               # country × indicator audit cells
>>> frames.parity_years_frame(ev, "KEN", "women_in_parliament")
>>> frames.headlines_frame(ev, "internet_use")
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from equals.analysis import records
from equals.analysis.audit import data_gap_audit
from equals.analysis.headline import headlines
from equals.analysis.index import compute_index
from equals.analysis.pace import group_pace
from equals.analysis.trends import country_trend
from equals.evidence.queries import Evidence


def index_frame(
    evidence: Evidence, *, draws: int | None = None, seed: int | None = None
) -> pd.DataFrame:
    """One row per country: name, region, income group, score, pillars, rank, interval."""
    result = compute_index(evidence, draws=draws, seed=seed)
    rows = [
        {
            "country": c.country,
            "name": c.name,
            "region": c.region,
            "income_group": c.income_group,
            "score": c.score,
            "access": c.access,
            "skills": c.skills,
            "leadership": c.leadership,
            "rank": c.rank,
            "rank_low": c.rank_low,
            "rank_high": c.rank_high,
            "rank_median": c.rank_median,
            "scored_share": c.scored_share,
        }
        for c in result.countries
    ]
    df = pd.DataFrame(rows)
    df.attrs = {
        "method": f"{result.method.id} {result.method.version}",
        "years": f"{result.first_year}-{result.reference_year}",
        "draws": result.draws,
        "seed": result.seed,
    }
    return df


def index_values_frame(evidence: Evidence, country: str) -> pd.DataFrame:
    """The indicator values behind one country's scores: pillar, component, weight, values."""
    code = evidence.area(country).code
    card = compute_index(evidence).country(code)
    rows = [
        {"pillar": p.pillar.value, "component": c.id, "weight": c.weight, **asdict(v)}
        for p in card.pillars
        for c in p.components
        for v in c.values
    ]
    return pd.DataFrame(rows)


def data_gaps_frame(evidence: Evidence, *, recent_years: int = 5) -> pd.DataFrame:
    audit = data_gap_audit(evidence, recent_years=recent_years)
    df = pd.DataFrame(records.data_gap_records(audit.cells, detail=True, flat=True))
    df.attrs = {"reference_year": audit.reference_year, "recent_years": recent_years}
    return df


def parity_years_frame(evidence: Evidence, country: str, indicator: str) -> pd.DataFrame:
    """Observed and projected years (with the prediction interval); the answer in ``attrs``."""
    trend = country_trend(evidence, country, indicator)
    df = pd.DataFrame(records.trend_rows(trend))
    df.attrs = dict(records.trend_summary(trend).items())
    return df


def pace_frame(evidence: Evidence, indicator: str) -> pd.DataFrame:
    pace = group_pace(evidence, indicator)
    df = pd.DataFrame([{**asdict(g), "statuses": dict(g.statuses)} for g in pace.groups])
    df.attrs = {"weights_source": pace.weights_source}
    return df


def headlines_frame(evidence: Evidence, indicator: str) -> pd.DataFrame:
    """World, region and income-group counts (countries in ``attrs['countries']``)."""
    h = headlines(evidence, indicator)
    df = pd.DataFrame([asdict(g) for g in h.groups])
    df.attrs = {
        "meaning": h.meaning,
        "age_base": h.age_base,
        "age_note": h.age_note,
        "years": f"{h.first_year}-{h.last_year}",
        "population": h.population_source,
        "countries": pd.DataFrame([asdict(c) for c in h.countries]),
    }
    return df
