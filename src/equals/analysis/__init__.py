"""The analysis layer: composite index with rank intervals, trends and years to parity, the
data-gap audit and population headline numbers. Method as data; reads through
:class:`equals.evidence.Evidence`. A feature service above the evidence service."""

from __future__ import annotations

from equals.analysis.index import CountryIndex, IndexResult, compute_index, index_from_panel
from equals.analysis.method import IndexMethod, load_method

__all__ = [
    "CountryIndex",
    "IndexMethod",
    "IndexResult",
    "compute_index",
    "index_from_panel",
    "load_method",
]
