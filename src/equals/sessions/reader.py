"""Read a report (plain text, Markdown or DOCX) into :class:`Line` records.

Every layout becomes the same stream: a line is either a table row (a label cell and a value
cell — a Word table row, a Markdown table row, or a flattened table line ``label<TAB>value``)
or a free line of text, which may carry candidate ``label: value`` splits for the segmenter.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from equals.core.errors import ValidationError


class ReportFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    DOCX = "docx"


class UnreadableReportError(ValidationError):
    """The file is missing, not a text/Markdown/DOCX report, or corrupt."""

    code = "unreadable-report"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"cannot read session report: {reason}", location=name)
        self.name = name
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Line:
    text: str  # the value cell of a table row, or the whole free line
    cell: str | None = None  # the label cell of a table row ("" = empty label cell)
    row: bool = False  # a real table row boundary (Word/Markdown), not a flattened wrap
    whole: bool = False  # the text is a complete paragraph (Word paragraph / table cell)
    heading: int = 0  # Markdown / Word heading level
    candidates: tuple[tuple[str, str], ...] = ()  # (label, rest) splits of a free line


@dataclass(frozen=True, slots=True)
class Source:
    lines: tuple[Line, ...]
    format: ReportFormat
    name: str


_MD_HINTS = re.compile(r"^(#{1,6}\s|\s*\|.*\|\s*$|\s*(?:[-*+]\s+)?(\*\*|__)\S)", re.M)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BOLD_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*(.*)$")
_MD_RULE = re.compile(r"^\s*(?:[-=*_]\s*){3,}$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_INLINE = re.compile(r"(\*\*|__)")


def colon_candidates(text: str) -> tuple[tuple[str, str], ...]:
    """Possible ``label: value`` splits of a free line: the whole line, then each colon."""
    out = [(text.strip(), "")]
    for m in re.finditer(r":", text):
        if m.start() > 0:
            out.append((text[: m.start()].strip(), text[m.end() :].strip()))
    return tuple(out)


def lines_from_text(text: str) -> tuple[Line, ...]:
    out: list[Line] = []
    for raw in text.splitlines():
        if "\t" in raw:
            left, right = raw.split("\t", 1)
            out.append(Line(text=right.strip(), cell=left.strip()))
        else:
            out.append(Line(text=raw.strip(), candidates=colon_candidates(raw)))
    return tuple(out)


def _md_strip(text: str) -> str:
    return _MD_INLINE.sub("", text).strip()


def lines_from_markdown(text: str) -> tuple[Line, ...]:
    out: list[Line] = []
    for raw in text.splitlines():
        if _MD_TABLE_SEP.match(raw) and "|" in raw:
            continue
        if _MD_RULE.match(raw):
            prev = out[-1] if out else None
            if prev and prev.text and not prev.heading and raw.strip()[0] in "=-":
                out[-1] = Line(text=prev.text, heading=1 if raw.strip()[0] == "=" else 2)
            else:
                out.append(Line(text=""))
            continue
        if raw.strip().startswith("|") and raw.strip().endswith("|") and len(raw.strip()) > 1:
            cells = [_md_strip(c) for c in raw.strip()[1:-1].split("|")]
            out.append(Line(text=" | ".join(c for c in cells[1:] if c), cell=cells[0], row=True))
            continue
        if m := _MD_HEADING.match(raw):
            out.append(Line(text=_md_strip(m.group(2)), heading=len(m.group(1))))
            continue
        plain = _md_strip(raw)
        candidates = colon_candidates(plain)
        if m := _MD_BOLD_LABEL.match(raw):
            candidates = ((_md_strip(m.group(1)).rstrip(":"), _md_strip(m.group(2))), *candidates)
        out.append(Line(text=plain, candidates=candidates))
    return tuple(out)


def lines_from_docx(data: bytes) -> tuple[Line, ...]:
    import docx
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    out: list[Line] = []

    def paragraph_lines(p: Paragraph) -> None:
        style = (p.style.name if p.style is not None else "") or ""
        level = 0
        if style == "Title":
            level = 1
        elif m := re.match(r"Heading (\d)", style):
            level = int(m.group(1))
        parts = p.text.split("\n") or [""]
        for part in parts:
            if level:
                out.append(Line(text=part.strip(), heading=level))
            else:
                cands = colon_candidates(part) if part.strip() else ()
                out.append(Line(text=part.strip(), whole=True, candidates=cands))

    def cell_texts(cell: object) -> list[str]:
        texts: list[str] = []
        for p in cell.paragraphs:  # type: ignore[attr-defined]
            texts.extend(part.strip() for part in p.text.split("\n"))
        for inner in cell.tables:  # type: ignore[attr-defined]
            for row in inner.rows:
                texts.append(" | ".join(c.text.strip() for c in row.cells))
        return texts

    def table_lines(t: Table) -> None:
        for row in t.rows:
            cells: list[_Cell] = []
            for c in row.cells:  # merged cells repeat: keep each once
                if all(c._tc is not seen._tc for seen in cells):
                    cells.append(c)
            if len(cells) == 1:
                for text in cell_texts(cells[0]):
                    out.append(Line(text=text, whole=True, candidates=colon_candidates(text)))
                continue
            label = " ".join(t for t in cell_texts(cells[0]) if t)
            values = [v for c in cells[1:] for v in cell_texts(c)]
            while values and not values[-1]:
                values.pop()
            out.append(Line(text=values[0] if values else "", cell=label, row=True, whole=True))
            out.extend(Line(text=v, cell="", whole=True) for v in values[1:])

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph_lines(Paragraph(child, document))
        elif tag == "tbl":
            table_lines(Table(child, document))
    return tuple(out)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableReportError(name, "not valid UTF-16 text") from None
    if b"\x00" in data:
        raise UnreadableReportError(name, "a binary file, not a text, Markdown or DOCX report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    bad = controls + text.count("\ufffd")
    if text and bad / len(text) > 0.05:
        raise UnreadableReportError(name, "a binary file, not a text, Markdown or DOCX report")
    return text


def sniff_format(data: bytes, name: str = "") -> ReportFormat:
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix == ".docx":
        return ReportFormat.DOCX
    if suffix in {".md", ".markdown"}:
        return ReportFormat.MARKDOWN
    if suffix in {".txt", ".text"}:
        return ReportFormat.TEXT
    head = data[:20000].decode("utf-8", errors="ignore")
    return ReportFormat.MARKDOWN if len(_MD_HINTS.findall(head)) >= 2 else ReportFormat.TEXT


def read_text(text: str, fmt: ReportFormat | None = None, name: str = "<text>") -> Source:
    if fmt is None:
        fmt = sniff_format(text[:20000].encode("utf-8", errors="ignore"), name)
    if fmt is ReportFormat.DOCX:
        raise UnreadableReportError(name, "DOCX reports must be given as a file or bytes")
    if fmt is ReportFormat.MARKDOWN:
        return Source(lines_from_markdown(text), fmt, name)
    return Source(lines_from_text(text), fmt, name)


def read_bytes(data: bytes, fmt: ReportFormat | None = None, name: str = "<bytes>") -> Source:
    fmt = fmt or sniff_format(data, name)
    if fmt is ReportFormat.DOCX:
        try:
            return Source(lines_from_docx(data), fmt, name)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise UnreadableReportError(name, f"not a valid DOCX file ({exc})") from None
        except Exception as exc:  # lxml and python-docx raise many kinds on corrupt parts
            raise UnreadableReportError(name, f"corrupt DOCX file ({exc})") from None
    return read_text(_decode(data, name), fmt, name)


def read_path(path: Path, fmt: ReportFormat | None = None) -> Source:
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableReportError(name, "no such file") from None
    except IsADirectoryError:
        raise UnreadableReportError(name, "a directory, not a file") from None
    except OSError as exc:
        raise UnreadableReportError(name, exc.strerror or str(exc)) from None
    return read_bytes(data, fmt, name)
