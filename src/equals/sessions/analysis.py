"""Analysis of session reports: action-area tags with evidence, panel diversity, and gender
balance where — and only where — the report states it.

Action areas come from a phrase lexicon (``data/action_areas.yaml``): a sentence that contains a
phrase is evidence for that area, and every tag carries its sentences so a reader can check it.
Gender is never inferred from names: it is reported only from stated counts (the 2018
template's participants / women present fields).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.sessions.model import ParsedReport
from equals.sessions.text import split_sentences

PROSE_FIELDS = ("title", "key_issues", "presentations", "discussions", "suggestions")


@dataclass(frozen=True, slots=True)
class Evidence:
    field: str
    sentence: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionAreaTag:
    area: Pillar
    evidence: tuple[Evidence, ...]

    def to_record(self) -> dict[str, Any]:
        return {
            "area": self.area.value,
            "sentences": len(self.evidence),
            "evidence": [
                {"field": e.field, "sentence": e.sentence, "terms": list(e.terms)}
                for e in self.evidence
            ],
        }


@cache
def lexicon() -> dict[Pillar, tuple[tuple[str, re.Pattern[str]], ...]]:
    """Each action area's phrases with their compiled whole-word patterns."""
    text = (resources.files("equals.sessions") / "data" / "action_areas.yaml").read_text("utf-8")
    out: dict[Pillar, tuple[tuple[str, re.Pattern[str]], ...]] = {}
    for area, phrases in yaml.safe_load(text).items():
        compiled = []
        for phrase in phrases:
            body = re.escape(str(phrase).rstrip("*")).replace(r"\ ", r"\s+")
            tail = r"\w*" if str(phrase).endswith("*") else r"\b"
            compiled.append((str(phrase), re.compile(rf"\b{body}{tail}", re.IGNORECASE)))
        out[Pillar(area)] = tuple(compiled)
    return out


def _prose(report: ParsedReport) -> Iterable[tuple[str, str]]:
    for name in PROSE_FIELDS:
        value = getattr(report, name)
        for item in (value,) if isinstance(value, str) else value or ():
            for sentence in split_sentences(item):
                yield name, sentence
    for extra in report.extra:
        if isinstance(extra.value, tuple) and extra.kind in ("paragraphs", "sentences"):
            for item in extra.value:
                for sentence in split_sentences(item):
                    yield extra.id, sentence


def action_areas(report: ParsedReport) -> tuple[ActionAreaTag, ...]:
    """The action areas a report discusses, in Access/Skills/Leadership order."""
    found: dict[Pillar, list[Evidence]] = {}
    for field, sentence in _prose(report):
        for area, phrases in lexicon().items():
            terms = tuple(p for p, rx in phrases if rx.search(sentence))
            if terms:
                found.setdefault(area, []).append(Evidence(field, sentence, terms))
    return tuple(ActionAreaTag(a, tuple(found[a])) for a in Pillar if a in found)


@dataclass(frozen=True, slots=True)
class GenderBalance:
    """Stated counts only: ``None`` means the report does not say."""

    participants: int | None
    women: int | None

    @property
    def women_share(self) -> float | None:
        if self.participants and self.women is not None:
            return self.women / self.participants
        return None

    def to_record(self) -> dict[str, Any]:
        return {
            "participants": self.participants,
            "women": self.women,
            "women_share": self.women_share,
            "basis": "stated in the report" if self.women is not None else "not stated",
        }


def gender_balance(report: ParsedReport) -> GenderBalance:
    """Stated participants and women: the report's participation reading (count fields or
    the 2019 prose, onsite + online when no total is given), else its count fields."""
    p = report.participation
    if p is not None and (p.participants is not None or p.women is not None):
        return GenderBalance(
            p.participants.value if p.participants else None,
            p.women.value if p.women else None,
        )

    def count(field_id: str) -> int | None:
        e = report.extra_field(field_id)
        return e.value if e is not None and isinstance(e.value, int) else None

    return GenderBalance(count("participants"), count("women"))


@dataclass(frozen=True, slots=True)
class Diversity:
    """Stakeholder-group balance and organisations of one or more panels."""

    sessions: int
    speakers: int
    groups: tuple[tuple[str, int], ...]  # stakeholder group (or "not stated") → speakers
    organizations: tuple[tuple[str, int], ...]  # canonical organisation → speakers
    balance: float  # Shannon evenness over the stated groups, 0..1 (1 = all equal)
    participants: int | None = None
    women: int | None = None

    def to_record(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "speakers": self.speakers,
            "stakeholder_groups": dict(self.groups),
            "distinct_groups": sum(1 for g, _ in self.groups if g != "not stated"),
            "organizations": dict(self.organizations),
            "group_balance": round(self.balance, 4),
            "gender": GenderBalance(self.participants, self.women).to_record(),
        }


def _evenness(counts: Sequence[int]) -> float:
    counts = [c for c in counts if c]
    total = sum(counts)
    if len(counts) < 2:
        return 0.0
    h = -sum(c / total * math.log(c / total) for c in counts)
    return h / math.log(len(StakeholderGroup))


def diversity(reports: Sequence[ParsedReport]) -> Diversity:
    """Panel diversity of one session (a one-item list) or across an event."""
    groups: Counter[str] = Counter()
    orgs: Counter[str] = Counter()
    for r in reports:
        for p in r.speakers:
            groups[p.stakeholder_group.value if p.stakeholder_group else "not stated"] += 1
            if p.organization:
                orgs[p.organization.name] += 1
    stated = [gender_balance(r) for r in reports]
    both = [g for g in stated if g.participants is not None and g.women is not None]
    return Diversity(
        sessions=len(reports),
        speakers=sum(groups.values()),
        groups=tuple(groups.most_common()),
        organizations=tuple(orgs.most_common()),
        balance=_evenness([n for g, n in groups.items() if g != "not stated"]),
        participants=sum(g.participants or 0 for g in both) if both else None,
        women=sum(g.women or 0 for g in both) if both else None,
    )
