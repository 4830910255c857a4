"""Evidence tables: sources, indicators, areas, observations and the store's meta keys.

Alembic migrations in ``store/migrations`` create and evolve them; this module is the shape the
query code relies on. Keep the two in step (``tests/store/test_migrations.py`` checks).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from equals.store.tables.base import metadata

sources = Table(
    "sources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("organisation", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("licence", Text, nullable=False),
    Column("licence_url", Text, nullable=False, default=""),
    Column("retrieved_from", Text, nullable=False),
    Column("files", Text, nullable=False, default=""),  # newline-separated
    Column("coverage", Text, nullable=False, default=""),
    Column("citation", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    # "bundled" for data shipped in the package; later: "survey", "partner"...
    Column("origin", String(32), nullable=False, default="bundled"),
)

areas = Table(
    "areas",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("iso2", String(2)),
    Column("m49", Integer),
    Column("region", Text),
    Column("subregion", Text),
    Column("income_group", Text),
    Column("defined_by", Text),
)

indicators = Table(
    "indicators",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("pillar", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("unit", Text, nullable=False),
    Column("default_source", String(64), nullable=False),
    Column("descriptor", Text, nullable=False),  # the full catalogue descriptor, JSON
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator_id", String(64), ForeignKey("indicators.id"), nullable=False),
    Column("area_code", String(32), ForeignKey("areas.code"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("sex", String(8), nullable=False),
    Column("breakdown", String(128), nullable=False, default=""),
    Column("value", Float, nullable=False),
    Column("source_id", String(64), ForeignKey("sources.id"), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("flag", String(32), nullable=False, default=""),
    # Uncertainty of estimates published from survey microdata (NULL for bundled data):
    Column("se", Float),
    Column("ci_low", Float),
    Column("ci_high", Float),
    Column("ci_level", Float),  # confidence level of ci_low/ci_high, e.g. 0.95 (0005)
    Column("n", Integer),
    Column("flags", Text),  # quality flags, ";"-separated
    UniqueConstraint(
        "indicator_id",
        "area_code",
        "year",
        "sex",
        "breakdown",
        "source_id",
        name="uq_observation",
    ),
    Index("ix_obs_indicator_source", "indicator_id", "source_id", "breakdown", "year"),
    Index("ix_obs_area", "area_code", "indicator_id"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
