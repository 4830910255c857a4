"""The bundled evidence: sources, areas and observations from ``equals/data``, validated.

:func:`load_bundle` runs every loader in :mod:`equals.indicators.sources`, merges the
countries of the taxonomy with the aggregates the loaders met, and checks the result against
the catalogue (``catalogue.yaml``) and ``data/sources.yaml``. Any inconsistency raises
:class:`~equals.core.errors.DataFileError` naming the file. :func:`bundle_fingerprint` hashes
the inputs so that importing the bundle into a store can be made idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from equals.core.areas import Area
from equals.core.errors import DataFileError
from equals.core.i18n import Msg
from equals.indicators.catalogue import Catalogue, load_catalogue
from equals.indicators.model import Observation, Source
from equals.indicators.sources import (
    findex,
    ilostat,
    itu_urban_rural,
    sdg_database,
    uis,
    unsd_gender,
    wdi,
)
from equals.indicators.sources.base import FileLoad, FileReport
from equals.indicators.sources.countries import CountryIndex

SOURCES_FILE = "sources.yaml"
#: Bump when loader logic changes the observations produced from unchanged files.
BUNDLE_FORMAT_VERSION = "1"
_DATA_SUFFIXES = frozenset({".csv", ".gz", ".yaml", ".yml", ".xls"})
_SOURCE_FIELDS = frozenset(Source.__dataclass_fields__)

Reader = Callable[[Path, CountryIndex | None], list[FileLoad]]
#: Every loader, in the order their observations appear in the bundle.
READERS: tuple[Reader, ...] = (
    wdi.read,
    itu_urban_rural.read,
    unsd_gender.read,
    sdg_database.read,
    findex.read,
    uis.read,
    ilostat.read,
)


@dataclass(frozen=True, slots=True)
class LoadReport:
    """Per-file counts: observations kept and rows skipped (by reason)."""

    files: tuple[FileReport, ...]

    @property
    def observations(self) -> int:
        return sum(f.observations for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.total_skipped for f in self.files)

    def for_file(self, rel: str) -> FileReport:
        for f in self.files:
            if f.file == rel:
                return f
        raise KeyError(rel)


@dataclass(frozen=True)
class Bundle:
    sources: tuple[Source, ...]
    areas: tuple[Area, ...]
    observations: tuple[Observation, ...]
    report: LoadReport


def default_data_dir() -> Path:
    """The package's bundled data folder (``equals/data``)."""
    return Path(__file__).resolve().parent.parent / "data"


