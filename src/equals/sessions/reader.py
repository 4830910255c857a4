"""Read a report (plain text, Markdown, HTML or DOCX) into :class:`Line` records.

Every layout becomes the same stream: a line is either a table row (a label cell and a value
cell — a Word table row, a Markdown table row, or a flattened table line ``label<TAB>value``)
or a free line of text, which may carry candidate ``label: value`` splits for the segmenter.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from equals.core.i18n import Msg
from equals.sessions.decode import EMPTY, decode
from equals.sessions.docx_guard import check_docx
from equals.sessions.errors import UnreadableReportError
from equals.sessions.html_reader import lines_from_html
from equals.sessions.lines import Line, colon_candidates

__all__ = [
    "Line",
    "ReportFormat",
    "ReportInput",
    "UnreadableReportError",
    "read_bytes",
    "read_path",
]


class ReportFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    DOCX = "docx"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class ReportInput:
    lines: tuple[Line, ...]
    format: ReportFormat
    name: str
    notes: tuple[tuple[str, str], ...] = ()  # (code, message) from reading, e.g. scripts dropped


_MD_HINTS = re.compile(r"^(#{1,6}\s|\s*\|.*\|\s*$|\s*(?:[-*+]\s+)?(\*\*|__)\S)", re.M)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BOLD_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*(.*)$")
_MD_RULE = re.compile(r"^\s*(?:[-=*_]\s*){3,}$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_INLINE = re.compile(r"(\*\*|__)")


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
    style_names = {st.style_id: st.name or "" for st in document.styles}
    out: list[Line] = []

    def paragraph_lines(p: Paragraph) -> None:
        style_id = p._p.style  # the id from the XML: python-docx's p.style scans every style
        style = style_names.get(style_id, style_id or "") if style_id else ""
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


_SURROGATE = re.compile("[\ud800-\udfff]")
_HTML_HINT = re.compile(rb"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)
_HTML_TAGS = re.compile(r"<(?:p|div|h[1-6]|table|ul|li|br)[\s/>]", re.I)


def sniff_format(data: bytes, name: str = "") -> ReportFormat:
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or suffix == ".docx":
        return ReportFormat.DOCX
    if suffix in {".html", ".htm", ".xhtml"}:
        return ReportFormat.HTML
    if suffix in {".md", ".markdown"}:
        return ReportFormat.MARKDOWN
    head_bytes = data[:20000].lstrip(b"\xef\xbb\xbf")
    if _HTML_HINT.match(head_bytes):
        return ReportFormat.HTML
    if suffix in {".txt", ".text"}:
        return ReportFormat.TEXT
    head = head_bytes.decode("utf-8", errors="ignore")
    if len(_HTML_TAGS.findall(head)) >= 3:
        return ReportFormat.HTML
    return ReportFormat.MARKDOWN if len(_MD_HINTS.findall(head)) >= 2 else ReportFormat.TEXT


def read_text(text: str, fmt: ReportFormat | None = None, name: str = "<text>") -> ReportInput:
    if fmt is None:
        fmt = sniff_format(text[:20000].encode("utf-8", errors="ignore"), name)
    if fmt is ReportFormat.DOCX:
        raise UnreadableReportError(name, Msg("DOCX reports must be given as a file or bytes"))
    if not text.strip():
        raise UnreadableReportError(name, Msg("the report is empty"))
    text = _SURROGATE.sub("\ufffd", text.replace("\x00", ""))  # text given as str can hold these
    if fmt is ReportFormat.HTML:
        lines, dropped = lines_from_html(text, name)
        notes = (
            (
                (
                    "active-content-removed",
                    Msg("%(count)s script/embedded element(s) ignored", count=dropped),
                ),
            )
            if dropped
            else ()
        )
        if not any(ln.text or ln.cell for ln in lines):
            raise UnreadableReportError(name, Msg("the HTML page has no text"))
        return ReportInput(lines, fmt, name, notes)
    if fmt is ReportFormat.MARKDOWN:
        return ReportInput(lines_from_markdown(text), fmt, name)
    return ReportInput(lines_from_text(text), fmt, name)


def read_bytes(data: bytes, fmt: ReportFormat | None = None, name: str = "<bytes>") -> ReportInput:
    if not data:
        raise UnreadableReportError(name, EMPTY)
    fmt = fmt or sniff_format(data, name)
    if fmt is ReportFormat.DOCX:
        check_docx(data, name)
        try:
            lines = lines_from_docx(data)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise UnreadableReportError(
                name, Msg("not a valid DOCX file (%(error)s)", error=str(exc))
            ) from None
        except Exception as exc:  # lxml and python-docx raise many kinds on corrupt parts
            raise UnreadableReportError(
                name, Msg("corrupt DOCX file (%(error)s)", error=str(exc))
            ) from None
        if not any(ln.text or ln.cell for ln in lines):
            raise UnreadableReportError(name, Msg("the DOCX document has no text"))
        return ReportInput(lines, fmt, name)
    return read_text(decode(data, name), fmt, name)


def read_path(path: Path, fmt: ReportFormat | None = None) -> ReportInput:
    name = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableReportError(name, Msg("no such file")) from None
    except IsADirectoryError:
        raise UnreadableReportError(name, Msg("a directory, not a file")) from None
    except OSError as exc:
        raise UnreadableReportError(name, exc.strerror or str(exc)) from None
    return read_bytes(data, fmt, name)
