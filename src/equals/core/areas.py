"""Geographic areas: countries (ISO 3166-1 alpha-3) and published aggregates.

Pure data; the bundled taxonomy is read by :mod:`equals.indicators.sources.countries`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class AreaKind(StrEnum):
    COUNTRY = "country"
    AGGREGATE = "aggregate"


@dataclass(frozen=True, slots=True)
class Area:
    """A country or territory (``code`` = ISO3, e.g. ``KEN``) or a published aggregate.

    Aggregate codes are namespaced by who defines them, so they can never clash with ISO3:
    ``WB:WLD`` (World Bank world), ``WB:SSF`` (World Bank region), ``UN:001`` (UN M49 World).
    """

    code: str
    name: str
    kind: AreaKind = AreaKind.COUNTRY
    iso2: str | None = None
    m49: int | None = None
    region: str | None = None
    subregion: str | None = None
    income_group: str | None = None
    # For aggregates: which organisation publishes the grouping (e.g. "World Bank").
    defined_by: str | None = None

    @property
    def is_country(self) -> bool:
        return self.kind is AreaKind.COUNTRY


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for ca, cb in zip(a, b, strict=False):
        if ca != cb:
            break
        n += 1
    return n


def closest_codes(value: str, areas: Iterable[Area], n: int = 3) -> list[str]:
    """Closest area codes to ``value`` for a 'did you mean' hint.

    Codes are ranked by edit distance, then by shared prefix (``KEM`` → ``KEN`` before
    ``YEM``); names by :mod:`difflib` similarity (``Kenia`` → ``KEN``).
    """
    areas = list(areas)
    key = value.strip().upper()
    by_code = sorted(
        (a for a in areas if a.is_country),
        key=lambda a: (_edit_distance(key, a.code), -_common_prefix(key, a.code), a.code),
    )
    code_hits = [a.code for a in by_code if _edit_distance(key, a.code) <= 1]
    names = {a.name.upper(): a.code for a in areas if a.is_country}
    name_hits = [names[m] for m in difflib.get_close_matches(key, list(names), n=n, cutoff=0.6)]
    out: list[str] = []
    ordered = (*name_hits, *code_hits) if len(key) > 3 else (*code_hits, *name_hits)
    for code in ordered:
        if code not in out:
            out.append(code)
    if not out:
        out = [a.code for a in by_code[:n]]
    return out[:n]
