"""Text helpers shared by the parser, validator and analysis: labels, sentences, paragraphs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

# British spellings and variants folded onto one form before labels are compared.
_FOLD = {
    "organiser": "organizer",
    "organisers": "organizers",
    "organisation": "organization",
    "organisations": "organizations",
    "organising": "organizing",
    "organised": "organized",
    "chairperson": "chair",
    "chairpersons": "chairs",
    "panellist": "panelist",
    "panellists": "panelists",
    "programme": "program",
    "summarise": "summarize",
    "centre": "center",
}
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_UNCLOSED = re.compile(r"[(\[][^)\]]*$")
_NOTETAKER = re.compile(r"note[\s_\-/]*taker")
_NON_WORD = re.compile(r"[\W_]+")

_BULLET = re.compile(r"^\s*(?:[-*•●▪◦+]|\d{1,2}[.)]|\(\d{1,2}\)|[a-z][)])\s+")
_OPENERS = "\"'\u201c\u2018("
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "no",
        "st",
        "etc",
        "vs",
        "u.s",
        "u.n",
        "inc",
        "ltd",
        "co",
        "jr",
        "sr",
        "approx",
        "fig",
        "cf",
    ]
)


def clean(text: str) -> str:
    """NFKC, non-breaking spaces to spaces, runs of whitespace to one space, stripped."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def normalize_label(text: str) -> str:
    """Fold a label (cached for label-sized strings: the same labels recur in every report)."""
    return _normalize_label(text) if len(text) <= 300 else _normalize_label.__wrapped__(text)


@lru_cache(maxsize=16384)
def _normalize_label(text: str) -> str:
    """Fold a label for comparison: case, punctuation, brackets, spelling variants, wraps.

    ``"Key Issues raised (1"`` and ``"Key Issues raised (1 sentence per issue):"`` both give
    ``"key issues raised"``; ``"Rapporteur/Note Taker"`` gives ``"rapporteur notetaker"``.
    """
    s = unicodedata.normalize("NFKC", text).lower().replace("&", " and ")
    previous = None
    while previous != s:
        previous, s = s, _BRACKETED.sub(" ", s)
    s = _UNCLOSED.sub(" ", s)
    s = _NOTETAKER.sub("notetaker", s)
    s = _NON_WORD.sub(" ", s)
    return " ".join(_FOLD.get(w, w) for w in s.split())


def compact_key(text: str) -> str:
    """An even looser key for names: ``"UN-Women"``, ``"UNWOMEN"`` → ``"unwomen"``."""
    words = normalize_label(text).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return "".join(words)


def strip_bullet(line: str) -> tuple[str, bool]:
    """Remove a list marker (``-``, ``•``, ``1.``, ``(2)``); say whether there was one."""
    found = False
    while (m := _BULLET.match(line)) and m.end() < len(line):
        line, found = line[m.end() :], True
    return line.strip(), found


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations (e.g., Dr.) and initials together."""
    text = clean(text)
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
            continue
        before = text[start : m.start() + 1].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def word_count(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?…:][\"'”’)\]]*$", text))


def _starts_sentence(text: str) -> bool:
    first = text.lstrip(_OPENERS)[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def assemble_paragraphs(lines: Sequence[tuple[str, bool]], *, wrapped: bool = True) -> list[str]:
    """Join value lines into paragraphs (or list items).

    ``lines`` are ``(text, whole)`` pairs: ``whole`` marks a line that is a complete
    paragraph already (a Word paragraph). Blank lines and list markers always start a new
    item. With ``wrapped`` (flattened tables, plain text) a line that ends a sentence
    followed by one that starts a sentence also starts a new paragraph; other lines are
    joined as wrapped text. Without it (Markdown) only blank lines and markers separate.
    """
    items: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            items.append(clean(" ".join(current)))
            current.clear()

    for raw, whole in lines:
        text = raw.strip()
        if not text:
            flush()
            continue
        text, bulleted = strip_bullet(text)
        if (
            bulleted
            or whole
            or (wrapped and current and _ends_sentence(current[-1]) and _starts_sentence(text))
        ):
            flush()
        current.append(text)
        if whole:
            flush()
    flush()
    return [i for i in items if i]


def slug(text: str) -> str:
    return normalize_label(text).replace(" ", "_")[:60] or "field"
