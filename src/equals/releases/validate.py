"""Checks on a release file before anything is written.

Every finding names the file and, where the loader knows it, the line: unknown areas, exact
duplicate keys, indicators the source does not provide, values out of the indicator's range,
years outside 1900-2100, a file with no observation of the source. Rows skipped by a source's
documented rules (missing values, series outside the catalogue, another custodian's series,
dedup rules) are counted in the release record, not refused.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from equals.core.errors import DataFileError
from equals.core.i18n import Msg, localised
from equals.indicators.catalogue import Catalogue, Indicator
from equals.indicators.sources.base import (
    SKIP_DUPLICATE,
    SKIP_MISSING,
    SKIP_UNMAPPED,
    SKIP_UNUSED,
)
from equals.releases.model import ParsedRelease
from equals.releases.readers import SKIP_OTHER_SOURCE
from equals.releases.sdmx_input import SKIP_BREAKDOWN, SKIP_NATIONAL

#: Percentages that may exceed 100 (gross ratios over an age group, UNESCO definitions).
GROSS_RATIOS = frozenset({"tertiary_enrolment", "tertiary_graduation_ratio"})
YEARS = (1900, 2100)
MAX_LISTED = 20


class Joined(Msg):
    """Messages joined by ``sep``: their English text as a ``str``; localised part by part
    (a list of findings is no sentence of its own, so it has no message id)."""

    parts: tuple[str, ...]
    sep: str

    def __new__(cls, parts: Iterable[str], sep: str) -> Joined:
        items = tuple(parts)
        obj = str.__new__(cls, sep.join(items))
        obj.msgid, obj.params = "%(text)s", {"text": sep.join(items)}
        obj.parts, obj.sep = items, sep
        return obj

    def localised(self) -> str:
        return self.sep.join(localised(p) for p in self.parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.parts, self.sep))


#: Above this a percentage is taken for a unit error (per mille, a count...), not a value.
PERCENT_LIMIT = 1000.0


#: The loaders' reasons for leaving rows out (stored in English in the release record), as
#: messages a person reads in their language.
SKIP_REASONS: dict[str, Msg] = {
    SKIP_MISSING: Msg("missing value"),
    SKIP_UNMAPPED: Msg("area not mappable to a country or known aggregate"),
    SKIP_UNUSED: Msg("series not in the catalogue"),
    SKIP_DUPLICATE: Msg("duplicate dropped by dedup rule"),
    SKIP_OTHER_SOURCE: Msg("belongs to another source"),
    SKIP_BREAKDOWN: Msg("breakdown not in the catalogue"),
    SKIP_NATIONAL: Msg("nationally reported figure (REPORTING_TYPE N)"),
}


def skip_reason(reason: str) -> str:
    """A reason for skipped rows as a message (:data:`SKIP_REASONS`; any other as it is)."""
    return SKIP_REASONS.get(reason, reason)


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
    return [
        Msg(
            "%(count)s share(s) above 100 %%, kept as published: %(listed)s",
            count=len(above),
            listed=_listed(above, len(above)),
        )
    ]


def findings(
    parsed: ParsedRelease,
    catalogue: Catalogue,
    known_areas: Collection[str],
    *,
    skip_unknown_areas: bool = False,
) -> list[str]:
    """Problems that stop the import, each naming file and line or key (empty: valid)."""
    out: list[Msg] = []
    name = parsed.path
    if not skip_unknown_areas:
        unmapped = dict(parsed.skipped).get(SKIP_UNMAPPED, 0)
        if unmapped:
            out.append(
                Msg(
                    "%(count)s row(s) with an area that is not a known country or aggregate "
                    "(fix the codes, or pass --skip-unknown-areas to leave them out): "
                    "%(listed)s",
                    count=unmapped,
                    listed=_listed(parsed.examples(SKIP_UNMAPPED), unmapped),
                )
            )
    dupes = parsed.examples(SKIP_DUPLICATE)
    if dupes:
        out.append(
            Msg(
                "duplicate key(s) (indicator, area, year, sex): %(listed)s",
                listed=_listed(dupes, len(dupes)),
            )
        )
    seen: dict[tuple[str, str, int, str, str], int] = {}
    for o in parsed.observations:
        k = (o.indicator, o.area, o.year, o.sex.value, o.breakdown)
        seen[k] = seen.get(k, 0) + 1
    repeated = [
        Msg("%(key)s (%(count)s rows)", key=" ".join(map(str, k)).strip(), count=n)
        for k, n in seen.items()
        if n > 1
    ]
    if repeated:
        out.append(Msg("duplicate key(s): %(listed)s", listed=_listed(repeated, len(repeated))))
    by_id = {ind.id: ind for ind in catalogue}
    bad_ind: dict[str, int] = {}
    bad_area: dict[str, int] = {}
    bad_year: list[str] = []
    bad_value: list[Msg] = []
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
            key = f"{o.indicator} {o.area} {o.year} {o.sex.value}"
            allowed = (format(low, "g"), format(high, "g"))
            bad_value.append(
                Msg(
                    "%(key)s: %(value)s (allowed %(low)s to %(high)s %(unit)s)",
                    key=key,
                    value=repr(o.value),
                    low=allowed[0],
                    high=allowed[1],
                    unit=Msg(ind.unit),  # the catalogue's unit, translated with the pages
                )
            )
    for ind_id, n in sorted(bad_ind.items()):
        out.append(
            Msg(
                "%(count)s value(s) of indicator %(indicator)s, which source %(source)s does "
                "not provide in the catalogue",
                count=n,
                indicator=repr(ind_id),
                source=repr(parsed.source),
            )
        )
    if bad_area:
        listed = ", ".join(f"{a} ({n})" for a, n in sorted(bad_area.items())[:MAX_LISTED])
        out.append(Msg("unknown area(s): %(listed)s", listed=listed))
    if bad_year:
        out.append(
            Msg(
                "year(s) outside %(first)s-%(last)s: %(listed)s",
                first=YEARS[0],
                last=YEARS[1],
                listed=_listed(bad_year, len(bad_year)),
            )
        )
    if bad_value:
        out.append(
            Msg("value(s) out of range: %(listed)s", listed=_listed(bad_value, len(bad_value)))
        )
    if not parsed.observations and not out:
        counts = [
            Msg("%(reason)s: %(count)s", reason=skip_reason(r), count=n) for r, n in parsed.skipped
        ]
        skipped = Joined(counts, ", ") or Msg("no data rows")
        out.append(
            Msg(
                "no observation of source %(source)s in the file (%(skipped)s); is it the "
                "right file for this source?",
                source=repr(parsed.source),
                skipped=skipped,
            )
        )
    return [Joined((name, f), ": ") for f in out]


def _listed(items: Sequence[str], total: int) -> Msg:
    shown = Joined(items[:MAX_LISTED], "; ")
    more = total - min(len(items), MAX_LISTED)
    if more > 0:
        return Msg("%(listed)s; and %(count)s more", listed=shown, count=more)
    return shown


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
            Msg(
                "%(count)s problem(s); nothing was imported:\n  %(findings)s",
                count=len(found),
                findings=Joined(found, "\n  "),
            ),
            location=parsed.path,
        )
