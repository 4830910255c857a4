"""Speaker, moderator and organiser lines in the shapes reports use.

Handled: ``Microsoft, Paul Mitchell – Private Sector``; ``Paul Mitchell, Microsoft``;
``Name, Title, Organisation, Country``; ``Speaker 1: Name, Stakeholder group, Regional
group``; ``Name (Organisation)``; lines wrapped in the middle of a stakeholder group
(``…Jac SM Kee Civil`` / ``Society``). Which part is the person is decided per part (known
organisations, organisation words, country names, job titles) and, when a line is ambiguous,
by the order the other lines of the same list use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from equals.core.vocabulary import StakeholderGroup
from equals.sessions.entities import (
    Organization,
    country_name,
    known_organization,
    normalize_organization,
    regional_group,
    stakeholder_group,
    trailing_stakeholder_group,
)
from equals.sessions.model import Person
from equals.sessions.text import clean, strip_bullet

_ROLE_PREFIX = re.compile(
    r"^(?:speaker|panelist|panellist|moderator|chair|rapporteur|presenter|discussant)s?"
    r"\s*\d*\s*[:.)–—-]\s*",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(
    r"^(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Professor|H\.\s?E|Hon|Amb|Ambassador|Sir|Dame|Eng)\.?\s+)+"
    r"(?=\S+\s+\S)"
)
_SEPARATORS = re.compile(r"\s*[,;]\s*|\s*[–—]\s*|\s+-\s*|(?<=[^\W\d])-\s+")
_ORG_WORDS = frozenset(
    [
        "foundation",
        "association",
        "ministry",
        "government",
        "university",
        "institute",
        "council",
        "agency",
        "commission",
        "organization",
        "organisation",
        "network",
        "alliance",
        "society",
        "center",
        "centre",
        "department",
        "bank",
        "group",
        "corporation",
        "company",
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "union",
        "federation",
        "authority",
        "office",
        "programme",
        "program",
        "project",
        "initiative",
        "forum",
        "partnership",
        "unit",
        "coalition",
        "trust",
        "fund",
        "school",
        "college",
        "academy",
        "secretariat",
        "committee",
        "consortium",
        "labs",
        "lab",
        "telecom",
        "telecommunications",
        "mobile",
    ]
)
_TITLE_WORDS = frozenset(
    [
        "director",
        "manager",
        "head",
        "chief",
        "officer",
        "minister",
        "secretary",
        "president",
        "ceo",
        "cto",
        "founder",
        "co-founder",
        "advisor",
        "adviser",
        "professor",
        "researcher",
        "coordinator",
        "lead",
        "specialist",
        "analyst",
        "consultant",
        "deputy",
        "ambassador",
        "senior",
        "fellow",
        "executive",
        "vp",
        "vice",
        "chairman",
        "chairwoman",
        "lecturer",
        "counsel",
        "editor",
        "journalist",
        "expert",
        "representative",
    ]
)
_PARTICLES = frozenset(
    [
        "de",
        "da",
        "di",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "al",
        "el",
        "la",
        "le",
        "y",
        "du",
    ]
)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text)


def is_title(text: str) -> bool:
    return any(w.lower() in _TITLE_WORDS for w in _words(text))


def org_score(text: str) -> int:
    """0 = nothing suggests an organisation … 3 = a known organisation."""
    if known_organization(text):
        return 3
    words = _words(text)
    if any(w.lower() in _ORG_WORDS for w in words) or "&" in text:
        return 2
    if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
        return 2  # an acronym: ITU, GSMA
    if country_name(text):
        return 1
    return 1 if len(words) == 1 else 0


def is_person_name(text: str) -> bool:
    words = _words(text)
    if not 2 <= len(words) <= 5 or org_score(text) >= 2 or country_name(text) or is_title(text):
        return False
    if all(w.isupper() for w in words):
        return False
    return all(w[0].isupper() or w.lower() in _PARTICLES for w in words)


@dataclass(frozen=True, slots=True)
class _Parts:
    raw: str
    parts: tuple[str, ...]
    group: StakeholderGroup | None
    region: str


def _split(line: str) -> _Parts:
    raw = clean(line)
    text, _ = strip_bullet(raw)
    text = _ROLE_PREFIX.sub("", text).strip()
    parts: list[str] = []
    for p in _SEPARATORS.split(text):
        p = p.strip(" .,;:-–—")
        if not p:
            continue
        m = re.match(r"^(.+?)\s*\((.+)\)$", p)
        if m and is_person_name(m.group(1)) and not is_person_name(m.group(2)):
            parts += [m.group(1), m.group(2)]
        else:
            parts.append(p)
    group: StakeholderGroup | None = None
    region = ""
    kept: list[str] = []
    for p in parts:
        if group is None and (g := stakeholder_group(p)) is not None:
            group = g
        elif not region and (r := regional_group(p)):
            region = r
        else:
            kept.append(p)
    if group is None and kept and (tail := trailing_stakeholder_group(kept[-1])):
        kept[-1], group = tail
    return _Parts(raw, tuple(kept), group, region)


def _name_first(parts: _Parts) -> bool | None:
    """Whether this line puts the person before the organisation (None: cannot tell)."""
    names = [i for i, p in enumerate(parts.parts) if is_person_name(p)]
    orgs = [i for i, p in enumerate(parts.parts) if org_score(p) >= 1 and i not in names]
    if len(names) == 1 and orgs:
        return names[0] < orgs[0]
    return None


def _person(parts: _Parts, name_first: bool) -> Person:
    ps = list(parts.parts)
    names = [p for p in ps if is_person_name(p)]
    if len(names) >= 2:
        name = names[0] if name_first else names[-1]
    elif names:
        name = names[0]
    elif len(ps) == 1 and org_score(ps[0]) < 2:
        name = ps[0]
    else:
        rest = [p for p in ps if org_score(p) == 0 and not is_title(p)]
        name = rest[0] if rest else ""
    if name:
        ps.remove(name)
    title = next((p for p in ps if is_title(p) and org_score(p) < 2), "")
    if title:
        ps.remove(title)
    if m := _HONORIFIC.match(name):  # "Dr. Hana Kovačević": the honorific is not the name
        name, title = name[m.end() :], title or m.group(0).strip()
    country = ""
    countries = [p for p in ps if country_name(p)]
    if countries and (len(ps) > 1 or parts.group is not StakeholderGroup.GOVERNMENT):
        country = countries[-1]
        if len(ps) > 1:
            ps.remove(country)
    org: Organization | None = None
    if ps:
        text = ", ".join(ps)
        nation = country_name(text)
        if nation and parts.group is StakeholderGroup.GOVERNMENT:
            org = normalize_organization(f"Government of {nation}")
            org = replace(org, raw=text)
        else:
            org = normalize_organization(text)
    return Person(
        name=name,
        organization=org,
        stakeholder_group=parts.group,
        title=title,
        country=country_name(country) or country if country else "",
        region=parts.region,
        raw=parts.raw,
    )


def _continues(previous: str, line: str) -> bool:
    """A wrapped speaker line: ``…Kee Civil`` + ``Society``, or a dangling separator."""
    if re.search(r"[,;(&–—-]$|\band$", previous.strip()):
        return True
    if line[:1].islower():
        return True
    words = previous.split()
    if "," not in line:
        for n in (1, 2):
            if len(words) >= n and stakeholder_group(" ".join([*words[-n:], line])):
                return True
        if stakeholder_group(line) is not None and _split(previous).group is None:
            return True
    return False


def join_wrapped(lines: Sequence[tuple[str, bool]]) -> list[str]:
    """One entry per person: blank lines dropped, bullets start entries, wraps joined."""
    items: list[str] = []
    for text, whole in lines:
        text = text.strip()
        if not text:
            continue
        _, bulleted = strip_bullet(text)
        # A Word paragraph is whole, unless it only carries the end of a wrapped line:
        # "Priya R, Technical Community," + "Asia-Pacific Group".
        tail = (
            bool(items)
            and items[-1].rstrip().endswith(",")
            and "," not in text
            and (regional_group(text) is not None or stakeholder_group(text) is not None)
        )
        if items and not bulleted and (not whole or tail) and _continues(items[-1], text):
            items[-1] = f"{items[-1]} {text}"
        else:
            items.append(text)
    return items


def parse_people(lines: Sequence[tuple[str, bool]], role_label: str = "") -> tuple[Person, ...]:
    return parse_people_chunks([(role_label, lines)])


def parse_people_chunks(
    chunks: Sequence[tuple[str, Sequence[tuple[str, bool]]]],
) -> tuple[Person, ...]:
    """People listed under one or more labels (``Moderator`` / ``Online Moderator``;
    ``Speaker 1`` … ``Additional Speakers``): each keeps its label as ``role_label``, and
    the name/organisation order is voted over all of them."""
    split = [(label, _split(item)) for label, lines in chunks for item in join_wrapped(lines)]
    votes = [v for _, s in split if (v := _name_first(s)) is not None]
    name_first = votes.count(True) >= votes.count(False)
    out = []
    for label, s in split:
        own = _name_first(s)
        person = _person(s, name_first if own is None else own)
        out.append(replace(person, role_label=label) if label else person)
    return tuple(out)


def parse_organizations(lines: Sequence[tuple[str, bool]]) -> tuple[Organization, ...]:
    """Organiser names: ``ITU & UN Women``; one per line; ``A, B and C`` when each is an org."""
    out: list[Organization] = []
    for item in join_wrapped(lines):
        text, _ = strip_bullet(item)
        pieces = [text]
        if not known_organization(text):
            parts = [p for p in re.split(r"\s*(?:[&;,+/]|\band\b)\s*", text) if p.strip()]
            if len(parts) > 1 and all(org_score(p) >= 2 for p in parts):
                pieces = parts
            else:
                pieces = [p for p in re.split(r"\s*[&;]\s*", text) if p.strip()]
        out.extend(o for p in pieces if (o := normalize_organization(p)).name)
    return tuple(out)
