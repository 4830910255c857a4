"""The notebook API: the platform's queries as pandas DataFrames.

>>> import equals
>>> equals.gaps("internet_use").head()          # doctest: +SKIP
>>> equals.observations("account_ownership", country="KEN")  # doctest: +SKIP

Every function takes ``db`` (a database URL; default ``$EQUALS_DB`` or the default SQLite
file) and loads the bundled data on first use, as ``equals init`` does.
"""

from __future__ import annotations

from pathlib import Path
from threading import Lock

import pandas as pd

from equals.analysis import frames as analysis_frames
from equals.bootstrap import initialise
from equals.core.vocabulary import Sex
from equals.evidence.database import DatabaseState, database_state
from equals.evidence.queries import Evidence
from equals.evidence.records import (
    GAP_COLUMNS,
    OBSERVATION_COLUMNS,
    area_record,
    gap_record,
    indicator_record,
    observation_record,
)
from equals.evidence.survey_indicators import PublishRequest
from equals.evidence.survey_indicators import survey_indicators as run_survey_workflow
from equals.settings import default_db_url
from equals.store import Store
from equals.survey import EstimationOptions

_open: dict[str, Evidence] = {}
_lock = Lock()


def connect(db: str | None = None) -> Evidence:
    """An :class:`Evidence` over ``db``, initialised with the bundled data if needed."""
    url = db or default_db_url()
    with _lock:
        if url not in _open:
            store = Store(url)
            if database_state(store) is not DatabaseState.READY:  # unreachable: raises
                initialise(store)
            _open[url] = Evidence(store)
        return _open[url]


def catalogue(*, db: str | None = None) -> pd.DataFrame:
    """The catalogue with coverage, default source and licence, one row per indicator."""
    ev = connect(db)
    return pd.DataFrame([indicator_record(s.indicator, s) for s in ev.indicator_summaries()])


def countries(*, include_aggregates: bool = False, db: str | None = None) -> pd.DataFrame:
    """Countries (ISO3 ``code``, name, M49, region, sub-region, income group)."""
    ev = connect(db)
    areas = ev.areas().values() if include_aggregates else ev.countries()
    return pd.DataFrame([area_record(a) for a in areas])


def observations(
    indicator: str | None = None,
    *,
    country: str | None = None,
    sex: str | None = None,
    start: int | None = None,
    end: int | None = None,
    source: str | None = None,
    breakdown: str | None = "",
    db: str | None = None,
) -> pd.DataFrame:
    """Tidy observations (one row per indicator, country, year, sex, breakdown, source)."""
    rows = connect(db).observations(
        indicator=indicator,
        country=country,
        sex=Sex(sex) if sex else None,
        year_from=start,
        year_to=end,
        source=source,
        breakdown=breakdown,
    )
    return pd.DataFrame([observation_record(r) for r in rows], columns=list(OBSERVATION_COLUMNS))


def gaps(
    indicator: str,
    *,
    year: int | None = None,
    source: str | None = None,
    breakdown: str = "",
    include_aggregates: bool = False,
    metric: str = "parity",
    db: str | None = None,
) -> pd.DataFrame:
    """Each country's female and male values and gap metrics (latest year, or ``year``),
    ranked by ``metric`` (``parity``, ``relative`` or ``difference``), the largest gap against
    women first — the order of ``equals gaps --metric`` and ``/api/v1/gaps?metric=``."""
    rows = connect(db).gaps(
        indicator,
        year=year,
        source=source,
        breakdown=breakdown,
        include_aggregates=include_aggregates,
        metric=metric,
    )
    return pd.DataFrame([gap_record(r) for r in rows], columns=list(GAP_COLUMNS))


def survey_indicators(
    data: str | Path | pd.DataFrame,
    mapping: str | Path,
    *,
    level: float = 0.95,
    indicators: list[str] | None = None,
    publish: bool = False,
    country: str | None = None,
    year: int | None = None,
    db: str | None = None,
) -> pd.DataFrame:
    """Every ITU indicator ``mapping`` allows from survey microdata, as a tidy DataFrame (one
    row per indicator, statistic, sex and breakdown, with SE, CI at ``level``, n and flags);
    with ``publish`` also stored in ``db`` — the workflow of ``equals survey indicators``."""
    request = PublishRequest(country=country, year=year) if publish else None
    result = run_survey_workflow(
        data,
        mapping,
        indicators=indicators,
        options=EstimationOptions(level=level),
        publish=request,
        store=connect(db).store if publish else None,
    )
    return result.run.frame()


def index(
    *, draws: int | None = None, seed: int | None = None, db: str | None = None
) -> pd.DataFrame:
    """The Digital Gender Equality Index: one row per country with its score, pillar scores,
    rank and rank interval (``draws`` Monte Carlo draws, seeded; see docs/methodology.md)."""
    return analysis_frames.index_frame(connect(db), draws=draws, seed=seed)


def data_gaps(*, db: str | None = None) -> pd.DataFrame:
    """The data-gap audit: every country × indicator with its latest year by sex, or none."""
    return analysis_frames.data_gaps_frame(connect(db))


def parity_years(country: str, indicator: str, *, db: str | None = None) -> pd.DataFrame:
    """Trend, projection with its prediction interval and years to parity for one series."""
    return analysis_frames.parity_years_frame(connect(db), country, indicator)
