"""The line stream every reader produces (text, Markdown, HTML, DOCX all become lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    text: str  # the value cell of a table row, or the whole free line
    cell: str | None = None  # the label cell of a table row ("" = empty label cell)
    row: bool = False  # a real table row boundary (Word/Markdown/HTML), not a flattened wrap
    whole: bool = False  # the text is a complete paragraph (Word paragraph / table cell)
    heading: int = 0  # Markdown / Word / HTML heading level
    candidates: tuple[tuple[str, str], ...] = ()  # (label, rest) splits of a free line


_COLON = re.compile(r":")


def colon_candidates(text: str) -> tuple[tuple[str, str], ...]:
    """Possible ``label: value`` splits of a free line: the whole line, then each colon
    (only the first few: a label is never long, and a 1 MB line must stay cheap)."""
    out = [(text.strip(), "")]
    for i, m in enumerate(_COLON.finditer(text)):
        if i >= 4 or m.start() > 400:
            break
        if m.start() > 0:
            out.append((text[: m.start()].strip(), text[m.end() :].strip()))
    return tuple(out)
