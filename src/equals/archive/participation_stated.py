"""What a report states about who took part: counts only as written, never inferred.

IGF reports from 2018 on carry the estimated participants, the women and gender-variant
individuals present and a gender-reflection section; some also state how many speakers or
moderators were women. Gender is never guessed from a name: a figure the report does not
state is ``None`` ("not stated").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from equals.sessions.model import ParsedReport

# Field ids the templates (and parser) use for each stated figure, first found wins.
PARTICIPANTS = ("participants",)
WOMEN = ("women",)
WOMEN_SPEAKERS = ("women_speakers", "female_speakers")
WOMEN_MODERATORS = ("women_moderators", "female_moderators")
REFLECTION = ("gender_issues", "gender_reflection")


def _count(report: ParsedReport, ids: tuple[str, ...]) -> int | None:
    for field_id in ids:
        e = report.extra_field(field_id)
        if e is not None and isinstance(e.value, int) and not isinstance(e.value, bool):
            return e.value if 0 <= e.value < 2**31 else None
    return None


@dataclass(frozen=True, slots=True)
class StatedParticipation:
    participants: int | None = None
    women: int | None = None
    women_speakers: int | None = None
    women_moderators: int | None = None
    gender_reflection: bool | None = None  # None: the template has no such section

    @property
    def any(self) -> bool:
        return any(v is not None for v in self.columns().values())

    def columns(self) -> dict[str, Any]:
        return {
            "participants": self.participants,
            "women": self.women,
            "women_speakers": self.women_speakers,
            "women_moderators": self.women_moderators,
            "gender_reflection": self.gender_reflection,
        }


def stated_participation(report: ParsedReport) -> StatedParticipation:
    p = report.participation
    if p is not None:  # the parser's reading (counts from fields and prose)
        return StatedParticipation(
            participants=p.participants.value if p.participants else None,
            women=p.women.value if p.women else None,
            women_speakers=p.women_speakers,
            women_moderators=p.women_moderators,
            gender_reflection=p.gender_discussed,
        )
    reflection: bool | None = None
    for field_id in REFLECTION:
        e = report.extra_field(field_id)
        if e is not None:
            reflection = bool((e.text or "").strip())
            break
    return StatedParticipation(
        participants=_count(report, PARTICIPANTS),
        women=_count(report, WOMEN),
        women_speakers=_count(report, WOMEN_SPEAKERS),
        women_moderators=_count(report, WOMEN_MODERATORS),
        gender_reflection=reflection,
    )
