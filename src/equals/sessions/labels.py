"""Tolerant label matching: which template field does a label, as written, stand for?

Labels are compared after :func:`~equals.sessions.text.normalize_label` (case, punctuation,
colons, bracketed guidance, line wraps, British/American spellings). Long labels (five words or
more) also match when they differ by a few words ("If there were presentations during the
session…" / "If there are Presentations during the workshop session…").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from equals.sessions.template import ReportTemplate, templates
from equals.sessions.text import normalize_label

_FUZZY_MIN_WORDS = 5
# "1 key policy questions" (a numbered section) and "speaker 3" (a numbered item) stand for
# the label without the number.
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}|[ivx]{1,4}|[a-h]) (?=\D)")
_ITEM_NUMBER = re.compile(r"(?<=\D) \d{1,3}$")
_FUZZY_RATIO = 0.82


@dataclass(frozen=True, slots=True)
class LabelMatch:
    template_id: str
    field_id: str
    exact: bool
    numbered: bool = False  # matched once a section or item number was set aside


def strip_numbers(key: str) -> str:
    """A normalised label without its section number and item number."""
    key = _SECTION_NUMBER.sub("", key)
    bare = _ITEM_NUMBER.sub("", key)
    return bare if len(bare.split()) <= 3 else key  # "speaker 3", never "…participants 60"


class LabelIndex:
    """Normalised label spellings of one or more templates."""

    def __init__(self, tmpls: Iterable[ReportTemplate]) -> None:
        self._exact: dict[str, list[LabelMatch]] = {}
        for t in tmpls:
            for f in t.fields:
                for label in f.labels:
                    key = normalize_label(label)
                    hits = self._exact.setdefault(key, []) if key else []
                    if key and LabelMatch(t.id, f.id, True) not in hits:
                        hits.append(LabelMatch(t.id, f.id, True))
        self._keys = tuple(self._exact)
        self._long = tuple(k for k in self._keys if len(k.split()) >= _FUZZY_MIN_WORDS)
        # Inverted index word → long labels, so a line of prose is compared (with difflib)
        # only to labels sharing most of its words: parsing stays linear in the report's size.
        self._postings: dict[str, list[int]] = {}
        for i, k in enumerate(self._long):
            for w in set(k.split()):
                self._postings.setdefault(w, []).append(i)
        self._long_words = tuple(len(set(k.split())) for k in self._long)
        self._cache: dict[tuple[str, bool], tuple[LabelMatch, ...]] = {}

    def match(self, label: str, *, fuzzy: bool = True) -> list[LabelMatch]:
        """Every field (across the indexed templates) the label stands for, best first."""
        if len(label) > 300:
            return self._match(label, fuzzy)
        hit = self._cache.get((label, fuzzy))
        if hit is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            hit = self._cache[(label, fuzzy)] = tuple(self._match(label, fuzzy))
        return list(hit)

    def _match(self, label: str, fuzzy: bool) -> list[LabelMatch]:
        key = normalize_label(label)
        if not key:
            return []
        if key in self._exact:
            return list(self._exact[key])
        bare = strip_numbers(key)
        if bare != key and bare in self._exact:
            return [LabelMatch(m.template_id, m.field_id, True, True) for m in self._exact[bare]]
        if not fuzzy or len(key.split()) < _FUZZY_MIN_WORDS:
            return []
        words = set(key.split())
        shared: dict[int, int] = {}
        for w in words:
            for i in self._postings.get(w, ()):
                shared[i] = shared.get(i, 0) + 1
        scored: list[tuple[float, str]] = []
        for i, n in shared.items():
            if n < 0.5 * max(len(words), self._long_words[i]):
                continue  # too few words in common for a 0.82 character-level match
            k = self._long[i]
            if not 0.7 <= len(key) / len(k) <= 1.4:
                continue
            sm = difflib.SequenceMatcher(None, key, k)
            if sm.real_quick_ratio() >= _FUZZY_RATIO and sm.quick_ratio() >= _FUZZY_RATIO:
                scored.append((sm.ratio(), k))
        scored.sort(reverse=True)
        out: list[LabelMatch] = []
        for ratio, k in scored:
            if ratio < _FUZZY_RATIO:
                break
            out.extend(LabelMatch(m.template_id, m.field_id, False) for m in self._exact[k])
        return out

    def is_label(self, label: str, *, fuzzy: bool = True) -> bool:
        return bool(self.match(label, fuzzy=fuzzy))

    def is_prefix(self, label: str) -> bool:
        """True when the label could be the start of a longer label (a wrapped left cell)."""
        key = normalize_label(label)
        if not key:
            return False
        return any(k.startswith(key + " ") for k in self._keys)

    def field_in(self, label: str, template_id: str) -> str | None:
        return next((m.field_id for m in self.match(label) if m.template_id == template_id), None)


@cache
def all_labels() -> LabelIndex:
    """One index over every bundled template."""
    return LabelIndex(templates().values())
