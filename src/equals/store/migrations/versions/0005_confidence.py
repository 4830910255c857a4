"""Published estimates keep their confidence level: nullable ``observations.ci_level``.

``ci_low``/``ci_high`` of survey estimates were computed at a level chosen when publishing
(``--level``, 0.95 by default), which was not stored: rows published before this revision keep
``ci_level`` NULL ("level not recorded"), never a guessed 0.95. Bundled values have no interval.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("ci_level", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("ci_level")
