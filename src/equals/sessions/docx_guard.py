"""Safety checks on a DOCX file before python-docx opens it.

A DOCX is a zip of XML parts, so a small file can inflate without bound (a "zip bomb": 1 MB
that becomes 1 GB), hold hundreds of thousands of paragraphs, or declare XML entities that
expand exponentially ("billion laughs"). Each check reads only the zip directory or a part
already known to be within the limits, and fails with a message that names the file, the
limit and what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from equals.core.i18n import Msg
from equals.sessions.errors import UnreadableReportError


@dataclass(frozen=True, slots=True)
class DocxLimits:
    max_parts: int = 1_000  # files inside the zip
    max_part_bytes: int = 25_000_000  # one part, decompressed
    max_total_bytes: int = 60_000_000  # all parts, decompressed
    max_ratio: int = 200  # decompressed / compressed size of a part above 1 MB
    max_paragraphs: int = 50_000  # <w:p> elements in the document body


LIMITS = DocxLimits()
_MB = 1_000_000
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PARAGRAPH = re.compile(rb"<w:p[\s>/]")


def _fail(name: str, reason: str) -> UnreadableReportError:
    return UnreadableReportError(name, reason)


def _xml_text(raw: bytes) -> bytes:
    """An XML part as UTF-8 bytes, so a UTF-16 part cannot hide a DTD from the scan."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:200]:
        try:
            return raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return raw
    return raw


def check_docx(data: bytes, name: str, limits: DocxLimits = LIMITS) -> None:
    """Raise :class:`UnreadableReportError` unless ``data`` is a DOCX within ``limits``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _fail(
            name, Msg("not a valid DOCX file (it is not a zip archive); save it again from Word")
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_parts:
            raise _fail(
                name,
                Msg(
                    "DOCX holds %(count)s parts, over the limit of %(limit)s "
                    "(a zip bomb or not a Word document)",
                    count=len(infos),
                    limit=limits.max_parts,
                ),
            )
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise _fail(name, Msg("not a Word DOCX document (the zip has no word/document.xml)"))
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise _fail(
                    name,
                    Msg("DOCX part %(part)s is encrypted; remove the password", part=info.filename),
                )
            total += info.file_size
            if info.file_size > limits.max_part_bytes:
                raise _fail(
                    name,
                    Msg(
                        "DOCX part %(part)s inflates to %(size)s MB, over the limit of "
                        "%(limit)s MB per part: a zip bomb, or a report far larger than any "
                        "session report",
                        part=info.filename,
                        size=f"{info.file_size / _MB:.1f}",
                        limit=limits.max_part_bytes // _MB,
                    ),
                )
            if total > limits.max_total_bytes:
                raise _fail(
                    name,
                    Msg(
                        "DOCX inflates to more than %(limit)s MB in all: a zip bomb, or a "
                        "report far larger than any session report",
                        limit=limits.max_total_bytes // _MB,
                    ),
                )
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > _MB and ratio > limits.max_ratio:
                raise _fail(
                    name,
                    Msg(
                        "DOCX part %(part)s compresses %(ratio)s:1 (limit %(limit)s:1): "
                        "a zip bomb, not a report",
                        part=info.filename,
                        ratio=ratio,
                        limit=limits.max_ratio,
                    ),
                )
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                raw = archive.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise _fail(
                    name,
                    Msg(
                        "corrupt DOCX part %(part)s (%(error)s)", part=info.filename, error=str(exc)
                    ),
                ) from None
            if _DTD.search(_xml_text(raw)):
                raise _fail(
                    name,
                    Msg(
                        "DOCX part %(part)s declares a DTD or XML entities, which Word never "
                        "writes (an entity-expansion attack); refused",
                        part=info.filename,
                    ),
                )
            if info.filename == "word/document.xml":
                paragraphs = len(_PARAGRAPH.findall(raw))
                if paragraphs > limits.max_paragraphs:
                    raise _fail(
                        name,
                        Msg(
                            "DOCX holds %(count)s paragraphs, over the limit of %(limit)s; "
                            "split the file into one report each",
                            count=paragraphs,
                            limit=limits.max_paragraphs,
                        ),
                    )
