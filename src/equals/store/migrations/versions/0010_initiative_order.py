"""Initiatives listed by title without a sort: an index on (title, id), the order every list of
initiatives uses (pages of the API and the web), so a page is read straight off the index
instead of sorting all initiatives (EXPLAIN showed a full scan and a temporary B-tree).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_initiatives_title", "initiatives", ["title", "id"])


def downgrade() -> None:
    op.drop_index("ix_initiatives_title", table_name="initiatives")
