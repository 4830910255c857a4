"""Bytes → text for text, Markdown and HTML reports, refusing what is not text.

Encodings read: UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32 with a BOM,
UTF-16 without a BOM (recognised by its pattern of zero bytes), and legacy single-byte text
(Windows-1252, a superset of Latin-1's printable characters). Refused with a message saying what
the file is and what to do: empty files, PDF, old Word ``.doc``, images, archives, and other
binary data.
"""

from __future__ import annotations

import codecs
import re

from equals.core.i18n import Msg
from equals.sessions.errors import UnreadableReportError

# Signatures of files people send instead of a report, with what to do about them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", Msg("a PDF file: save or export the report as DOCX, HTML or text first")),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        Msg("an old Word .doc (or other OLE) file: save it as .docx first"),
    ),
    (b"{\\rtf", Msg("an RTF file: save it as .docx or text first")),
    (b"\x89PNG", Msg("a PNG image, not a report")),
    (b"\xff\xd8\xff", Msg("a JPEG image, not a report")),
    (b"GIF8", Msg("a GIF image, not a report")),
    (b"\x1f\x8b", Msg("a gzip archive: unpack it first")),
    (b"7z\xbc\xaf", Msg("a 7-Zip archive: unpack it first")),
    (b"Rar!", Msg("a RAR archive: unpack it first")),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc but \t\n\v\f\r
BINARY = Msg("a binary file, not a text, Markdown, HTML or DOCX report")
EMPTY = Msg("the file is empty")


def binary_kind(data: bytes) -> str | None:
    """What a file is when its first bytes say it is not a text report."""
    return next((what for sig, what in _SIGNATURES if data.startswith(sig)), None)


def _bom_less_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when most odd (or even) bytes are zero, as in mostly-Latin text."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) >= 0.6 * half and even.count(0) < 0.1 * half:
        return "utf-16-le"
    if even.count(0) >= 0.6 * half and odd.count(0) < 0.1 * half:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableReportError(
            name,
            Msg(
                "not valid %(encoding)s text (bad bytes at offset %(offset)s)",
                encoding=encoding.upper(),
                offset=exc.start,
            ),
        ) from None


def decode(data: bytes, name: str) -> str:
    """The text of a report file; :class:`UnreadableReportError` naming the file otherwise."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UnreadableReportError(name, EMPTY)
    if what := binary_kind(data):
        raise UnreadableReportError(name, what)
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding, name)
            break
    utf16 = _bom_less_utf16(data) if text is None else None
    if utf16 is not None:
        text = _strict(data, utf16, name)
    if text is None:
        if b"\x00" in data:
            raise UnreadableReportError(name, BINARY)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.replace("\x00", "")
    if not text.strip():
        raise UnreadableReportError(name, EMPTY)
    sample = text[:100_000]
    bad = len(_CONTROLS.findall(sample)) + sample.count("\ufffd")
    if bad / len(sample) > 0.05:
        raise UnreadableReportError(name, BINARY)
    return text
