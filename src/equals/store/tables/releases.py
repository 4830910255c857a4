"""Data releases: newer releases of bundled sources imported from files users downloaded.

* ``data_releases``: one provenance record per import (file name, SHA-256, release label and
  date, row counts, who imported it, when) and, per source, one ``bundled`` baseline record
  created the first time that source is refreshed (the package's own files);
* ``release_observations``: every observation of every release, so that a release stays
  queryable after a newer one replaces it in ``observations``;
* ``release_scopes``: which release the rows of ``observations`` currently come from, per
  (source, indicator, sex) — rows with no scope entry are the bundled data.

The migration is ``0009_releases``; keep the two in step.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from equals.store.tables.base import metadata

data_releases = Table(
    "data_releases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(64), nullable=False),  # no FK: init replaces source rows
    Column("kind", String(16), nullable=False),  # "bundled" baseline or "import"
    Column("label", Text, nullable=False),
    Column("release_date", String(32), nullable=False, default=""),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("format", String(32), nullable=False),
    Column("imported_at", String(32), nullable=False),
    Column("imported_by", Text, nullable=False),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("observations", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
    Column("added", Integer, nullable=False, default=0),
    Column("revised", Integer, nullable=False, default=0),
    Column("removed", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("detail", Text, nullable=False, default=""),  # JSON: scope, skipped by reason
    Index("ix_data_releases_source", "source_id"),
)

release_observations = Table(
    "release_observations",
    metadata,
    Column("release_id", Integer, ForeignKey("data_releases.id"), primary_key=True),
    Column("indicator_id", String(64), primary_key=True),
    Column("area_code", String(32), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("sex", String(8), primary_key=True),
    Column("breakdown", String(128), primary_key=True),
    Column("value", Float, nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("flag", String(32), nullable=False, default=""),
)

release_scopes = Table(
    "release_scopes",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("indicator_id", String(64), primary_key=True),
    Column("sex", String(8), primary_key=True),
    Column("release_id", Integer, ForeignKey("data_releases.id"), nullable=False),
)
