"""Participation and gender reflection, read into numbers — only as the report states them.

Sources, by layout: the count fields of the short reports (``participants``,
``participants_onsite``/``_online``, ``women``), the prose of the 2019 report's "Estimated
Participation" section (``participation``), and the gender-reflection text (``gender_issues``,
2015's ``gender_extent``). From prose we read sentences such as "about 80 participants in the
room and 20 online, of whom around 45 were women", "60% women", "roughly half were women",
"3 of the 5 speakers were women", "the moderator was a woman".

Never from names: nothing here looks at a person's name. A figure the text does not state is
``None``, and ``missing`` lists what is not stated. Every count keeps the phrase it came from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from equals.sessions.numbers import HEDGE, NUMBER, Count, first_count, quantity, to_int

_Q = rf"(?P<hedge>{HEDGE}\s*)?(?P<low>{NUMBER})(?:\s*(?:-|–|to)\s*(?P<high>{NUMBER}))?(?P<plus>\+)?"
_WOMEN = (
    r"(?:women(?:\s+and\s+(?:gender[-\s]?(?:variant|diverse|non[-\s]?conforming)|non[-\s]?binary)"
    r"(?:\s+(?:individuals|people|persons|participants))?)?|female(?:\s+participants)?|girls)"
)
_PEOPLE = r"(?:participants|attendees|people|persons|delegates|members\s+of\s+the\s+audience)"
_ONSITE = (
    r"(?:on[-\s]?site|in[-\s]the[-\s]room|in[-\s]person|physically(?:\s+present)?|in\s+attendance)"
)
_ONLINE = r"(?:online|remote(?:ly)?|virtual(?:ly)?|via\s+\w+|connected\s+remotely)"
_SPEAKERS = r"(?:speakers|panel+ists|presenters|discussants)"
_FRACTIONS = {
    "half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
    "two thirds": 2 / 3, "two-thirds": 2 / 3, "a quarter": 0.25, "one quarter": 0.25,
    "three quarters": 0.75, "three-quarters": 0.75, "all": 1.0,
}  # fmt: skip
_FRACTION = "|".join(re.escape(k) for k in sorted(_FRACTIONS, key=len, reverse=True))


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_RX_WOMEN_OF_WHOM = _rx(rf"\bof\s+(?:whom|which|them|these)\s*,?\s*{_Q}\s+(?:were\s+)?{_WOMEN}")
_RX_WOMEN_OF_THEM = _rx(rf"{_Q}\s+of\s+(?:whom|them|these)\s+(?:were\s+)?{_WOMEN}")
_RX_WOMEN_COUNT = _rx(
    rf"{_Q}\s+(?:were\s+|are\s+)?{_WOMEN}(?!\s+{_SPEAKERS})(?!\s+(?:moderator|speaker))"
)
_RX_WOMEN_LABEL = _rx(rf"{_WOMEN}\s*(?:[:=]|were|numbered|count(?:ed)?)\s*{_Q}")
_RX_SHARE_PCT = _rx(
    rf"(?P<pct>\d{{1,3}}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)\s+(?:of\s+(?:the\s+)?{_PEOPLE}\s+)?"
    rf"(?:were\s+)?{_WOMEN}|{_WOMEN}\s+(?:made\s+up|were|represented|accounted\s+for|comprised)"
    rf"\s+(?:{HEDGE}\s*)?(?P<pct2>\d{{1,3}}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)"
)
_RX_SHARE_WORD = _rx(
    rf"(?:(?:{HEDGE}|more\s+than|over|just\s+over|slightly\s+(?:more|less)\s+than)\s+)?"
    rf"(?P<frac>{_FRACTION})\s+(?:(?:of\s+(?:the\s+|those\s+present\s*)?(?:{_PEOPLE}\s+)?)?"
    rf"(?:were|was|are)\s+|of\s+(?:them|whom)\s+(?:were\s+)?){_WOMEN}"
)
_RX_PEOPLE = _rx(
    rf"{_Q}\s+(?:(?P<where1>{_ONSITE}|{_ONLINE})\s+)?{_PEOPLE}(?:\s+(?:were\s+)?(?:joined\s+|participated\s+|attended\s+)?(?P<where2>{_ONSITE}|{_ONLINE}))?"
)
_RX_WHERE_NUMBER = _rx(
    rf"(?P<where>{_ONSITE}|{_ONLINE})\s*(?:participants|attendees)?\s*[:=]\s*{_Q}"
)
_RX_JOINING = _rx(
    rf"{_Q}\s+(?:more\s+|others\s+|people\s+|participants\s+)?(?:joining|joined|"
    rf"participating|participated|connected|connecting|following|followed|attending|attended)"
    rf"\s+(?:the\s+session\s+)?(?P<where>{_ONSITE}|{_ONLINE})"
)
_RX_AND_WHERE = _rx(rf"\band\s+{_Q}\s+(?P<where>{_ONSITE}|{_ONLINE})")
_RX_SPEAKERS_OF = _rx(
    rf"{_Q}\s+(?:out\s+)?of\s+(?:the\s+)?(?P<n2>{NUMBER})\s+{_SPEAKERS}\s+(?:were\s+)?{_WOMEN}"
    rf"|(?P<w3>{NUMBER})\s+(?:{_WOMEN}\s+)?{_SPEAKERS}?\s*(?:women\s+)?(?:out\s+)?of\s+(?:the\s+)?(?P<n3>{NUMBER})\s+{_SPEAKERS}\s+(?:were\s+)?{_WOMEN}"
    rf"|(?P<w4>{NUMBER})\s+(?:{_WOMEN})\s+{_SPEAKERS}\s+(?:out\s+)?of\s+(?:the\s+)?(?P<n4>{NUMBER})"
    rf"|(?P<n5>{NUMBER})\s+{_SPEAKERS}\s*\(\s*(?P<w5>{NUMBER})\s+{_WOMEN}"
    rf"|(?P<w6>{NUMBER})\s+(?:{_WOMEN})\s+and\s+(?P<m6>{NUMBER})\s+(?:men|male)\s+{_SPEAKERS}"
)
_RX_MODERATOR_WOMAN = _rx(
    r"\b(?:the|our|session'?s?)\s+(?:on[-\s]?site\s+|online\s+)?moderator\s+(?:was|is)\s+(?:a\s+)?(?:woman|female)"
    r"|\b(?:a|the)\s+(?:female|woman)\s+moderator\b"
)
_RX_MODERATORS_WOMEN = _rx(
    rf"\b(?:both|all)\s+(?:(?P<n>{NUMBER})\s+)?moderators\s+(?:were\s+)?(?:women|female)"
)
_RX_MODERATOR_MAN = _rx(
    r"\b(?:the|our)\s+(?:on[-\s]?site\s+|online\s+)?moderator\s+(?:was|is)\s+(?:a\s+)?(?:man|male)"
)
_RX_NOT_DISCUSSED = _rx(
    r"^\s*(?:no|none|n/?a|not\s+at\s+all|not\s+applicable)\b"
    r"|\b(?:did\s+not|didn'?t|does\s+not|was\s+not|were\s+not|not)\s+(?:specifically\s+|explicitly\s+|directly\s+)?"
    r"(?:discuss|address|cover|touch|discussed|addressed|covered|mentioned|raised)"
    r"|\bno\s+(?:specific\s+|explicit\s+|direct\s+)?(?:discussion|mention|reference)"
)


@dataclass(frozen=True, slots=True)
class Participation:
    participants: Count | None = None  # everyone (onsite + online when only those are given)
    onsite: Count | None = None
    online: Count | None = None
    women: Count | None = None  # women and gender-variant/-diverse people, as stated
    women_share_stated: float | None = None  # "60% women", "about half were women"
    women_share_text: str = ""
    speakers: int | None = None  # speakers the gender statement is about
    women_speakers: int | None = None
    moderators: int | None = None
    women_moderators: int | None = None
    gender_discussed: bool | None = None  # from the gender-reflection text
    texts: tuple[tuple[str, str], ...] = ()  # (field id, the text as written)
    total_from_parts: bool = False  # participants = onsite + online (not stated as a total)

    @property
    def women_share(self) -> float | None:
        """Women's share of participants: stated counts first, else the stated share."""
        if self.women is not None and self.participants is not None and self.participants.value:
            return min(1.0, self.women.value / self.participants.value)
        return self.women_share_stated

    @property
    def missing(self) -> tuple[str, ...]:
        out = []
        if self.participants is None:
            out.append("participants")
        if self.women is None and self.women_share_stated is None:
            out.append("women")
        if self.women_speakers is None:
            out.append("women_speakers")
        if self.women_moderators is None:
            out.append("women_moderators")
        if self.gender_discussed is None:
            out.append("gender_reflection")
        return tuple(out)

    def to_record(self) -> dict[str, Any]:
        def c(x: Count | None) -> dict[str, Any] | None:
            return x.to_record() if x else None

        share = self.women_share
        return {
            "participants": c(self.participants),
            "onsite": c(self.onsite),
            "online": c(self.online),
            "total_from_parts": self.total_from_parts,
            "women": c(self.women),
            "women_share": round(share, 4) if share is not None else None,
            "women_share_stated": self.women_share_stated,
            "women_share_text": self.women_share_text,
            "speakers": self.speakers,
            "women_speakers": self.women_speakers,
            "moderators": self.moderators,
            "women_moderators": self.women_moderators,
            "gender_discussed": self.gender_discussed,
            "missing": list(self.missing),
            "texts": dict(self.texts),
        }

    @classmethod
    def from_record(cls, d: Mapping[str, Any]) -> Participation:
        def c(x: Any) -> Count | None:
            return Count.from_record(x) if x else None

        return cls(
            participants=c(d.get("participants")),
            onsite=c(d.get("onsite")),
            online=c(d.get("online")),
            women=c(d.get("women")),
            women_share_stated=d.get("women_share_stated"),
            women_share_text=d.get("women_share_text") or "",
            speakers=d.get("speakers"),
            women_speakers=d.get("women_speakers"),
            moderators=d.get("moderators"),
            women_moderators=d.get("women_moderators"),
            gender_discussed=d.get("gender_discussed"),
            texts=tuple((k, v) for k, v in (d.get("texts") or {}).items()),
            total_from_parts=bool(d.get("total_from_parts", False)),
        )


