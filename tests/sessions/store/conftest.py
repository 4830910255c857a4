"""Stores for the filing/search tests: a fresh SQLite file, and a fresh PostgreSQL database
(marked ``postgres``) on the session's throwaway server; reports written in code."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import text

from equals.store import Store

_COUNTER = itertools.count()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.xdist_group("postgres")]),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty store on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'sessions.db'}"
    else:
        from tests.pg import fresh_database

        pg_url = request.getfixturevalue("pg_url")
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        url = fresh_database(pg_url, f"equals_sessions_{worker}_{next(_COUNTER)}")
    s = Store(url)
    s.migrate()
    yield s
    s.dispose()


def report_text(
    title: str,
    *,
    date: str = "9 December 2016",
    time: str = "10:15-11:15",
    organizer: str = "ITU & UN Women",
    moderator: str = "Doreen Bogdan-Martin, ITU",
    rapporteur: str = "Li Wei",
    speakers: Sequence[str] = ("Paul Mitchell, Microsoft – Private Sector",),
    key_issues: Sequence[str] = ("Women need affordable access to mobile internet.",),
    discussions: Sequence[str] = ("First.", "Second.", "Third."),
    suggestions: Sequence[str] = ("Build digital skills programmes for girls.",),
) -> str:
    """A report on the IGF 2016 workshop template (plain text, one label per line)."""
    lines = [
        "IGF 2016 Workshop Report",
        f"Session Title: {title}",
        f"Date: {date}",
        f"Time: {time}",
        f"Session Organizer: {organizer}",
        f"Chair/Moderator: {moderator}",
        f"Rapporteur/Notetaker: {rapporteur}",
        "List of Speakers and their institutional affiliations:",
        *speakers,
        "Key Issues raised (1 sentence per issue):",
        *key_issues,
        "Please describe the Discussions that took place during the workshop session: "
        "(3 paragraphs)",
    ]
    for d in discussions:
        lines += [d, ""]
    lines += [
        "Please describe any Participant suggestions regarding the way forward/ potential "
        "next steps /key takeaways: (3 paragraphs)",
        *suggestions,
    ]
    return "\n".join(lines) + "\n"


def table_rows(store: Store, names: Sequence[str]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the named tables, sorted: a snapshot to compare before and after."""
    with store.connect() as conn:
        return {
            n: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {n}")).all()), key=repr)
            for n in names
        }


SESSION_TABLES = (
    "events",
    "sessions",
    "report_revisions",
    "organizations",
    "people",
    "session_roles",
    "session_stats",
    "session_areas",
    "session_search",
    "audit_log",
)


def install_poison(store: Store, marker: str) -> None:
    """A real trigger that aborts the LAST insert of a filing (its search document) when the
    title contains ``marker`` — so everything written before it must be rolled back."""
    with store.transaction() as conn:
        if store.dialect == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER poison BEFORE INSERT ON session_search "
                    f"WHEN new.title LIKE '%{marker}%' "
                    "BEGIN SELECT RAISE(ABORT, 'poisoned report'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.title LIKE '%{marker}%' THEN RAISE EXCEPTION 'poisoned report'; "
                    "END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER poison BEFORE INSERT ON session_search "
                    "FOR EACH ROW EXECUTE FUNCTION poison()"
                )
            )
