"""What a release file gives, what would change, and the provenance record of an import."""

from __future__ import annotations

from dataclasses import dataclass, field

from equals.core.areas import Area
from equals.indicators.model import Observation

Key = tuple[str, str, int, str, str]
"""Identity of an observation within one source: (indicator, area, year, sex, breakdown)."""

Scope = tuple[str, str]
"""What a release replaces: (indicator, sex). Rows of the source outside it are kept."""


def key_of(o: Observation) -> Key:
    return (o.indicator, o.area, o.year, o.sex.value, o.breakdown)


@dataclass(frozen=True, slots=True)
class ParsedRelease:
    """A release file read with its source's loader (nothing written yet)."""

    source: str
    path: str
    file_name: str
    sha256: str
    format: str  # wdi-csv, sdg-csv, unsd-gender-csv, ilostat-csv, uis-csv, sdmx-ml, sdmx-csv
    rows_read: int
    observations: tuple[Observation, ...]
    aggregates: tuple[Area, ...] = ()
    skipped: tuple[tuple[str, int], ...] = ()
    skipped_where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    label: str = ""  # the publisher's release name when the file carries one
    release_date: str = ""  # ISO date when the file carries one (SDMX header Prepared)

    @property
    def scope(self) -> tuple[Scope, ...]:
        return tuple(sorted({(o.indicator, o.sex.value) for o in self.observations}))

    def examples(self, reason: str) -> tuple[str, ...]:
        return dict(self.skipped_where).get(reason, ())

    @property
    def total_skipped(self) -> int:
        return sum(n for _, n in self.skipped)


@dataclass(frozen=True, slots=True)
class Revision:
    """One value that a release changes."""

    key: Key
    old: float
    new: float

    @property
    def change(self) -> float:
        return self.new - self.old

    @property
    def relative(self) -> float | None:
        """Change as a fraction of the old value (None when the old value is 0)."""
        return None if self.old == 0 else (self.new - self.old) / abs(self.old)


@dataclass(frozen=True, slots=True)
class ReleaseDiff:
    """What importing a release would change in the source's current rows within its scope."""

    source: str
    scope: tuple[Scope, ...]
    added: tuple[Key, ...]
    revised: tuple[Revision, ...]
    removed: tuple[Key, ...]
    unchanged: int
    metadata_changed: int  # same value, different note or flag
    new_years: tuple[tuple[str, tuple[int, ...]], ...]  # indicator -> years not there before
    warnings: tuple[str, ...] = ()  # findings that do not stop an import (shares above 100 %)
    added_values: tuple[float, ...] = ()  # the new value of each added row (same order)
    removed_values: tuple[float, ...] = ()  # the last value of each removed row (same order)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.revised) + len(self.removed) + self.metadata_changed

    @property
    def largest_revision(self) -> Revision | None:
        return max(self.revised, key=lambda r: abs(r.change), default=None)


@dataclass(frozen=True, slots=True)
class Release:
    """The provenance record of one release of one source."""

    id: int
    source: str
    kind: str  # "bundled" (the package's files, recorded when first replaced) or "import"
    label: str
    release_date: str
    file_name: str
    sha256: str
    format: str
    imported_at: str
    imported_by: str
    rows_read: int
    observations: int
    skipped: int
    added: int
    revised: int
    removed: int
    unchanged: int
    current: bool = False  # some of the source's rows in `observations` come from it
    scope: tuple[Scope, ...] = field(default=())

    @property
    def name(self) -> str:
        """How pages and the API name it: the label, with the release date when known."""
        if self.kind == "bundled":
            return "bundled"
        return f"{self.label} ({self.release_date})" if self.release_date else self.label


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What :func:`equals.releases.import_release` did."""

    release: Release | None  # None when this exact file is already the current release
    diff: ReleaseDiff
    warnings: tuple[str, ...] = ()
