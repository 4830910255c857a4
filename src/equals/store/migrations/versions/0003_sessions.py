"""Session reports and users: events, sessions, report revisions, people, organisations, roles,
stated counts, action areas, search documents; users, roles, API tokens, audit log.

Full-text search: on SQLite an FTS5 table over ``session_search`` kept in sync by triggers; on
PostgreSQL a GIN index over a weighted ``tsvector`` expression (the queries use the same one).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Same text as equals.store.tables.sessions.PG_TSVECTOR (kept literal: migrations are frozen).
PG_TSVECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(people, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'C')"
)

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE session_search_fts USING fts5("
    "title, people, body, content='session_search', content_rowid='session_id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER session_search_ai AFTER INSERT ON session_search BEGIN "
    "INSERT INTO session_search_fts(rowid, title, people, body) "
    "VALUES (new.session_id, new.title, new.people, new.body); END",
    "CREATE TRIGGER session_search_ad AFTER DELETE ON session_search BEGIN "
    "INSERT INTO session_search_fts(session_search_fts, rowid, title, people, body) "
    "VALUES ('delete', old.session_id, old.title, old.people, old.body); END",
    "CREATE TRIGGER session_search_au AFTER UPDATE ON session_search BEGIN "
    "INSERT INTO session_search_fts(session_search_fts, rowid, title, people, body) "
    "VALUES ('delete', old.session_id, old.title, old.people, old.body); "
    "INSERT INTO session_search_fts(rowid, title, people, body) "
    "VALUES (new.session_id, new.title, new.people, new.body); END",
]


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "events",
        _id(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("dates", sa.Text, nullable=False),
        sa.UniqueConstraint("name", "year", name="uq_event_name_year"),
    )
    op.create_table(
        "organizations",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("full_name", sa.Text, nullable=False),
        sa.Column("known", sa.Boolean, nullable=False),
        sa.Column("partner_id", sa.String(64)),
    )
    op.create_table(
        "people",
        _id(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
    )
    op.create_table(
        "users",
        _id(),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "sessions",
        _id(),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("template_id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("start_time", sa.String(5)),
        sa.Column("end_time", sa.String(5)),
        sa.Column("theme", sa.Text),
        sa.Column("subtheme", sa.Text),
        sa.Column("current_revision_id", sa.Integer),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("event_id", "key", name="uq_session_event_key"),
    )
    op.create_table(
        "report_revisions",
        _id(),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("template_id", sa.String(64), nullable=False),
        sa.Column("source_format", sa.String(16), nullable=False),
        sa.Column("source_name", sa.Text, nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("valid", sa.Boolean, nullable=False),
        sa.Column("validation", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("session_id", "number", name="uq_revision_number"),
    )
    op.create_table(
        "session_roles",
        _id(),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id")),
        sa.Column("organization_id", sa.String(128), sa.ForeignKey("organizations.id")),
        sa.Column("stakeholder_group", sa.String(32)),
        sa.Column("title", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("region", sa.Text),
        sa.Column("raw", sa.Text, nullable=False),
    )
    op.create_index("ix_roles_session", "session_roles", ["session_id", "role", "position"])
    op.create_index("ix_roles_org", "session_roles", ["organization_id"])
    op.create_index("ix_roles_group", "session_roles", ["stakeholder_group"])
    op.create_table(
        "session_stats",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("participants", sa.Integer),
        sa.Column("women", sa.Integer),
    )
    op.create_table(
        "session_areas",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("area", sa.String(16), primary_key=True),
        sa.Column("sentences", sa.Integer, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
    )
    op.create_table(
        "session_search",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("people", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "user_roles",
        _id(),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("organization_id", sa.String(128), sa.ForeignKey("organizations.id")),
    )
    op.create_index("ix_user_roles_user", "user_roles", ["user_id"])
    op.create_table(
        "api_tokens",
        _id(),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_used_at", sa.String(32)),
        sa.Column("revoked_at", sa.String(32)),
    )
    op.create_table(
        "audit_log",
        _id(),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(128), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_entity", "audit_log", ["entity", "entity_id"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(
            f"CREATE INDEX ix_session_search_tsv ON session_search USING gin (({PG_TSVECTOR}))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("session_search_ai", "session_search_ad", "session_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS session_search_fts")
    for table in (
        "audit_log",
        "api_tokens",
        "user_roles",
        "session_search",
        "session_areas",
        "session_stats",
        "session_roles",
        "report_revisions",
        "sessions",
        "users",
        "people",
        "organizations",
        "events",
    ):
        op.drop_table(table)
