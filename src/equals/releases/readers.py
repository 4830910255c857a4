"""Read a user's release file with the loader of its source (the bundled formats) or as SDMX.

:func:`read_release` detects the format from the content: SDMX-ML (XML), SDMX-CSV (a first
column ``STRUCTURE``/``DATAFLOW``), else the source's bundled CSV layout. It never writes.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
from collections.abc import Mapping
from pathlib import Path

from equals.core.errors import DataFileError, ValidationError
from equals.core.i18n import Msg
from equals.indicators.bundle import default_data_dir
from equals.indicators.sources import ilostat, sdg_database, uis, unsd_gender, wdi
from equals.indicators.sources.base import FileLoad, read_rows, require_columns
from equals.indicators.sources.countries import CountryIndex
from equals.releases.model import ParsedRelease

SKIP_OTHER_SOURCE = "belongs to another source"

#: Source ids a release can be imported for, with the CSV layout each reads.
CSV_FORMATS: Mapping[str, str] = {
    "wdi": "wdi-csv",
    "sdg-db": "sdg-csv",
    **{sid: "unsd-gender-csv" for _, sid in unsd_gender.SERIES.values()},
    "ilostat": "ilostat-csv",
    "uis": "uis-csv",
}
MAX_BYTES = 512 * 1024 * 1024


def importable_sources() -> list[str]:
    return sorted(CSV_FORMATS)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def detect_format(path: Path) -> str:
    """``sdmx-ml``, ``sdmx-csv`` or ``csv`` (the source's own layout), from the first bytes."""
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as gz:
            head = gz.read(4096)
    else:
        with path.open("rb") as fh:
            head = fh.read(4096)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "sdmx-ml"
    first = text.split("\n", 1)[0].split(",", 1)[0].strip().strip('"')
    if first in ("DATAFLOW", "STRUCTURE") or first.startswith("STRUCTURE["):
        return "sdmx-csv"
    return "csv"


def read_release(path: Path, source: str, data_dir: Path | None = None) -> ParsedRelease:
    """Read ``path`` as a release of ``source``; :class:`DataFileError` names file and line."""
    if source not in CSV_FORMATS:
        raise ValidationError(
            Msg(
                "source %(source)s cannot be refreshed from a file; importable sources: "
                "%(sources)s",
                source=repr(source),
                sources=", ".join(importable_sources()),
            ),
            location="--source",
            code="invalid-parameter",
        )
    if not path.is_file():
        raise DataFileError(Msg("file not found"), location=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise DataFileError(
            Msg("file larger than %(size)s MB", size=MAX_BYTES >> 20), location=str(path)
        )
    data_dir = data_dir or default_data_dir()
    countries = CountryIndex.from_data(data_dir)
    fmt = detect_format(path)
    label = release_date = ""
    if fmt == "csv":
        fmt = CSV_FORMATS[source]
        try:
            load, rows_read, label = _read_csv(path, source, data_dir, countries)
        except UnicodeDecodeError as exc:
            raise DataFileError(
                Msg(
                    "not UTF-8 text (%(reason)s at byte %(byte)s): save the file as UTF-8 "
                    "(CSV UTF-8 in spreadsheet programs) and try again",
                    reason=exc.reason,
                    byte=exc.start,
                ),
                location=str(path),
            ) from exc
        except csv.Error as exc:
            raise DataFileError(
                Msg("not a readable CSV file: %(reason)s", reason=str(exc)), location=str(path)
            ) from exc
    else:
        from equals.releases import sdmx_input

        result = sdmx_input.read(path, source, countries, fmt)
        load, rows_read = result.load, result.rows_read
        label, release_date = result.label, result.release_date
    return _parsed(path, source, fmt, load, rows_read, label, release_date)


def _parsed(
    path: Path,
    source: str,
    fmt: str,
    load: FileLoad,
    rows_read: int,
    label: str,
    release_date: str,
) -> ParsedRelease:
    mine = tuple(o for o in load.observations if o.source == source)
    skipped = dict(load.report.skipped)
    others = len(load.observations) - len(mine)
    if others:
        skipped[SKIP_OTHER_SOURCE] = skipped.get(SKIP_OTHER_SOURCE, 0) + others
    return ParsedRelease(
        source=source,
        path=str(path),
        file_name=path.name,
        sha256=sha256_of(path),
        format=fmt,
        rows_read=rows_read,
        observations=mine,
        aggregates=load.aggregates,
        skipped=tuple(sorted(skipped.items())),
        skipped_where=load.skipped_where,
        label=label,
        release_date=release_date,
    )


def _count_rows(data_dir: Path, rel: str) -> int:
    return sum(1 for _ in read_rows(data_dir, rel))


def _read_csv(
    path: Path, source: str, data_dir: Path, countries: CountryIndex
) -> tuple[FileLoad, int, str]:
    rel = str(path.resolve())  # data_dir / an absolute path is that path
    label = ""
    if source == "wdi":
        header = require_columns(data_dir, rel, ("economy", "year"))
        series = [c for c in header if c not in ("economy", "year")]
        if len(series) != 1:
            raise DataFileError(
                Msg(
                    "expected the WDI datapoint layout economy,year,<series> with one series "
                    "column, found %(header)s",
                    header=str(header),
                ),
                location=rel,
            )
        load = wdi.read_series_file(data_dir, rel, series[0].strip(), countries)
    elif source == "sdg-db":
        load = sdg_database.read_file(data_dir, rel, countries)
        for _, row in read_rows(data_dir, rel):
            label = (row.get("ReleaseName") or "").strip()
            break
    elif source == "ilostat":
        require_columns(data_dir, rel, (*ilostat._COLUMNS, "classif1.label"))
        rows: list[tuple[int, Mapping[str, str]]] = list(read_rows(data_dir, rel))
        indicator = ilostat.indicator_for(r for _, r in rows)
        if indicator is None:
            raise DataFileError(
                Msg(
                    "cannot tell the indicator: classif1.label must be ISCO-08 group 25 (ICT "
                    "professionals) or ISIC Rev.4 division 61 (telecommunications), not both"
                ),
                location=rel,
            )
        load = ilostat.build(rel, rows, countries, indicator)
        return load, len(rows), label
    elif source == "uis":
        load = uis.read_file(data_dir, rel, countries)
    else:  # one of the unsd-gender-* sources
        require_columns(data_dir, rel, unsd_gender._COLUMNS)
        load = unsd_gender.build(read_rows(data_dir, rel), countries, rel=rel)
    return load, _count_rows(data_dir, rel), label
