"""Import many reports at once (a folder): parse and validate every file first, then file each
in its own transaction, and report per file what was imported, warned, unchanged and failed —
with the layout detected, its confidence, the template fields found and the warnings.

A file that fails (unreadable, no title, no year, validation errors under ``strict``, or a
database error) writes nothing; the other files are still filed. ``dry_run`` files each report
and rolls it back, so the result says exactly what an import would do and nothing is written.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from equals.archive.filing import EventRef, FiledReport, file_report
from equals.archive.rules import YEAR_MAX, YEAR_MIN, check_text, check_year, event_year
from equals.auth.model import Actor, User
from equals.core.errors import EqualsError, ValidationError
from equals.core.i18n import Msg
from equals.sessions.model import ParsedReport, ParseWarning
from equals.sessions.parser import parse_source
from equals.sessions.reader import read_bytes
from equals.sessions.validate import ValidationReport, validate_report
from equals.store import Store

log = logging.getLogger(__name__)
REPORT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx")


class ImportStatus(StrEnum):
    IMPORTED = "imported"  # filed, no findings
    WARNED = "warned"  # filed, with validation findings
    UNCHANGED = "unchanged"  # identical to the session's current revision
    FAILED = "failed"  # nothing written


@dataclass(frozen=True, slots=True)
class ImportItem:
    path: str
    status: ImportStatus
    message: str = ""
    session_id: int | None = None
    revision: int | None = None
    codes: tuple[str, ...] = ()  # validation finding codes
    layout: str | None = None  # the template (layout) detected
    confidence: float | None = None  # of the detection, 0..1
    fields: tuple[str, ...] = ()  # template fields found in the file
    warnings: tuple[str, ...] = ()  # the parser's warnings, "code: message"
    created: bool = False  # a new session (else a revision of an existing one)

    def to_record(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status.value,
            "message": self.message,
            "session_id": self.session_id,
            "revision": self.revision,
            "created": self.created,
            "layout": self.layout,
            "confidence": self.confidence,
            "fields_found": list(self.fields),
            "warnings": list(self.warnings),
            "codes": list(self.codes),
        }


@dataclass(frozen=True, slots=True)
class ImportSummary:
    items: tuple[ImportItem, ...]
    dry_run: bool = False  # nothing was written: the statuses say what an import would do

    def count(self, status: ImportStatus) -> int:
        return sum(1 for i in self.items if i.status is status)

    @property
    def failed(self) -> tuple[ImportItem, ...]:
        return tuple(i for i in self.items if i.status is ImportStatus.FAILED)

    def to_record(self) -> dict[str, Any]:
        counts = Counter(i.status.value for i in self.items)
        return {
            "dry_run": self.dry_run,
            "files": len(self.items),
            **{s.value: counts.get(s.value, 0) for s in ImportStatus},
            "items": [i.to_record() for i in self.items],
        }


def report_files(folder: Path, *, recursive: bool = False) -> list[Path]:
    pattern = "**/*" if recursive else "*"
    return sorted(
        p
        for p in folder.glob(pattern)
        if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(".")
    )


@dataclass(frozen=True, slots=True)
class _Prepared:
    path: Path
    report: ParsedReport | None
    validation: ValidationReport | None
    data: bytes
    error: str = ""


def _prepare(path: Path) -> _Prepared:
    try:
        data = path.read_bytes()
        report = parse_source(read_bytes(data, name=str(path)))
    except (EqualsError, OSError) as exc:
        return _Prepared(path, None, None, b"", _message(exc))
    return _Prepared(path, report, validate_report(report), data)


def import_files(
    store: Store,
    paths: Iterable[Path],
    *,
    actor: Actor,
    event: str = "IGF",
    year: int | None = None,
    kind: str = "igf",
    strict: bool = False,
    dry_run: bool = False,
    user: User | None = None,
    progress: Callable[[Path, ImportItem], None] | None = None,
) -> ImportSummary:
    """Parse and validate every file, then file each one in its own transaction (rolled back
    under ``dry_run``)."""
    check_year(year)
    check_text(event, "event")
    prepared = [_prepare(p) for p in paths]
    items: list[ImportItem] = []
    for prep in prepared:
        item = _file_one(store, prep, actor, event, year, kind, strict, dry_run, user)
        items.append(item)
        if progress is not None:
            progress(prep.path, item)
    summary = ImportSummary(tuple(items), dry_run)
    log.info(
        "session import%s: %d file(s): %d imported, %d warned, %d unchanged, %d failed",
        " (dry run, nothing written)" if dry_run else "",
        len(items),
        summary.count(ImportStatus.IMPORTED),
        summary.count(ImportStatus.WARNED),
        summary.count(ImportStatus.UNCHANGED),
        summary.count(ImportStatus.FAILED),
    )
    return summary


def import_folder(
    store: Store,
    folder: Path,
    *,
    actor: Actor,
    event: str = "IGF",
    year: int | None = None,
    kind: str = "igf",
    strict: bool = False,
    recursive: bool = False,
    dry_run: bool = False,
    user: User | None = None,
    progress: Callable[[Path, ImportItem], None] | None = None,
) -> ImportSummary:
    if not folder.is_dir():
        raise ValidationError(Msg("%(folder)s is not a folder", folder=str(folder)), location="DIR")
    return import_files(
        store,
        report_files(folder, recursive=recursive),
        actor=actor,
        event=event,
        year=year,
        kind=kind,
        strict=strict,
        dry_run=dry_run,
        user=user,
        progress=progress,
    )


def _detected(report: ParsedReport) -> dict[str, Any]:
    layout = report.layout
    return {
        "layout": layout.template if layout else report.template,
        "confidence": round(layout.confidence, 3) if layout else None,
        "fields": tuple(layout.fields) if layout else tuple(report.present),
        "warnings": tuple(_warning(w) for w in report.warnings),
    }


def _message(exc: BaseException) -> str:
    """The first line of an error's message: English, and a :class:`Msg` (rendered in the
    reader's language where shown) when the library raised it as one."""
    if isinstance(exc, ValidationError) and isinstance(exc.detail, Msg) and not exc.suggestions:
        if not exc.location:
            return exc.detail
        return Msg("%(where)s: %(message)s", where=exc.location, message=exc.detail)
    if isinstance(exc, EqualsError) and isinstance(exc.message, Msg) and not exc.suggestions:
        return exc.message
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _warning(w: ParseWarning) -> str:
    """A parser warning as ``code: message``, its message in the reader's language where
    shown when it has a message id."""
    message = Msg(w.msgid, **dict(w.params)) if w.msgid else w.message
    return Msg("%(where)s: %(message)s", where=w.code, message=message)


