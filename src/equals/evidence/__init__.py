"""The evidence service: catalogue queries, gap tables, country profiles and the record shapes
that the API, the CLI and the notebook API share. A feature service above the store."""

from __future__ import annotations

from equals.evidence.queries import Evidence

__all__ = ["Evidence"]
