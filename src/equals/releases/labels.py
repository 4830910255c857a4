"""Which release a record's values come from: the ``release`` key of API and CLI records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Names = Mapping[tuple[str, str, str], str]
"""(source, indicator, sex) -> release name, for rows that come from an import."""

BUNDLED = "bundled"
SEXES = ("female", "male", "total")


def release_of(
    names: Names, origins: Mapping[str, str], source: str, indicator: str, sex: str
) -> str:
    """The release name of one value: an import's name, ``bundled`` for the package's data,
    ``""`` for sources that are not releases (published survey estimates)."""
    default = BUNDLED if origins.get(source) == BUNDLED else ""
    return names.get((source, indicator, sex), default)


def add_release_keys(
    records: list[dict[str, Any]], names: Names, origins: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Set ``release`` on observation records (with ``sex``) and gap records (a gap row whose
    values come from different releases gets ``female: …; male: …``). Returns ``records``."""
    for rec in records:
        src, ind = rec["source"], rec["indicator"]
        if "sex" in rec:
            rec["release"] = release_of(names, origins, src, ind, rec["sex"])
            continue
        by_sex = {
            sex: release_of(names, origins, src, ind, sex)
            for sex in SEXES
            if rec.get(sex) is not None
        }
        distinct = set(by_sex.values())
        if len(distinct) <= 1:
            rec["release"] = next(iter(distinct), release_of(names, origins, src, ind, "female"))
        else:
            rec["release"] = "; ".join(f"{k}: {v}" for k, v in by_sex.items())
    return records
