"""Findings in the reader's language: each report revision keeps the message ids and values of
its parser warnings and validation findings (``report_revisions.messages``, JSON), beside the
English messages of ``record`` and ``validation``. Revisions filed before have none (NULL):
their findings show their English message.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("report_revisions", sa.Column("messages", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("report_revisions", "messages")  # SQLite 3.35+ drops columns in place
