"""Set-up is serialised: server workers that start together on one empty database do not
collide (each would otherwise load the bundle and the example content); the later ones find
the work done."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from equals.bootstrap import SetupReport, initialise
from equals.store import Store
from equals.store.tables import partners as partner_tables
from equals.store.tables import sessions as session_tables
from tests.pg import fresh_database


def _start_workers(url: str, workers: int = 3) -> list[SetupReport | BaseException]:
    results: list[SetupReport | BaseException] = []
    gate = threading.Barrier(workers)

    def worker() -> None:
        store = Store(url)  # each worker has its own engine and connections
        try:
            gate.wait()
            results.append(initialise(store))
        except BaseException as exc:  # collected and asserted below
            results.append(exc)
        finally:
            store.dispose()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _check(url: str, results: list[SetupReport | BaseException]) -> None:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    reports = [r for r in results if isinstance(r, SetupReport)]
    assert sum(r.init.loaded for r in reports) == 1  # one worker loaded, the others found it
    store = Store(url)
    try:
        with store.connect() as conn:
            sessions = conn.execute(select(func.count()).select_from(session_tables.sessions))
            partners = conn.execute(select(func.count()).select_from(partner_tables.partners))
            assert sessions.scalar_one() == 1  # the example report, filed once
            assert partners.scalar_one() > 0
    finally:
        store.dispose()


def test_workers_starting_together_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'equals.db'}"
    _check(url, _start_workers(url))


@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_workers_starting_together_on_postgres(pg_url: str) -> None:
    url = fresh_database(pg_url, "bootstrap_race")
    _check(url, _start_workers(url))
