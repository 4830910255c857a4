"""Data releases: provenance of imported source releases, their observations, current scopes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_releases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("release_date", sa.String(32), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
        sa.Column("imported_by", sa.Text, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("observations", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("revised", sa.Integer, nullable=False),
        sa.Column("removed", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_data_releases_source", "data_releases", ["source_id"])
    op.create_table(
        "release_observations",
        sa.Column("release_id", sa.Integer, sa.ForeignKey("data_releases.id"), primary_key=True),
        sa.Column("indicator_id", sa.String(64), primary_key=True),
        sa.Column("area_code", sa.String(32), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("sex", sa.String(8), primary_key=True),
        sa.Column("breakdown", sa.String(128), primary_key=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("flag", sa.String(32), nullable=False),
    )
    op.create_table(
        "release_scopes",
        sa.Column("source_id", sa.String(64), primary_key=True),
        sa.Column("indicator_id", sa.String(64), primary_key=True),
        sa.Column("sex", sa.String(8), primary_key=True),
        sa.Column("release_id", sa.Integer, sa.ForeignKey("data_releases.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("release_scopes")
    op.drop_table("release_observations")
    op.drop_index("ix_data_releases_source", table_name="data_releases")
    op.drop_table("data_releases")
