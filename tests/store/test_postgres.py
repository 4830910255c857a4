"""The same store code on PostgreSQL: loading, idempotence, query results, atomicity.

PostgreSQL comes from the ``pg_url`` fixture (tests/pg.py): a throwaway server started for the
session, or ``EQUALS_TEST_PG_URL``. Reference results come from the session's SQLite store
(``loaded_store``), initialised from the same bundle.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from equals.evidence.profile import country_profile
from equals.evidence.queries import Evidence, ObservationRow
from equals.evidence.records import (
    gap_record,
    indicator_record,
    observation_record,
    profile_record,
)
from equals.indicators.catalogue import load_catalogue
from equals.indicators.model import Observation
from equals.store import Store, schema
from equals.store.store import StoreError
from tests.pg import fresh_database

# One xdist worker runs the whole module: one server start and one bundle load, not two.
pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("postgres")]


@pytest.fixture(scope="module")
def pg_db_url(pg_url: str) -> str:
    """A database of this module's own on the session's PostgreSQL server (one per worker)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return fresh_database(pg_url, f"equals_store_test_{worker}")


@pytest.fixture(scope="module")
def pg_store(pg_db_url: str) -> Iterator[Store]:
    store = Store(pg_db_url)
    report = store.init()
    assert report.loaded, "a fresh PostgreSQL database must get the bundle loaded"
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def pg_evidence(pg_store: Store) -> Evidence:
    return Evidence(pg_store)


def table_digest(store: Store, *, with_version: bool = True) -> str:
    """A digest of every table's rows in a fixed order (surrogate ids excluded).

    ``with_version=False`` leaves out the per-database change counters in ``meta``
    (``data_version`` counts loads, ``partners_version`` registry writes, which other tests
    sharing the loaded SQLite database make).
    """
    h = hashlib.sha256()
    with store.connect() as conn:
        for table in (schema.sources, schema.areas, schema.indicators, schema.meta):
            pk = list(table.primary_key.columns)
            for row in conn.execute(select(table).order_by(*pk)):
                skip = table is schema.meta and row[0].endswith("_version") and not with_version
                if not skip:
                    h.update(repr(tuple(row)).encode())
        o = schema.observations
        cols = [c for c in o.columns if c.name != "id"]
        order = [o.c.indicator_id, o.c.area_code, o.c.year, o.c.sex, o.c.breakdown, o.c.source_id]
        for row in conn.execute(select(*cols).order_by(*order)):
            h.update(repr(tuple(row)).encode())
    return h.hexdigest()


# -- loading ---------------------------------------------------------------------------------
def test_backend_is_postgresql(pg_store: Store) -> None:
    assert pg_store.dialect == "postgresql"
    assert pg_store.schema_revision() == pg_store.head_revision()
    assert pg_store.is_initialised()


def test_init_loads_same_counts_as_sqlite(pg_store: Store, loaded_store: Store) -> None:
    counts = pg_store.counts()
    assert counts == loaded_store.counts()
    assert all(n > 0 for n in counts.values()), counts
    assert pg_store.get_meta("bundle_fingerprint") == loaded_store.get_meta("bundle_fingerprint")


def test_same_rows_as_sqlite(pg_store: Store, loaded_store: Store) -> None:
    assert table_digest(pg_store, with_version=False) == table_digest(
        loaded_store, with_version=False
    )


def test_second_init_is_a_no_op(pg_store: Store, pg_db_url: str) -> None:
    before_version = pg_store.data_version()
    before = table_digest(pg_store)
    other = Store(pg_db_url)  # a new handle, as a second process would have
    try:
        report = other.init()
    finally:
        other.dispose()
    assert report.loaded is False
    assert pg_store.data_version() == before_version
    assert table_digest(pg_store) == before


def test_forced_init_reloads_same_counts_and_bumps_version(pg_store: Store) -> None:
    counts = pg_store.counts()
    version = pg_store.data_version()
    digest = table_digest(pg_store, with_version=False)
    report = pg_store.init(force=True)
    assert report.loaded is True
    assert pg_store.counts() == counts
    assert {k: getattr(report, k) for k in counts} == counts
    assert pg_store.data_version() == version + 1
    assert table_digest(pg_store, with_version=False) == digest


# -- queries: the same answers as SQLite ------------------------------------------------------
def test_indicator_summaries_match(pg_evidence: Evidence, evidence: Evidence) -> None:
    pg = pg_evidence.indicator_summaries()
    lite = evidence.indicator_summaries()
    assert pg == lite
    assert [indicator_record(s.indicator, s) for s in pg] == [
        indicator_record(s.indicator, s) for s in lite
    ]


