"""Design-based estimation over survey microdata, following R ``survey`` (Lumley).

>>> from equals.survey import Design, estimate, gender_gaps, mean, proportion
>>> design = Design(weight="w", strata="stratum", psu="psu")
>>> estimate("survey.parquet", design, [proportion("internet")], by=["sex"])  # doctest: +SKIP

One aggregation pass over the microdata (DuckDB SQL; out-of-core for CSV/Parquet) reduces it
to stratum × PSU × domain totals; the variance algebra then runs in numpy on that small table.
Depends on :mod:`equals.core` only.
"""

from __future__ import annotations

from equals.survey.batch import Batch, aggregate_many, estimate_many
from equals.survey.design import CIMethod, DeffMethod, Design, DfRule, EstimationOptions, LonelyPSU
from equals.survey.engine import DuckDBEngine, Engine, open_engine
from equals.survey.estimators import Aggregated, aggregate, estimate
from equals.survey.gaps import gender_gaps
from equals.survey.quality import QualityThresholds
from equals.survey.quantities import Quantity, Statistic, mean, proportion, ratio, total
from equals.survey.results import Estimate, GapEstimate, ValueSE

__all__ = [
    "Aggregated",
    "Batch",
    "CIMethod",
    "DeffMethod",
    "Design",
    "DfRule",
    "DuckDBEngine",
    "Engine",
    "Estimate",
    "EstimationOptions",
    "GapEstimate",
    "LonelyPSU",
    "QualityThresholds",
    "Quantity",
    "Statistic",
    "ValueSE",
    "aggregate",
    "aggregate_many",
    "estimate",
    "estimate_many",
    "gender_gaps",
    "mean",
    "open_engine",
    "proportion",
    "ratio",
    "total",
]
