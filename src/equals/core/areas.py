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


def closest_codes(value: str, areas: Iterable[Area], n: int = 3) -> list[str]:
    """Closest area codes to ``value``, matching codes and names (for 'did you mean')."""
    areas = list(areas)
    by_key: dict[str, str] = {}
    for a in areas:
        by_key[a.code.upper()] = a.code
        by_key[a.name.upper()] = a.code
    matches = difflib.get_close_matches(value.upper(), list(by_key), n=n * 2, cutoff=0.5)
    out: list[str] = []
    for m in matches:
        code = by_key[m]
        if code not in out:
            out.append(code)
    return out[:n]
