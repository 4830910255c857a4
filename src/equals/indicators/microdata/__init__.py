"""ITU household/individual ICT indicators computed from survey microdata.

* :mod:`.definitions` — the ITU indicators as data (``itu_indicators.yaml``).
* :mod:`.mapping` — a survey's columns and codes → harmonised concepts (YAML).
* :mod:`.validate` — every problem of a mapping against the data, before anything runs.
* :mod:`.harmonise` — the harmonised view as portable SQL over any engine (DuckDB, Spark).
* :mod:`.runner` — every indicator the mapping allows, by sex and breakdowns, with gaps.
* :mod:`.publish` — results as catalogue observations with SE, CI, n and flags.

>>> from equals.indicators.microdata import load_mapping, run_indicators
>>> run = run_indicators("survey.parquet", load_mapping("mapping.yaml"))  # doctest: +SKIP
"""

from __future__ import annotations

from equals.indicators.microdata.definitions import (
    ItuIndicator,
    ItuIndicators,
    Scope,
    Unit,
    load_itu_indicators,
)
from equals.indicators.microdata.mapping import SurveyMapping, load_mapping, parse_mapping
from equals.indicators.microdata.problems import CODES, MappingError, MappingReport, Problem
from equals.indicators.microdata.publish import Publication, survey_source, to_observations
from equals.indicators.microdata.runner import (
    IndicatorResult,
    IndicatorRun,
    Skipped,
    run_indicators,
)
from equals.indicators.microdata.validate import validate_mapping

__all__ = [
    "CODES",
    "IndicatorResult",
    "IndicatorRun",
    "ItuIndicator",
    "ItuIndicators",
    "MappingError",
    "MappingReport",
    "Problem",
    "Publication",
    "Scope",
    "Skipped",
    "SurveyMapping",
    "Unit",
    "load_itu_indicators",
    "load_mapping",
    "parse_mapping",
    "run_indicators",
    "survey_source",
    "to_observations",
    "validate_mapping",
]
