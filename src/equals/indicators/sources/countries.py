"""Country taxonomy: UN OCHA Countries & Territories Taxonomy (``countries/countries.csv``).

File quirks (see ``data/PROVENANCE.md``): CRLF line endings, optional BOM, 256 rows x 47
columns, one row marked ``Deprecated = Y`` (Netherlands Antilles), which is skipped.

Mapping to :class:`~equals.core.areas.Area`:

* ``code``: ``ISO 3166-1 Alpha 3-Codes``; Kosovo has none and gets ``XKX`` from
  ``x Alpha3 codes``. The other rows without an ISO code (Azores, Canary Islands,
  Channel Islands, Galapagos, Sark: parts of ISO countries) are skipped.
* ``name``: ``Preferred Term`` (else ``English Short``); ``iso2``; ``m49`` (int, or None).
* ``region``: UN M49 ``Region Name`` (Africa, Americas, Asia, Europe, Oceania).
* ``subregion``: UN M49 ``Intermediate Region Name`` where the sub-region is
  "Sub-Saharan Africa" or "Latin America and the Caribbean" (e.g. Kenya -> Eastern Africa,
  Brazil -> South America), else ``Sub-region Name`` (e.g. Northern Europe). This gives the
  classic 22 UN geographic sub-regions; "Sub-Saharan Africa" itself is therefore not stored.
* ``income_group``: ``World Bank Income Level`` High/Upper middle/Lower middle/Low mapped to
  "High income", "Upper middle income", "Lower middle income", "Low income" (None if empty).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from equals.core.areas import Area, AreaKind
from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.indicators.sources.base import read_rows, require_columns

FILE = "countries/countries.csv"

INCOME_GROUPS: Mapping[str, str] = {
    "High": "High income",
    "Upper middle": "Upper middle income",
    "Lower middle": "Lower middle income",
    "Low": "Low income",
}

# Sub-regions whose countries are better described by their M49 intermediate region.
_USE_INTERMEDIATE = frozenset({"Sub-Saharan Africa", "Latin America and the Caribbean"})
_NON_ISO_CODES_KEPT = frozenset({"XKX"})

_COLUMNS = (
    "Deprecated",
    "ISO 3166-1 Alpha 2-Codes",
    "ISO 3166-1 Alpha 3-Codes",
    "x Alpha2 codes",
    "x Alpha3 codes",
    "m49 numerical code",
    "Preferred Term",
    "English Short",
    "Region Name",
    "Sub-region Name",
    "Intermediate Region Name",
    "World Bank Income Level",
)


def load_areas(data_dir: Path) -> list[Area]:
    """All current countries and territories of the taxonomy, in file order."""
    require_columns(data_dir, FILE, _COLUMNS)
    areas: list[Area] = []
    seen: set[str] = set()
    for line, row in read_rows(data_dir, FILE):
        if row["Deprecated"].strip().upper() == "Y":
            continue
        code = row["ISO 3166-1 Alpha 3-Codes"].strip().upper()
        iso2 = row["ISO 3166-1 Alpha 2-Codes"].strip().upper()
        if not code:
            x3 = row["x Alpha3 codes"].strip().upper()
            if x3 not in _NON_ISO_CODES_KEPT:
                continue
            code, iso2 = x3, row["x Alpha2 codes"].strip().upper()
        if code in seen:
            raise DataFileError(
                Msg("duplicate code %(code)s", code=code), location=f"{FILE}:{line}"
            )
        seen.add(code)
        m49_text = row["m49 numerical code"].strip()
        sub = row["Sub-region Name"].strip()
        inter = row["Intermediate Region Name"].strip()
        income = row["World Bank Income Level"].strip()
        areas.append(
            Area(
                code=code,
                name=row["Preferred Term"].strip() or row["English Short"].strip(),
                kind=AreaKind.COUNTRY,
                iso2=iso2 or None,
                m49=int(m49_text) if m49_text else None,
                region=row["Region Name"].strip() or None,
                subregion=(inter if sub in _USE_INTERMEDIATE and inter else sub) or None,
                income_group=INCOME_GROUPS.get(income) if income else None,
            )
        )
    return areas


@dataclass(frozen=True)
class CountryIndex:
    """Look-ups from the codes the sources use to the taxonomy's country codes."""

    areas: tuple[Area, ...]
    codes: frozenset[str]
    by_m49: Mapping[int, str]

    @classmethod
    def of(cls, areas: Iterable[Area]) -> CountryIndex:
        items = tuple(areas)
        return cls(
            areas=items,
            codes=frozenset(a.code for a in items),
            by_m49={a.m49: a.code for a in items if a.m49 is not None},
        )

    @classmethod
    def from_data(cls, data_dir: Path) -> CountryIndex:
        return cls.of(load_areas(data_dir))

    def code(self, iso3: str) -> str | None:
        """``iso3`` upper-cased if it is a known country code, else None."""
        c = iso3.strip().upper()
        return c if c in self.codes else None

    def from_m49(self, m49: int) -> str | None:
        return self.by_m49.get(m49)
