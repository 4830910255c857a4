"""The relational schema (SQLAlchemy Core), one definition for SQLite and PostgreSQL.

Every feature's tables live in their own module under ``store/tables/``; importing this module
registers all of them on :data:`metadata` (what the migrations and ``create_all`` need). The
evidence tables are re-exported here because most queries use them.
"""

from __future__ import annotations

from equals.store.tables import auth, sessions  # noqa: F401  (register the tables)
from equals.store.tables import partners as _partners  # noqa: F401  (partnership registry)
from equals.store.tables import releases as _releases  # noqa: F401  (data releases)
from equals.store.tables.base import metadata
from equals.store.tables.evidence import areas, indicators, meta, observations, sources

__all__ = ["areas", "indicators", "meta", "metadata", "observations", "sources"]