def test_gaps_match(pg_evidence: Evidence, evidence: Evidence) -> None:
    pg = pg_evidence.gaps("internet_use")
    assert pg, "internet_use has gap rows"
    assert pg == evidence.gaps("internet_use")
    assert [gap_record(r) for r in pg] == [gap_record(r) for r in evidence.gaps("internet_use")]


def test_observations_match(pg_evidence: Evidence, evidence: Evidence) -> None:
    args = {"indicator": "account_ownership", "country": "KEN"}
    pg = pg_evidence.observations(**args)
    assert pg, "account_ownership has rows for KEN"
    assert pg == evidence.observations(**args)
    assert [observation_record(r) for r in pg] == [
        observation_record(r) for r in evidence.observations(**args)
    ]


def test_every_observation_in_same_order(pg_evidence: Evidence, evidence: Evidence) -> None:
    # Every indicator's rows from its default source, every breakdown: order must agree too.
    for ind in evidence.catalogue:
        pg = pg_evidence.observations(indicator=ind.id, breakdown=None)
        assert pg == evidence.observations(indicator=ind.id, breakdown=None), ind.id


def _key(r: ObservationRow) -> tuple[str, str, int, str, str, str]:
    return (r.indicator, r.area, r.year, r.sex.value, r.breakdown, r.source)


def test_every_source_same_rows(pg_evidence: Evidence, evidence: Evidence) -> None:
    pg = pg_evidence.observations(breakdown=None, all_sources=True)
    lite = evidence.observations(breakdown=None, all_sources=True)
    assert sorted(pg, key=_key) == sorted(lite, key=_key)


def test_every_source_same_order(pg_evidence: Evidence, evidence: Evidence) -> None:
    pg = pg_evidence.observations(breakdown=None, all_sources=True)
    assert pg == evidence.observations(breakdown=None, all_sources=True)


def test_country_profile_matches(pg_evidence: Evidence, evidence: Evidence) -> None:
    pg = profile_record(country_profile(pg_evidence, "KEN"))
    assert pg["indicators"], "KEN has evidence"
    assert pg == profile_record(country_profile(evidence, "KEN"))


# -- atomicity: a failed load leaves the previous data as it was -----------------------------
@pytest.fixture(scope="module")
def bundle() -> Any:
    from equals.indicators.bundle import load_bundle

    return load_bundle()


@pytest.fixture(scope="module")
def sqlite_loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A SQLite store of its own (failed loads must not touch it, but it is not shared)."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('atomic') / 'atomic.db'}")
    store.init()
    yield store
    store.dispose()


def _broken_observations(bundle: Any, how: str) -> list[Observation]:
    obs: list[Observation] = list(bundle.observations)
    middle = len(obs) // 2
    if how == "unknown-area":
        bad = replace(obs[middle], area="ZZZ-NOT-AN-AREA")
    elif how == "duplicate":
        bad = obs[middle - 1]
    else:  # pragma: no cover
        raise AssertionError(how)
    # Halfway: the deletes and many batches of inserts have run when it fails.
    return [*obs[: middle + 1], bad, *obs[middle + 1 :]]


def _assert_failed_load_changes_nothing(store: Store, bundle: Any, how: str) -> None:
    counts = store.counts()
    fingerprint = store.get_meta("bundle_fingerprint")
    version = store.data_version()
    digest = table_digest(store)
    with pytest.raises((IntegrityError, StoreError)):
        store.load(
            sources=bundle.sources,
            areas=bundle.areas,
            observations=_broken_observations(bundle, how),
            catalogue=load_catalogue(),
            fingerprint="broken-load",
        )
    assert store.counts() == counts
    assert store.get_meta("bundle_fingerprint") == fingerprint
    assert store.data_version() == version
    assert table_digest(store) == digest
    assert Evidence(store).gaps("internet_use"), "the store still answers queries"


FAILURES = ["unknown-area", "duplicate"]


@pytest.mark.parametrize("how", FAILURES)
def test_failed_load_is_atomic_on_postgresql(pg_store: Store, bundle: Any, how: str) -> None:
    _assert_failed_load_changes_nothing(pg_store, bundle, how)


@pytest.mark.parametrize("how", FAILURES)
def test_failed_load_is_atomic_on_sqlite(sqlite_loaded_store: Store, bundle: Any, how: str) -> None:
    _assert_failed_load_changes_nothing(sqlite_loaded_store, bundle, how)