def load_sources(data_dir: Path | None = None) -> list[Source]:
    """The sources described in ``<data_dir>/sources.yaml`` (a list of Source fields)."""
    path = (data_dir or default_data_dir()) / SOURCES_FILE
    if not path.is_file():
        raise DataFileError(Msg("file not found"), location=str(path))
    data = yaml.safe_load(path.read_text("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise DataFileError(Msg("expected a mapping with a 'sources' list"), location=str(path))
    out: list[Source] = []
    seen: set[str] = set()
    for i, item in enumerate(data["sources"]):
        out.append(_source(item, f"{path}: sources[{i}]"))
        if out[-1].id in seen:
            raise DataFileError(
                Msg("duplicate source id %(source)s", source=repr(out[-1].id)), location=str(path)
            )
        seen.add(out[-1].id)
    return out


def _source(item: Any, where: str) -> Source:
    if not isinstance(item, dict):
        raise DataFileError(Msg("expected a mapping"), location=where)
    unknown = sorted(set(item) - _SOURCE_FIELDS)
    required = ("id", "organisation", "title", "licence", "retrieved_from")
    missing = [k for k in required if not item.get(k)]
    if unknown or missing:
        raise DataFileError(
            Msg(
                "unknown %(unknown)s / missing %(missing)s field(s)",
                unknown=str(unknown),
                missing=str(missing),
            ),
            location=where,
        )
    fields = {k: " ".join(str(v).split()) for k, v in item.items() if k != "files"}
    return Source(files=tuple(str(f) for f in item.get("files", ())), **fields)


def load_bundle(data_dir: Path | None = None) -> Bundle:
    """Load and validate every bundled source file."""
    data_dir = data_dir or default_data_dir()
    sources = load_sources(data_dir)
    catalogue = load_catalogue()
    countries = CountryIndex.from_data(data_dir)
    loads = [fl for read in READERS for fl in read(data_dir, countries)]
    areas = _merge_areas(countries.areas, loads)
    _validate(data_dir, sources, catalogue, areas, loads)
    return Bundle(
        sources=tuple(sources),
        areas=tuple(areas),
        observations=tuple(o for fl in loads for o in fl.observations),
        report=LoadReport(tuple(fl.report for fl in loads)),
    )


def _merge_areas(countries: Sequence[Area], loads: Sequence[FileLoad]) -> list[Area]:
    """Countries, then aggregates in order of first use (first definition of a code wins)."""
    areas: dict[str, Area] = {a.code: a for a in countries}
    for fl in loads:
        for agg in fl.aggregates:
            areas.setdefault(agg.code, agg)
    return list(areas.values())


def _validate(
    data_dir: Path,
    sources: Sequence[Source],
    catalogue: Catalogue,
    areas: Sequence[Area],
    loads: Sequence[FileLoad],
) -> None:
    by_id: Mapping[str, Source] = {s.id: s for s in sources}
    sources_path = str(data_dir / SOURCES_FILE)
    for s in sources:
        for rel in s.files:
            if not (data_dir / rel).is_file():
                raise DataFileError(
                    Msg(
                        "source %(source)s lists missing file %(file)s",
                        source=repr(s.id),
                        file=repr(rel),
                    ),
                    location=sources_path,
                )
    for ind in catalogue:
        for sid in ind.sources:
            if sid not in by_id:
                raise DataFileError(
                    Msg(
                        "indicator %(indicator)s names unknown source %(source)s",
                        indicator=repr(ind.id),
                        source=repr(sid),
                    ),
                    location="catalogue.yaml",
                )
    area_codes = {a.code for a in areas}
    allowed = {ind.id: set(ind.sources) for ind in catalogue}
    seen: set[tuple[str, str, int, str, str, str]] = set()
    for fl in loads:
        where = str(data_dir / fl.report.file)
        for o in fl.observations:
            if o.indicator not in allowed:
                raise DataFileError(
                    Msg("indicator %(indicator)s not in catalogue", indicator=repr(o.indicator)),
                    location=where,
                )
            if o.source not in allowed[o.indicator]:
                raise DataFileError(
                    Msg(
                        "source %(source)s not listed for indicator %(indicator)s",
                        source=repr(o.source),
                        indicator=repr(o.indicator),
                    ),
                    location=where,
                )
            if fl.report.file not in by_id[o.source].files:
                raise DataFileError(
                    Msg(
                        "file not listed under source %(source)s in %(file)s",
                        source=repr(o.source),
                        file=SOURCES_FILE,
                    ),
                    location=where,
                )
            if o.area not in area_codes:
                raise DataFileError(Msg("unknown area %(area)s", area=repr(o.area)), location=where)
            key = (o.indicator, o.area, o.year, o.sex.value, o.breakdown, o.source)
            if key in seen:
                raise DataFileError(
                    Msg("duplicate observation %(key)s", key=str(key)), location=where
                )
            seen.add(key)


def bundle_fingerprint(data_dir: Path | None = None) -> str:
    """SHA-256 over the data files (path + bytes), ``catalogue.yaml`` and the format version."""
    data_dir = data_dir or default_data_dir()
    h = hashlib.sha256()
    h.update(f"equals-bundle-v{BUNDLE_FORMAT_VERSION}\0".encode())
    files = sorted(
        p for p in data_dir.rglob("*") if p.is_file() and p.suffix.lower() in _DATA_SUFFIXES
    )
    for p in files:
        h.update(p.relative_to(data_dir).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    catalogue = resources.files("equals.indicators").joinpath("catalogue.yaml").read_bytes()
    h.update(b"catalogue.yaml\0" + catalogue)
    return h.hexdigest()
