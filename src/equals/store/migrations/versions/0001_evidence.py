"""Evidence tables: sources, areas, indicators, observations, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("organisation", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("licence", sa.Text, nullable=False),
        sa.Column("licence_url", sa.Text, nullable=False),
        sa.Column("retrieved_from", sa.Text, nullable=False),
        sa.Column("files", sa.Text, nullable=False),
        sa.Column("coverage", sa.Text, nullable=False),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("origin", sa.String(32), nullable=False),
    )
    op.create_table(
        "areas",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("iso2", sa.String(2)),
        sa.Column("m49", sa.Integer),
        sa.Column("region", sa.Text),
        sa.Column("subregion", sa.Text),
        sa.Column("income_group", sa.Text),
        sa.Column("defined_by", sa.Text),
    )
    op.create_table(
        "indicators",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("pillar", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("default_source", sa.String(64), nullable=False),
        sa.Column("descriptor", sa.Text, nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator_id", sa.String(64), sa.ForeignKey("indicators.id"), nullable=False),
        sa.Column("area_code", sa.String(32), sa.ForeignKey("areas.code"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sex", sa.String(8), nullable=False),
        sa.Column("breakdown", sa.String(128), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("flag", sa.String(32), nullable=False),
        sa.UniqueConstraint(
            "indicator_id",
            "area_code",
            "year",
            "sex",
            "breakdown",
            "source_id",
            name="uq_observation",
        ),
    )
    op.create_index(
        "ix_obs_indicator_source",
        "observations",
        ["indicator_id", "source_id", "breakdown", "year"],
    )
    op.create_index("ix_obs_area", "observations", ["area_code", "indicator_id"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_index("ix_obs_area", table_name="observations")
    op.drop_index("ix_obs_indicator_source", table_name="observations")
    op.drop_table("observations")
    op.drop_table("indicators")
    op.drop_table("areas")
    op.drop_table("sources")