@dataclass
class _Reading:
    participants: Count | None = None
    onsite: Count | None = None
    online: Count | None = None
    women: Count | None = None
    share: float | None = None
    share_text: str = ""
    speakers: int | None = None
    women_speakers: int | None = None
    moderators: int | None = None
    women_moderators: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _where(text: str | None) -> str | None:
    if not text:
        return None
    return "onsite" if re.fullmatch(_ONSITE, text, re.IGNORECASE) else "online"


def _int(m: re.Match[str], group: str) -> int | None:
    return to_int(m.group(group)) if m.group(group) else None


def read_prose(text: str) -> _Reading:
    """Participation figures stated in free text (the first statement of each kind wins)."""
    r = _Reading()
    for m in _RX_SPEAKERS_OF.finditer(text):
        pairs = [("low", "n2"), ("w3", "n3"), ("w4", "n4"), ("w5", "n5")]
        for wg, ng in pairs:
            if m.group(wg) and m.group(ng):
                r.women_speakers, r.speakers = _int(m, wg), _int(m, ng)
                break
        else:
            if m.group("w6"):
                women, men = _int(m, "w6"), _int(m, "m6")
                if women is not None and men is not None:
                    r.women_speakers, r.speakers = women, women + men
        break
    if _RX_MODERATOR_WOMAN.search(text):
        r.women_moderators, r.moderators = 1, 1
    elif m2 := _RX_MODERATORS_WOMEN.search(text):
        n = _int(m2, "n") or 2
        r.women_moderators, r.moderators = n, n
    elif _RX_MODERATOR_MAN.search(text):
        r.women_moderators, r.moderators = 0, 1
    # Women: "of whom 45 were women" before "45 women" (which also matches speakers' text).
    speaker_spans = [m.span() for m in _RX_SPEAKERS_OF.finditer(text)]
    for rx in (_RX_WOMEN_OF_WHOM, _RX_WOMEN_OF_THEM, _RX_WOMEN_LABEL, _RX_WOMEN_COUNT):
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in speaker_spans):
                continue
            if (c := quantity(m)) is not None:
                r.women = c
                break
        if r.women is not None:
            break
    if pm := _RX_SHARE_PCT.search(text):
        pct = float(pm.group("pct") or pm.group("pct2"))
        if 0 <= pct <= 100:
            r.share, r.share_text = pct / 100, " ".join(pm.group(0).split())
    elif fm := _RX_SHARE_WORD.search(text):
        r.share = _FRACTIONS[" ".join(fm.group("frac").lower().split())]
        r.share_text = " ".join(fm.group(0).split())
    where_spans = []
    for m in _RX_WHERE_NUMBER.finditer(text):
        c = quantity(m)
        if c is not None:
            _set_where(r, _where(m.group("where")), c)
            where_spans.append(m.span())
    for m in _RX_JOINING.finditer(text):
        if (c := quantity(m)) is not None:
            _set_where(r, _where(m.group("where")), c)
            where_spans.append(m.span())
    for m in _RX_PEOPLE.finditer(text):
        c = quantity(m)
        if c is None or any(a <= m.start() < b for a, b in where_spans):
            continue
        where = _where(m.group("where1") or m.group("where2"))
        if where is None and r.participants is None:
            r.participants = c
        else:
            _set_where(r, where, c)
        tail = text[m.end() : m.end() + 80]
        if (m3 := _RX_AND_WHERE.match(tail.lstrip(" ,"))) and (c3 := quantity(m3)):
            c3 = Count(c3.value, c3.low, c3.high, c3.approximate, c3.text.removeprefix("and "))
            _set_where(r, _where(m3.group("where")), c3)
    return r


