"""Shared pieces for the source loaders: what one file yields, and careful CSV reading.

Every loader module exposes ``read(data_dir, countries=None) -> list[FileLoad]`` (one
:class:`FileLoad` per raw file, with skipped-row counts) and the convenience
``load(data_dir) -> list[Observation]``. Values are always ``float(text)`` of the literal
cell text: never rounded or rescaled.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from equals.core.areas import Area
from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.indicators.model import Observation

#: Cell texts that mean "no value" in the bundled files.
MISSING = frozenset({"", "..", "..."})

# Reasons used in skipped-row counts (kept short and stable: tests and reports use them).
SKIP_MISSING = "missing value"
SKIP_UNMAPPED = "area not mappable to a country or known aggregate"
SKIP_UNUSED = "series not in the catalogue"
SKIP_DUPLICATE = "duplicate dropped by dedup rule"

#: How many example places a :class:`FileLoadBuilder` keeps per skip reason.
MAX_EXAMPLES = 20


@dataclass(frozen=True, slots=True)
class FileReport:
    """What loading one raw file gave: observations kept and rows skipped, by reason."""

    file: str  # path relative to the data folder, e.g. "wdi/ddf--....csv"
    observations: int
    skipped: tuple[tuple[str, int], ...] = ()

    @property
    def total_skipped(self) -> int:
        return sum(n for _, n in self.skipped)

    def skipped_for(self, reason: str) -> int:
        return dict(self.skipped).get(reason, 0)


@dataclass(frozen=True, slots=True)
class FileLoad:
    """Observations from one file, the aggregate areas they use, and the file's report."""

    report: FileReport
    observations: tuple[Observation, ...]
    aggregates: tuple[Area, ...] = ()
    #: Where skipped rows were (reason -> up to :data:`MAX_EXAMPLES` ``file:line`` texts with
    #: the offending code), for messages about a user's file; empty for reasons given no place.
    skipped_where: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def examples(self, reason: str) -> tuple[str, ...]:
        return dict(self.skipped_where).get(reason, ())


@dataclass
class FileLoadBuilder:
    """Mutable helper a loader fills while reading one file; ``build()`` freezes it."""

    file: str
    observations: list[Observation] = field(default_factory=list)
    aggregates: dict[str, Area] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_where: dict[str, list[str]] = field(default_factory=dict)
    _keys: set[tuple[str, str, int, str, str]] = field(default_factory=set)

    def add(self, obs: Observation, where: str = "") -> bool:
        """Keep ``obs`` unless one with the same identity came first (counted as a duplicate).

        Identity is (indicator, area, year, sex, breakdown): the first row in file order wins.
        """
        key = (obs.indicator, obs.area, obs.year, obs.sex.value, obs.breakdown)
        if key in self._keys:
            self.skip(SKIP_DUPLICATE, where=f"{where} {key}" if where else "")
            return False
        self._keys.add(key)
        self.observations.append(obs)
        return True

    def skip(self, reason: str, n: int = 1, where: str = "") -> None:
        """Count ``n`` skipped rows; ``where`` (``file:line`` and the code) kept as an example."""
        self.skipped[reason] += n
        if where:
            places = self.skipped_where.setdefault(reason, [])
            if len(places) < MAX_EXAMPLES:
                places.append(where)

    def add_aggregate(self, area: Area) -> None:
        self.aggregates.setdefault(area.code, area)

    def build(self) -> FileLoad:
        report = FileReport(
            file=self.file,
            observations=len(self.observations),
            skipped=tuple(sorted(self.skipped.items())),
        )
        return FileLoad(
            report,
            tuple(self.observations),
            tuple(self.aggregates.values()),
            tuple((k, tuple(v)) for k, v in sorted(self.skipped_where.items())),
        )


def open_text(data_dir: Path, rel: str) -> TextIO:
    """Open a bundled CSV as text (BOM-tolerant; newline handling left to :mod:`csv`).

    A large file may ship gzip-compressed (``.csv.gz``): the same bytes once decompressed.
    """
    path = data_dir / rel
    if not path.is_file():
        raise DataFileError(Msg("file not found"), location=str(path))
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def read_rows(data_dir: Path, rel: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` from a CSV (BOM-tolerant, CRLF-tolerant).

    ``line_number`` is the 1-based physical line of the record (header = line 1), so messages
    and tests can point at the raw file.
    """
    path = data_dir / rel
    with open_text(data_dir, rel) as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise DataFileError(Msg("empty file (no header)"), location=str(path))
        for row in reader:
            yield reader.line_num, row


def require_columns(data_dir: Path, rel: str, columns: tuple[str, ...]) -> list[str]:
    """The header of ``rel``; :class:`DataFileError` if any of ``columns`` is absent."""
    path = data_dir / rel
    with open_text(data_dir, rel) as fh:
        header = next(csv.reader(fh), [])
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataFileError(
            Msg("missing column(s) %(columns)s", columns=", ".join(missing)), location=str(path)
        )
    return header


def parse_value(text: str | None, *, where: str) -> float | None:
    """``float(text)`` of a value cell, ``None`` for the missing markers."""
    if text is None:
        return None
    text = text.strip()
    if text in MISSING:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise DataFileError(Msg("not a number: %(text)s", text=repr(text)), location=where) from exc


def parse_year(text: str, *, where: str) -> int:
    try:
        return int(text.strip())
    except ValueError as exc:
        raise DataFileError(Msg("not a year: %(text)s", text=repr(text)), location=where) from exc


def join_notes(*parts: str) -> str:
    """Non-empty, stripped parts joined with ``"; "``."""
    return "; ".join(p.strip() for p in parts if p and p.strip())


def flatten(loads: list[FileLoad]) -> list[Observation]:
    return [obs for fl in loads for obs in fl.observations]
