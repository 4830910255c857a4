"""Migrations 0003 and 0007 create exactly the session and user tables of the schema (plus, on
SQLite, the FTS5 index and its shadow tables) and downgrade cleanly."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Table, inspect

from equals.store import Store
from equals.store.schema import metadata
from equals.store.tables import auth as auth_schema
from equals.store.tables import sessions as sessions_schema

MINE = {
    t.name
    for mod in (sessions_schema, auth_schema)
    for t in vars(mod).values()
    if isinstance(t, Table) and t.metadata is metadata
}


def test_tables_match_the_schema_and_downgrade(store: Store) -> None:
    insp = inspect(store.engine)
    tables = set(insp.get_table_names())
    sessions_tables = {
        "events", "sessions", "session_editors", "report_revisions", "organizations", "people",
        "person_distinct", "session_roles", "session_stats", "session_areas", "session_search",
    }  # fmt: skip
    assert tables >= MINE and sessions_tables <= MINE
    for name in MINE:
        cols = {c["name"] for c in insp.get_columns(name)}
        assert cols == {c.name for c in metadata.tables[name].columns}, name
    fts = {t for t in tables if t.startswith(sessions_schema.FTS_TABLE)}
    assert bool(fts) == (store.dialect == "sqlite")
    with store.transaction() as conn:
        command.downgrade(store._alembic_config(conn), "0002")
    left = set(inspect(store.engine).get_table_names())
    assert not (left & MINE) and not {t for t in left if t.startswith("session_search")}
    store.migrate()
    assert store.schema_revision() == store.head_revision()


def test_0007_gives_existing_sessions_their_version_and_owner(store: Store) -> None:
    from equals.archive.filing import EventRef, file_report
    from equals.archive.repository import get_session
    from equals.auth import Actor, Role, create_user
    from equals.sessions import parse_report
    from equals.store.tables.sessions import sessions

    from .conftest import report_text

    amina = create_user(store, "amina", "correct horse battery", roles=[Role.RAPPORTEUR])
    for issue in ("First.", "Second.", "Third."):
        text = report_text("Migrated session", key_issues=[issue])
        file_report(store, parse_report(text), actor=Actor.of(amina), event=EventRef("IGF", 2016))
    with store.transaction() as conn:
        command.downgrade(store._alembic_config(conn), "0006")
    cols = {c["name"] for c in inspect(store.engine).get_columns("sessions")}
    assert "version" not in cols and "owner_id" not in cols
    store.migrate()
    with store.connect() as conn:
        row = conn.execute(sessions.select()).one()
    # Backfilled from the revisions: three revisions → version 3; the first one's author.
    assert (row.version, row.owner_id) == (3, amina.id)
    assert get_session(store, row.id).summary.version == 3
