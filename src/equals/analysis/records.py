"""Flat records of analysis results, the shapes the CLI prints and the API exports as CSV."""

from __future__ import annotations

from typing import Any

from equals.analysis.index import IndexResult

INDEX_KEYS = ("country", "score", "access", "skills", "leadership", "rank", "rank_low", "rank_high")
INDEX_TABLE_KEYS = (
    "country",
    "name",
    "score",
    "access",
    "skills",
    "leadership",
    "rank",
    "rank_low",
    "rank_high",
)


def index_records(result: IndexResult, *, names: bool = False) -> list[dict[str, Any]]:
    """One record per country (ranked first): the JSON shape of ``equals index``."""
    out = []
    for c in result.countries:
        rec: dict[str, Any] = {"country": c.country}
        if names:
            rec["name"] = c.name
        rec |= {
            "score": c.score,
            "access": c.access,
            "skills": c.skills,
            "leadership": c.leadership,
            "rank": c.rank,
            "rank_low": c.rank_low,
            "rank_high": c.rank_high,
        }
        out.append(rec)
    return out
