"""Cut a report's lines into labelled blocks: which text sits under which label.

Flattened tables are the hard case: a label wraps over several lines of the left column while
the value runs alongside in the right column. A left-column piece continues the current label
while the joined text is still (the start of) a known label, or while the current label is
unknown; otherwise it starts a new block. Free lines start a block only when they begin with a
label that matches a known one exactly (``Label: value``, ``**Label**``, ``## Label``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from equals.sessions.labels import LabelIndex
from equals.sessions.reader import Line
from equals.sessions.template import ReportTemplate
from equals.sessions.text import normalize_label


@dataclass
class Block:
    label: str
    lines: list[Line] = field(default_factory=list)
    cell: bool = False  # came from a (real or flattened) table row

    def values(self) -> list[tuple[str, bool]]:
        return [(ln.text, ln.whole) for ln in self.lines]


@dataclass
class Segments:
    blocks: list[Block]
    preamble: list[Line]
    heading: str = ""


def _continues(index: LabelIndex, current: str, piece: str) -> bool:
    joined = f"{current} {piece}"
    if index.is_label(joined, fuzzy=False) or index.is_prefix(joined):
        return True
    if index.is_label(piece, fuzzy=False) or index.is_prefix(piece):
        return False
    return index.is_label(joined) or not index.is_label(current)


def _is_heading(templates: tuple[ReportTemplate, ...], text: str) -> bool:
    key = normalize_label(text)
    return bool(key) and any(t.matches_heading(key) for t in templates)


_BRACKETS = re.compile(r"\([^()]*\)?|\[[^\[\]]*\]?")
_GUIDANCE = re.compile(
    r"^[(\[]\s*(?:s|es|\d+|.*\b(?:paragraphs?|sentences?|words?|issues?|listed|here|optional|"
    r"maximum|max|limit|if any|indicate|deadline|due|required|mandatory|hours?|characters?|"
    r"as listed|e\.g)\b.*)\s*[)\]]$",
    re.IGNORECASE,
)


def _plausible_label(text: str) -> bool:
    """A free line's label part may carry bracketed guidance, but nothing else in brackets:
    ``Session Title: (A)`` is a label with the value ``(A)``, not a longer label."""
    return all(_GUIDANCE.match(b) for b in _BRACKETS.findall(text))


def _label_split(
    index: LabelIndex, candidates: tuple[tuple[str, str], ...]
) -> tuple[str, str] | None:
    """The longest exactly matching ``label: value`` split, else the longest fuzzy one."""
    ordered = sorted(
        (c for c in candidates if c[0] and len(c[0].split()) <= 40 and _plausible_label(c[0])),
        key=lambda c: -len(c[0]),
    )
    for label, rest in ordered:  # an exact label, numbers and all
        if any(not m.numbered for m in index.match(label, fuzzy=False)):
            return label, rest
    for label, rest in ordered:  # "Speaker 3: …" (never "Time: 14" of "Time: 14:00")
        if ":" not in label and index.is_label(label, fuzzy=False):
            return label, rest
    for label, rest in ordered:
        if index.is_label(label):
            return label, rest
    return None


def segment(
    lines: tuple[Line, ...], index: LabelIndex, templates: tuple[ReportTemplate, ...]
) -> Segments:
    seg = Segments(blocks=[], preamble=[])
    current: Block | None = None

    def start(label: str, first: Line | None, cell: bool) -> Block:
        block = Block(label=label, cell=cell)
        if first is not None:
            block.lines.append(first)
        seg.blocks.append(block)
        return block

    for ln in lines:
        if ln.cell is not None and ln.cell:  # a table row with a label cell
            value = Line(text=ln.text, whole=ln.whole)
            if (
                current is not None
                and current.cell
                and not ln.row
                and _continues(index, current.label, ln.cell)
            ):
                current.label = f"{current.label} {ln.cell}"
                current.lines.append(value)
            elif not seg.heading and not seg.blocks and _is_heading(templates, ln.cell):
                seg.heading = ln.cell
                if ln.text:
                    seg.preamble.append(value)
            else:
                current = start(ln.cell, value, cell=True)
            continue
        if ln.cell is not None or not ln.text:  # empty label cell, or a blank line
            (current.lines if current else seg.preamble).append(Line(ln.text, whole=ln.whole))
            continue
        if ln.heading and index.is_label(ln.text):
            current = start(ln.text, None, cell=False)
            continue
        match = _label_split(index, ln.candidates)
        if match:
            current = start(match[0], Line(match[1], whole=ln.whole) if match[1] else None, False)
        elif not seg.heading and not seg.blocks and _is_heading(templates, ln.text):
            seg.heading = ln.text
        elif current is None:
            seg.preamble.append(ln)
        else:
            current.lines.append(Line(ln.text, whole=ln.whole or bool(ln.heading)))
    return seg
