"""The relational store: schema, migrations, loading and queries (SQLite or PostgreSQL)."""

from __future__ import annotations

from equals.store.store import InitReport, Progress, Store, StoreError

__all__ = ["InitReport", "Progress", "Store", "StoreError"]
