"""Concurrent writers on the same session (issue 10): on SQLite and on a real PostgreSQL
server, 50 writers — each with a store (connection) of its own, started together — lose
nothing, never deadlock, and every write is in the audit log."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select, text

from equals.archive.filing import EventRef, file_report
from equals.archive.repository import get_session
from equals.auth import Actor, audit_entries
from equals.core.errors import EditConflictError
from equals.sessions import parse_report
from equals.store import Store
from equals.store.tables.sessions import report_revisions

from .conftest import report_text

WRITERS = 50
TITLE = "Concurrent writers on one report"


def _deadlocks(store: Store) -> int:
    """PostgreSQL's count of deadlocks detected in this database (0 on SQLite: none exist)."""
    if store.dialect != "postgresql":
        return 0
    with store.connect() as conn:
        n = conn.execute(
            text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        ).scalar()
    return int(n or 0)


def _run(n: int, work: Callable[[Store, int], object], url: str) -> list[object]:
    barrier = threading.Barrier(n)

    def one(i: int) -> object:
        own = Store(url)  # a writer of its own: its own connection, like a separate worker
        try:
            barrier.wait(timeout=60)
            return work(own, i)
        finally:
            own.dispose()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n), timeout=300))


def test_fifty_writers_on_one_session_lose_nothing(store: Store) -> None:
    first = file_report(
        store, parse_report(report_text(TITLE)), actor=Actor.cli(), event=EventRef("IGF", 2016)
    )
    sid = first.session_id
    reports = [
        parse_report(report_text(TITLE, key_issues=[f"Issue raised by writer {i}."]))
        for i in range(WRITERS)
    ]

    def write(own: Store, i: int) -> int:
        conflicts = 0
        while True:  # read, then write based on what was read; on a conflict read again
            version = get_session(own, sid).summary.version
            try:
                file_report(
                    own, reports[i], actor=Actor(f"writer-{i}"), session_id=sid,
                    expected_version=version,
                )  # fmt: skip
                return conflicts
            except EditConflictError:
                conflicts += 1

    deadlocks = _deadlocks(store)
    conflicts = _run(WRITERS, write, store.url)
    with store.connect() as conn:
        rows = conn.execute(
            select(report_revisions.c.number, report_revisions.c.actor, report_revisions.c.record)
            .where(report_revisions.c.session_id == sid)
            .order_by(report_revisions.c.number)
        ).all()
    # Every write is a revision of its own, numbered without gaps: nothing lost.
    assert [r.number for r in rows] == list(range(1, WRITERS + 2))
    written = {json.loads(r.record)["key_issues"][0] for r in rows[1:]}
    assert written == {f"Issue raised by writer {i}." for i in range(WRITERS)}
    assert sorted(r.actor for r in rows[1:]) == sorted(f"writer-{i}" for i in range(WRITERS))
    assert get_session(store, sid).summary.version == WRITERS + 1
    # The stale writers really met conflicts (the test exercised the race) and retried.
    assert sum(int(c) for c in conflicts) > 0  # type: ignore[call-overload]
    audit = audit_entries(store, entity="session", entity_id=sid, limit=1000)
    revises = [e for e in audit if e.action == "session.revise"]
    assert len(revises) == WRITERS
    assert sorted(e.detail["version"] for e in revises) == list(range(2, WRITERS + 2))
    # Each revision was made on top of the version its writer had read: no two writers based
    # on one version both won (without the version check, based_on would repeat).
    assert all(e.detail["version"] == e.detail["based_on"] + 1 for e in revises)
    assert sorted(e.detail["based_on"] for e in revises) == list(range(1, WRITERS + 1))
    assert _deadlocks(store) == deadlocks  # none detected (and so none retried away)


def test_fifty_writers_filing_one_new_title_at_once(store: Store) -> None:
    def write(own: Store, i: int) -> tuple[bool, bool]:
        text = report_text(TITLE, key_issues=[f"Filed by writer {i}."])
        filed = file_report(
            own, parse_report(text), actor=Actor(f"writer-{i}"), event=EventRef("IGF", 2016)
        )
        return filed.created, filed.unchanged

    deadlocks = _deadlocks(store)
    results = _run(WRITERS, write, store.url)
    assert _deadlocks(store) == deadlocks
    assert sum(1 for created, _ in results if created) == 1  # type: ignore[misc]
    with store.connect() as conn:
        numbers = conn.execute(select(report_revisions.c.number)).scalars().all()
    assert sorted(numbers) == list(range(1, WRITERS + 1))
    actions = [e.action for e in audit_entries(store, entity="session", limit=1000)]
    assert actions.count("session.create") == 1
    assert actions.count("session.revise") == WRITERS - 1


def test_fifty_new_sessions_naming_the_same_people_in_any_order(store: Store) -> None:
    """Shared rows (people, organisations) are written in key order: writers that name the
    same people in different orders neither deadlock nor split one person in two."""
    import random

    from equals.archive.repository import list_sessions
    from equals.store.tables.sessions import people

    speakers = [
        "Paul Mitchell, Microsoft – Private Sector",
        "Nanjira Sambuli, Web Foundation – Civil Society",
        "Claire Sibthorpe, GSMA – Private Sector",
        "Lara Blanco, UN Women – Intergovernmental Organization",
        "Ana Souza, Internet Society – Technical Community",
    ]

    def write(own: Store, i: int) -> int:
        order = speakers[:]
        random.Random(i).shuffle(order)
        text = report_text(f"Panel {i}", speakers=order, rapporteur="Li Wei, ITU")
        filed = file_report(
            own, parse_report(text), actor=Actor(f"writer-{i}"), event=EventRef("IGF", 2016)
        )
        return filed.session_id

    deadlocks = _deadlocks(store)
    ids = _run(WRITERS, write, store.url)
    assert _deadlocks(store) == deadlocks
    assert len(set(ids)) == WRITERS and len(list_sessions(store, limit=500)) == WRITERS
    with store.connect() as conn:
        names = sorted(conn.execute(select(people.c.name)).scalars())
    # One identity per person (same name, same organisation), however the writers raced.
    assert names == sorted(
        ["Paul Mitchell", "Nanjira Sambuli", "Claire Sibthorpe", "Lara Blanco", "Ana Souza",
         "Li Wei", "Doreen Bogdan-Martin"]
    )  # fmt: skip