def _file_one(
    store: Store,
    prep: _Prepared,
    actor: Actor,
    event: str,
    year: int | None,
    kind: str,
    strict: bool,
    dry_run: bool,
    user: User | None,
) -> ImportItem:
    name = str(prep.path)
    if prep.report is None or prep.validation is None:
        return ImportItem(name, ImportStatus.FAILED, prep.error)
    codes = tuple(prep.validation.codes())
    found = _detected(prep.report)
    the_year = year or event_year(prep.report)
    message: str = ""
    if the_year is None:
        message = Msg(
            "no date in the report: give the event's year (%(first)s–%(last)s)",
            first=YEAR_MIN,
            last=YEAR_MAX,
        )
        return ImportItem(name, ImportStatus.FAILED, message, codes=codes, **found)
    try:
        filed: FiledReport = file_report(
            store,
            prep.report,
            actor=actor,
            event=EventRef(event, the_year, kind),
            source=prep.data,
            validation=prep.validation,
            strict=strict,
            user=user,
            dry_run=dry_run,
        )
    except (EqualsError, SQLAlchemyError) as exc:
        message = _message(exc)
        return ImportItem(name, ImportStatus.FAILED, message, codes=codes, **found)
    if filed.unchanged:
        status = ImportStatus.UNCHANGED
    else:
        status = ImportStatus.WARNED if codes else ImportStatus.IMPORTED
    errors = len(prep.validation.errors)
    message = ""
    if codes:
        message = Msg(
            "%(errors)s error(s), %(warnings)s warning(s)",
            errors=errors,
            warnings=len(codes) - errors,
        )
    # A dry run cannot know a new session's id (the database hands it out when it is written).
    sid = None if dry_run and filed.created else filed.session_id
    return ImportItem(
        name, status, message, sid, filed.revision, codes,
        created=filed.created, **found,
    )  # fmt: skip
