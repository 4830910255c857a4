"""Checks on a release file before anything is written.

Every finding names the file and, where the loader knows it, the line: unknown areas, exact
duplicate keys, indicators the source does not provide, values out of the indicator's range,
years outside 1900-2100, a file with no observation of the source. Rows skipped by a source's
documented rules (missing values, series outside the catalogue, another custodian's series,
dedup rules) are counted in the release record, not refused.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

from equals.core.errors import DataFileError
from equals.indicators.catalogue import Catalogue, Indicator
from equals.indicators.sources.base import SKIP_DUPLICATE, SKIP_UNMAPPED
from equals.releases.model import ParsedRelease

#: Percentages that may exceed 100 (gross ratios over an age group, UNESCO definitions).
GROSS_RATIOS = frozenset({"tertiary_enrolment", "tertiary_graduation_ratio"})
YEARS = (1900, 2100)
MAX_LISTED = 20


#: Above this a percentage is taken for a unit error (per mille, a count...), not a value.
PERCENT_LIMIT = 1000.0


def value_range(ind: Indicator) -> tuple[float, float]:
    """Allowed values: 0 to :data:`PERCENT_LIMIT` for percentages, >= 0 otherwise.

    Shares above 100 are published (the UN SDG database has mobile-phone ownership of 132.8 %
    for South Africa in 2015 and 112.9 % for Costa Rican men in 2016): they are kept as
    published and reported as warnings (:func:`warnings`), not refused.
    """
    if ind.unit.startswith("%"):
        return (0.0, PERCENT_LIMIT)
    return (0.0, math.inf)


def warnings(parsed: ParsedRelease, catalogue: Catalogue) -> list[str]:
    """Findings that do not stop the import: shares above 100 % (kept as published)."""
    by_id = {ind.id: ind for ind in catalogue}
    above: list[str] = []
    for o in parsed.observations:
        ind = by_id.get(o.indicator)
        if (
            ind is not None
            and ind.unit.startswith("%")
            and ind.id not in GROSS_RATIOS
            and 100 < o.value <= PERCENT_LIMIT
        ):
            above.append(f"{o.indicator} {o.area} {o.year} {o.sex.value}: {o.value!r}")
    if not above:
        return []
    return [f"{len(above)} share(s) above 100 %, kept as published: {_listed(above, len(above))}"]


def findings(
    parsed: ParsedRelease,
    catalogue: Catalogue,
    known_areas: Collection[str],
    *,
    skip_unknown_areas: bool = False,
) -> list[str]:
    """Problems that stop the import, each naming file and line or key (empty: valid)."""
    out: list[str] = []
    name = parsed.path
    if not skip_unknown_areas:
        unmapped = dict(parsed.skipped).get(SKIP_UNMAPPED, 0)
        if unmapped:
            out.append(
                f"{unmapped} row(s) with an area that is not a known country or aggregate "
                "(fix the codes, or pass --skip-unknown-areas to leave them out): "
                + _listed(parsed.examples(SKIP_UNMAPPED), unmapped)
            )
    dupes = parsed.examples(SKIP_DUPLICATE)
    if dupes:
        out.append(f"duplicate key(s) (indicator, area, year, sex): {_listed(dupes, len(dupes))}")
    seen: dict[tuple[str, str, int, str, str], int] = {}
    for o in parsed.observations:
        k = (o.indicator, o.area, o.year, o.sex.value, o.breakdown)
        seen[k] = seen.get(k, 0) + 1
    repeated = [f"{' '.join(map(str, k)).strip()} ({n} rows)" for k, n in seen.items() if n > 1]
    if repeated:
        out.append(f"duplicate key(s): {_listed(repeated, len(repeated))}")
    by_id = {ind.id: ind for ind in catalogue}
    bad_ind: dict[str, int] = {}
    bad_area: dict[str, int] = {}
    bad_year: list[str] = []
    bad_value: list[str] = []
    aggregates = {a.code for a in parsed.aggregates}
    for o in parsed.observations:
        ind = by_id.get(o.indicator)
        if ind is None or parsed.source not in ind.sources:
            bad_ind[o.indicator] = bad_ind.get(o.indicator, 0) + 1
            continue
        if o.area not in known_areas and o.area not in aggregates:
            bad_area[o.area] = bad_area.get(o.area, 0) + 1
        if not YEARS[0] <= o.year <= YEARS[1]:
            bad_year.append(f"{o.indicator} {o.area} {o.year} {o.sex.value}")
        low, high = value_range(ind)
        if not (math.isfinite(o.value) and low <= o.value <= high):
            bad_value.append(
                f"{o.indicator} {o.area} {o.year} {o.sex.value}: {o.value!r} "
                f"(allowed {low:g} to {high:g} {ind.unit})"
            )
    for ind_id, n in sorted(bad_ind.items()):
        out.append(
            f"{n} value(s) of indicator {ind_id!r}, which source {parsed.source!r} does not "
            "provide in the catalogue"
        )
    if bad_area:
        listed = ", ".join(f"{a} ({n})" for a, n in sorted(bad_area.items())[:MAX_LISTED])
        out.append(f"unknown area(s): {listed}")
    if bad_year:
        out.append(f"year(s) outside {YEARS[0]}-{YEARS[1]}: {_listed(bad_year, len(bad_year))}")
    if bad_value:
        out.append(f"value(s) out of range: {_listed(bad_value, len(bad_value))}")
    if not parsed.observations and not out:
        skipped = ", ".join(f"{r}: {n}" for r, n in parsed.skipped) or "no data rows"
        out.append(
            f"no observation of source {parsed.source!r} in the file ({skipped}); is it the "
            "right file for this source?"
        )
    return [f"{name}: {f}" for f in out]


def _listed(items: Sequence[str], total: int) -> str:
    shown = "; ".join(items[:MAX_LISTED])
    more = total - min(len(items), MAX_LISTED)
    return shown + (f"; and {more} more" if more > 0 else "")


def check(
    parsed: ParsedRelease,
    catalogue: Catalogue,
    known_areas: Collection[str],
    *,
    skip_unknown_areas: bool = False,
) -> None:
    """Raise :class:`DataFileError` listing every finding (nothing has been written)."""
    found = findings(parsed, catalogue, known_areas, skip_unknown_areas=skip_unknown_areas)
    if found:
        raise DataFileError(
            f"{len(found)} problem(s); nothing was imported:\n  " + "\n  ".join(found),
            location=parsed.path,
        )
