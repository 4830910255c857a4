"""The analyses give the same numbers on PostgreSQL as on SQLite (same code, same data)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from equals.analysis import compute_index
from equals.analysis.audit import data_gap_audit
from equals.analysis.trends import country_trend
from equals.evidence.queries import Evidence
from equals.store import Store
from tests.pg import fresh_database

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("postgres")]


@pytest.fixture(scope="module")
def pg_evidence(pg_url: str) -> Iterator[Evidence]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    store = Store(fresh_database(pg_url, f"equals_analysis_test_{worker}"))
    store.init()
    yield Evidence(store)
    store.dispose()


def test_same_results_as_sqlite(pg_evidence: Evidence, evidence: Evidence) -> None:
    pg = compute_index(pg_evidence, draws=100, seed=5)
    lite = compute_index(evidence, draws=100, seed=5)
    assert [(c.country, c.score, c.rank, c.rank_low, c.rank_high) for c in pg.countries] == [
        (c.country, c.score, c.rank, c.rank_low, c.rank_high) for c in lite.countries
    ]
    assert data_gap_audit(pg_evidence).cells == data_gap_audit(evidence).cells
    assert country_trend(pg_evidence, "KEN", "women_in_parliament") == country_trend(
        evidence, "KEN", "women_in_parliament"
    )
