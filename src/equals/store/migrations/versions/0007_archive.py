"""Session archive: report versions and owners, editors, person identities, stated participation.

- ``sessions.version`` (optimistic concurrency) and ``sessions.owner_id`` (who filed it; the
  owner of existing sessions is the author of their first revision);
- ``session_editors``: users granted the right to revise a session;
- ``people.name_key`` (shared by namesakes; ``key`` stays the unique identity key) and
  ``people.merged_into`` (an admin's reversible merge); ``person_distinct``: pairs an admin
  confirmed are different people;
- ``session_stats``: women among speakers / moderators and the gender-reflection flag.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as b:
        b.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        b.add_column(sa.Column("owner_id", sa.Integer, nullable=True))
    op.execute(
        "UPDATE sessions SET owner_id = (SELECT r.author_id FROM report_revisions r "
        "WHERE r.session_id = sessions.id AND r.number = 1), "
        "version = (SELECT count(*) FROM report_revisions r WHERE r.session_id = sessions.id)"
    )
    op.execute("UPDATE sessions SET version = 1 WHERE version < 1")
    op.create_table(
        "session_editors",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("granted_by", sa.Text, nullable=False),
        sa.Column("granted_at", sa.String(32), nullable=False),
    )
    with op.batch_alter_table("people") as b:
        b.add_column(sa.Column("name_key", sa.String(255), nullable=False, server_default=""))
        b.add_column(sa.Column("merged_into", sa.Integer, nullable=True))
    op.execute("UPDATE people SET name_key = key")
    op.create_index("ix_people_name_key", "people", ["name_key"])
    op.create_table(
        "person_distinct",
        sa.Column("person_a", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("person_b", sa.Integer, sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )
    with op.batch_alter_table("session_stats") as b:
        b.add_column(sa.Column("women_speakers", sa.Integer, nullable=True))
        b.add_column(sa.Column("women_moderators", sa.Integer, nullable=True))
        b.add_column(sa.Column("gender_reflection", sa.Boolean, nullable=True))


def _drop_columns(table: str, *columns: str) -> None:
    """Drop columns in place. SQLite (3.35+) can: a batch copy would drop and re-create the
    table, which foreign keys referring to it refuse once it holds rows."""
    for column in columns:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)


def downgrade() -> None:
    _drop_columns("session_stats", "gender_reflection", "women_moderators", "women_speakers")
    op.drop_table("person_distinct")
    op.drop_index("ix_people_name_key", table_name="people")
    _drop_columns("people", "merged_into", "name_key")
    op.drop_table("session_editors")
    _drop_columns("sessions", "owner_id", "version")
