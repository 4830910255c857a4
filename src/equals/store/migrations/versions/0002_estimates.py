"""Uncertainty of published survey estimates: nullable se, ci_low, ci_high, n, flags.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = (
    ("se", sa.Float),
    ("ci_low", sa.Float),
    ("ci_high", sa.Float),
    ("n", sa.Integer),
    ("flags", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
