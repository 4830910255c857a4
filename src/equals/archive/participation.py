"""Women's participation across filed reports, only as the reports state it.

IGF reports since 2018 estimate the participants and the women and gender-variant individuals
present, and reflect on gender; some say how many speakers or moderators were women. Each
session's current revision is read (its ``participation``, see
:mod:`equals.sessions.participation`); nothing is inferred, least of all from names.

Figures per group (event, year, theme, stakeholder group of a speaker, or all):

- ``women_share`` — pooled: Σ women ÷ Σ participants over the reports that state both counts;
- ``women_share_mean`` — the mean of per-report shares over the reports that state a share
  (both counts, or a share in words such as "about half were women");
- ``women_speakers_share`` — Σ women speakers ÷ Σ speakers over the reports that state how many
  speakers were women (speakers: as the statement gives them, else the speakers listed);
- ``women_moderators_share`` — likewise for moderators;
- ``gender_discussed`` — reports whose gender reflection says gender was discussed, of those
  that have one.

Each figure carries the number of reports behind it, and ``missing`` counts the reports that do
not state each item. A session with speakers of several stakeholder groups counts in each.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from equals.archive.repository import SessionFilter
from equals.sessions.model import ParsedReport
from equals.sessions.record_io import from_record
from equals.store import Store
from equals.store.tables.sessions import events, report_revisions, sessions


class GroupBy(StrEnum):
    ALL = "all"
    EVENT = "event"
    YEAR = "year"
    THEME = "theme"
    STAKEHOLDER_GROUP = "stakeholder_group"


@dataclass(frozen=True, slots=True)
class SessionFigures:
    """One report's stated figures (None: not stated)."""

    session_id: int
    event: str
    year: int
    theme: str | None
    groups: tuple[str, ...]  # stakeholder groups of its speakers
    participants: int | None
    women: int | None
    share: float | None  # women's share: from the counts, else as stated
    speakers: int | None
    women_speakers: int | None
    moderators: int | None
    women_moderators: int | None
    gender_discussed: bool | None


def figures(
    session_id: int, event: str, year: int, theme: str | None, r: ParsedReport
) -> SessionFigures:
    p = r.participation
    groups = tuple(sorted({s.stakeholder_group.value for s in r.speakers if s.stakeholder_group}))
    if p is None:
        return SessionFigures(
            session_id, event, year, theme, groups, None, None, None, None, None, None, None, None
        )
    participants = p.participants.value if p.participants else None
    women = p.women.value if p.women else None
    speakers = p.speakers if p.speakers is not None else (len(r.speakers) or None)
    moderators = p.moderators if p.moderators is not None else (len(r.moderators) or None)
    return SessionFigures(
        session_id=session_id,
        event=event,
        year=year,
        theme=theme,
        groups=groups,
        participants=participants,
        women=women,
        share=p.women_share,
        speakers=speakers if p.women_speakers is not None else None,
        women_speakers=p.women_speakers,
        moderators=moderators if p.women_moderators is not None else None,
        women_moderators=p.women_moderators,
        gender_discussed=p.gender_discussed,
    )


@dataclass(frozen=True, slots=True)
class Ratio:
    value: float | None  # None when no report states it
    numerator: int | float
    denominator: int | float
    reports: int  # reports behind the figure

    def to_record(self) -> dict[str, Any]:
        return {
            "value": None if self.value is None else round(self.value, 4),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "reports": self.reports,
        }


def _pooled(pairs: Iterable[tuple[int | None, int | None]]) -> Ratio:
    both = [(n, d) for n, d in pairs if n is not None and d]
    num = sum(n for n, _ in both)
    den = sum(d for _, d in both)
    return Ratio(num / den if den else None, num, den, len(both))


@dataclass(frozen=True, slots=True)
class GroupFigures:
    key: str
    reports: int
    participants: int  # Σ over reports stating both counts
    women: int
    women_share: Ratio
    women_share_mean: Ratio
    women_speakers_share: Ratio
    women_moderators_share: Ratio
    gender_discussed: Ratio
    missing: dict[str, int]

    def to_record(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "reports": self.reports,
            "participants": self.participants,
            "women": self.women,
            "women_share": self.women_share.to_record(),
            "women_share_mean": self.women_share_mean.to_record(),
            "women_speakers_share": self.women_speakers_share.to_record(),
            "women_moderators_share": self.women_moderators_share.to_record(),
            "gender_discussed": self.gender_discussed.to_record(),
            "missing": dict(self.missing),
        }