def _set_where(r: _Reading, where: str | None, c: Count) -> None:
    if where == "onsite" and r.onsite is None:
        r.onsite = c
    elif where == "online" and r.online is None:
        r.online = c


def gender_discussed(text: str) -> bool | None:
    """False for "No" / "gender was not discussed"; True for any other reflection; None if empty."""
    t = " ".join(text.split())
    if not t:
        return None
    return not _RX_NOT_DISCUSSED.search(t)


def participation(fields: Mapping[str, str]) -> Participation | None:
    """Read the participation fields of one report (field id → text as written).

    ``participants``/``participants_onsite``/``participants_online``/``women`` are short
    answers (the first number counts); ``participation`` is prose; ``gender_issues`` and
    ``gender_extent`` are the reflection. None when the report has none of them.
    """
    texts = {k: " ".join(v.split()) for k, v in fields.items() if v and v.strip()}
    if not texts:
        return None
    r = read_prose(texts.get("participation", ""))
    # The form's own count fields take precedence over numbers read from prose.
    participants = _count(texts.get("participants")) or r.participants
    onsite = _count(texts.get("participants_onsite")) or r.onsite
    online = _count(texts.get("participants_online")) or r.online
    women_text = texts.get("women", "")
    share, share_text = r.share, r.share_text
    if pct := _PERCENT.search(women_text):  # "About 50%" is a share, not 50 women
        women = r.women
        share, share_text = float(pct.group(1)) / 100, women_text
    else:
        women = _count(women_text) or r.women
    if women_text and women is None and not pct:
        w = read_prose(women_text)
        share, share_text = (w.share, w.share_text) if w.share is not None else (share, share_text)
    if participants is not None and (onsite or online) is None and "participants" in texts:
        inner = read_prose(texts["participants"])
        onsite, online = onsite or inner.onsite, online or inner.online
    from_parts = False
    if participants is None and onsite is not None and online is not None:
        participants = Count(
            onsite.value + online.value,
            onsite.low + online.low,
            onsite.high + online.high,
            onsite.approximate or online.approximate,
            f"{onsite.text} + {online.text}",
        )
        from_parts = True
    reflection = " ".join(texts.get(k, "") for k in ("gender_extent", "gender_issues")).strip()
    g = read_prose(reflection)
    return Participation(
        participants=participants,
        onsite=onsite,
        online=online,
        women=women,
        women_share_stated=share,
        women_share_text=share_text,
        speakers=r.speakers if r.speakers is not None else g.speakers,
        women_speakers=r.women_speakers if r.women_speakers is not None else g.women_speakers,
        moderators=r.moderators if r.moderators is not None else g.moderators,
        women_moderators=(
            r.women_moderators if r.women_moderators is not None else g.women_moderators
        ),
        gender_discussed=gender_discussed(reflection),
        texts=tuple(sorted(texts.items())),
        total_from_parts=from_parts,
    )


_PERCENT = re.compile(r"(\d{1,2}(?:\.\d+)?|100)\s*(?:%|per\s*cent|percent)", re.IGNORECASE)


def _count(text: str | None) -> Count | None:
    if not text:
        return None
    return first_count(text)
