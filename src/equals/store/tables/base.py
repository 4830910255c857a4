"""The one SQLAlchemy ``MetaData`` that every table of the store is registered on."""

from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData()