def aggregate(key: str, rows: Sequence[SessionFigures]) -> GroupFigures:
    share = _pooled((r.women, r.participants) for r in rows)
    shares = [r.share for r in rows if r.share is not None]
    mean = Ratio(
        sum(shares) / len(shares) if shares else None, sum(shares), len(shares), len(shares)
    )
    reflected = [r.gender_discussed for r in rows if r.gender_discussed is not None]
    discussed = Ratio(
        sum(reflected) / len(reflected) if reflected else None,
        sum(reflected),
        len(reflected),
        len(reflected),
    )
    return GroupFigures(
        key=key,
        reports=len(rows),
        participants=int(share.denominator),
        women=int(share.numerator),
        women_share=share,
        women_share_mean=mean,
        women_speakers_share=_pooled((r.women_speakers, r.speakers) for r in rows),
        women_moderators_share=_pooled((r.women_moderators, r.moderators) for r in rows),
        gender_discussed=discussed,
        missing={
            "participants": sum(1 for r in rows if r.participants is None),
            "women": sum(1 for r in rows if r.women is None and r.share is None),
            "women_speakers": sum(1 for r in rows if r.women_speakers is None),
            "women_moderators": sum(1 for r in rows if r.women_moderators is None),
            "gender_reflection": sum(1 for r in rows if r.gender_discussed is None),
        },
    )


@dataclass(frozen=True, slots=True)
class ParticipationReport:
    by: GroupBy
    groups: tuple[GroupFigures, ...]
    overall: GroupFigures

    def to_record(self) -> dict[str, Any]:
        return {
            "by": self.by.value,
            "basis": "stated in the reports; never inferred from names",
            "groups": [g.to_record() for g in self.groups],
            "overall": self.overall.to_record(),
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        ratios = ("women_share", "women_share_mean", "women_speakers_share",
                  "women_moderators_share", "gender_discussed")  # fmt: skip
        missing = ("participants", "women", "women_speakers", "women_moderators",
                   "gender_reflection")  # fmt: skip
        w.writerow(
            [self.by.value, "reports", "participants", "women"]
            + [f"{r}{s}" for r in ratios for s in ("", "_reports")]
            + [f"missing_{m}" for m in missing]
        )
        for g in (*self.groups, self.overall):
            row: list[Any] = [g.key, g.reports, g.participants, g.women]
            for r in ratios:
                ratio: Ratio = getattr(g, r)
                row += ["" if ratio.value is None else round(ratio.value, 4), ratio.reports]
            row += [g.missing[m] for m in missing]
            w.writerow(row)
        return out.getvalue()


def session_figures(store: Store, filters: SessionFilter | None = None) -> list[SessionFigures]:
    s, e, r = sessions, events, report_revisions
    q = (filters or SessionFilter()).apply(
        select(s.c.id, e.c.name, e.c.year, s.c.theme, r.c.record)
        .select_from(s)
        .join(e, e.c.id == s.c.event_id)
        .join(r, r.c.id == s.c.current_revision_id)
        .order_by(s.c.id)
    )
    with store.connect() as conn:
        rows = conn.execute(q).all()
    return [
        figures(int(sid), name, int(year), theme, from_record(json.loads(record)))
        for sid, name, year, theme, record in rows
    ]


def participation(
    store: Store, by: GroupBy = GroupBy.YEAR, filters: SessionFilter | None = None
) -> ParticipationReport:
    rows = session_figures(store, filters)
    grouped: dict[str, list[SessionFigures]] = defaultdict(list)
    for row in rows:
        if by is GroupBy.EVENT:
            keys: Iterable[str] = [f"{row.event} {row.year}"]
        elif by is GroupBy.YEAR:
            keys = [str(row.year)]
        elif by is GroupBy.THEME:
            keys = [row.theme or "no theme stated"]
        elif by is GroupBy.STAKEHOLDER_GROUP:
            keys = row.groups or ("no group stated",)
        else:
            keys = ["all"]
        for k in keys:
            grouped[k].append(row)
    groups = tuple(aggregate(k, grouped[k]) for k in sorted(grouped))
    return ParticipationReport(by, groups, aggregate("all reports", rows))
