"""Which layout (template) a report is written on, and how sure we are.

Evidence per template, all from data (the templates' YAML):

- its **labels**: each distinct field whose label the report uses counts, weighted by how
  distinctive the label is (a label only this template has counts 1; one shared by four
  templates counts 1/4);
- its **heading** pattern matching the report's first line (``IGF 2016 Workshop Report``);
- the **year** the report gives (its IGF id, or the date) falling in the years the layout was
  used.

The template with the highest score wins. The confidence (0–1) combines how much of the
winning template the report covers, how far ahead of the runner-up it is, and whether the
heading or year agree. No label and no heading at all is an unknown layout.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from equals.sessions.labels import LabelIndex
from equals.sessions.template import DEFAULT_TEMPLATE, ReportTemplate

UNCERTAIN = 0.4  # below this confidence the parser warns that the layout is a guess
HEADING_WEIGHT = 2.0
YEAR_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class Detection:
    template: str
    confidence: float
    known: bool  # False: nothing in the report matched any layout
    forced: bool = False  # chosen by the caller (--template), not detected
    heading: bool = False
    year: int | None = None
    fields: tuple[str, ...] = ()  # the winning template's fields found in the report
    alternatives: tuple[tuple[str, float], ...] = ()  # other layouts with their scores
    score: float = 0.0  # the chosen layout's score

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.template,
            "confidence": round(self.confidence, 3),
            "known": self.known,
            "forced": self.forced,
            "heading": self.heading,
            "year": self.year,
            "fields_found": list(self.fields),
            "alternatives": [{"id": t, "score": round(s, 3)} for t, s in self.alternatives],
            "score": round(self.score, 3),
        }

    @classmethod
    def from_record(cls, d: Mapping[str, Any]) -> Detection:
        return cls(
            template=str(d["id"]),
            confidence=float(d.get("confidence", 0.0)),
            known=bool(d.get("known", True)),
            forced=bool(d.get("forced", False)),
            heading=bool(d.get("heading", False)),
            year=d.get("year"),
            fields=tuple(d.get("fields_found", ())),
            alternatives=tuple((a["id"], float(a["score"])) for a in d.get("alternatives", ())),
            score=float(d.get("score", 0.0)),
        )


def detect(
    labels: Iterable[str],
    heading_key: str,
    tmpls: Mapping[str, ReportTemplate],
    index: LabelIndex,
    *,
    year: int | None = None,
    forced: str | None = None,
) -> Detection:
    """Score every template against the report's block labels, heading and year."""
    matches = {label: index.match(label) for label in set(labels)}
    found: dict[str, dict[str, float]] = defaultdict(dict)  # template → field → weight
    for hits in matches.values():
        owners = {m.template_id for m in hits}
        for m in hits:
            weight = 1 / len(owners)
            fields = found[m.template_id]
            fields[m.field_id] = max(fields.get(m.field_id, 0.0), weight)
    scores: dict[str, float] = {}
    headed: dict[str, bool] = {}
    for tid, t in tmpls.items():
        headed[tid] = bool(heading_key) and t.matches_heading(heading_key)
        score = sum(found[tid].values())
        score += HEADING_WEIGHT * headed[tid] + YEAR_WEIGHT * t.used_in(year)
        scores[tid] = score
    ranked = sorted(
        tmpls,
        key=lambda tid: (
            -scores[tid],
            -len(found[tid]),
            tid != DEFAULT_TEMPLATE,
            tid,
        ),
    )
    anything = any(found.values()) or any(headed.values())
    best = forced or (ranked[0] if anything else DEFAULT_TEMPLATE)
    others = tuple((t, scores[t]) for t in ranked if t != best and scores[t] > 0)
    if forced:
        return Detection(
            best,
            1.0,
            True,
            True,
            headed[best],
            year,
            tuple(sorted(found[best])),
            others,
            scores[best],
        )
    if not anything:
        return Detection(best, 0.0, False, year=year)
    t = tmpls[best]
    coverage = len(found[best]) / len(t.fields)
    second = max((s for _, s in others), default=0.0)
    margin = (scores[best] - second) / scores[best] if scores[best] else 0.0
    agrees = 1.0 if headed[best] or t.used_in(year) else 0.0
    confidence = min(1.0, 0.4 * min(1.0, coverage / 0.6) + 0.4 * margin + 0.2 * agrees)
    return Detection(
        best,
        confidence,
        True,
        heading=headed[best],
        year=year,
        fields=tuple(sorted(found[best])),
        alternatives=others,
        score=scores[best],
    )
