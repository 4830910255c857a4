"""Population: no schema change (a no-op revision kept so the chain stays 0007 -> 0008 -> ...).

The analysis layer's population denominators (World Bank WDI population by sex, all ages and
aged 0-14) are bundled reference data read from the package files by
``equals.indicators.sources.wdi_population``, like the indicator catalogue; they are not stored
in the database.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
