"""People across filed reports: identities with their evidence, merge candidates with a
confidence, and an admin's reversible merges and splits (audited).

An identity is a ``people`` row (see :mod:`equals.archive.identity` for how filing links roles
to identities). Its evidence is what the reports say wherever it appears: the names as written,
organisations, stakeholder groups, regional groups, countries and event years. An admin merge
points one identity at another (``merged_into``): ids stay stable — a merged id answers with
the identity it now belongs to — and a split clears the pointer again.

Candidates pair identities whose folded names agree or nearly agree (same words in another
order, an initial for a first name, a small spelling difference), weighted by the evidence:
a shared organisation raises the confidence, different organisations lower it, a shared
stakeholder group or country adds a little. Pairs an admin marked as different people are never
offered again. Gender is never part of any of this.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from sqlalchemy import Connection, or_, select

from equals.archive.identity import canonical
from equals.archive.sql import insert_ignore
from equals.auth.audit import record_audit
from equals.auth.model import Actor, User, now
from equals.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from equals.core.i18n import Msg, localised
from equals.store import Store
from equals.store.tables.sessions import (
    events,
    organizations,
    people,
    person_distinct,
    session_roles,
    sessions,
)

MIN_CONFIDENCE = 0.3


class UnknownPersonError(NotFoundError):
    code = "unknown-person"

    def __init__(self, value: int | str) -> None:
        super().__init__("person", str(value))


@dataclass(frozen=True, slots=True)
class Appearance:
    session_id: int
    session_title: str
    event: str
    year: int
    role: str
    name: str  # as written in that report (the identity row's name)
    organization: str | None
    organization_id: str | None
    stakeholder_group: str | None
    country: str | None
    region: str | None


@dataclass(frozen=True, slots=True)
class Identity:
    id: int  # the canonical id (a merged id resolves here)
    name: str
    names: tuple[str, ...]  # every spelling seen
    members: tuple[int, ...]  # ids merged into this identity (itself first)
    appearances: tuple[Appearance, ...] = ()
    organizations: tuple[str, ...] = ()
    stakeholder_groups: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "names": list(self.names),
            "merged_ids": [m for m in self.members if m != self.id],
            "organizations": list(self.organizations),
            "stakeholder_groups": list(self.stakeholder_groups),
            "regions": list(self.regions),
            "countries": list(self.countries),
            "years": list(self.years),
            "sessions": [
                {
                    "session_id": a.session_id,
                    "title": a.session_title,
                    "event": a.event,
                    "year": a.year,
                    "role": a.role,
                    "name": a.name,
                    "organization": a.organization,
                    "organization_id": a.organization_id,
                    "stakeholder_group": a.stakeholder_group,
                    "country": a.country,
                    "region": a.region,
                }
                for a in self.appearances
            ],
        }


def _groups(conn: Connection) -> dict[int, list[int]]:
    """Canonical id → member ids, for every identity."""
    rows = conn.execute(select(people.c.id, people.c.merged_into)).all()
    parent = {int(i): (int(m) if m is not None else None) for i, m in rows}

    def root(i: int) -> int:
        seen = {i}
        while parent.get(i) is not None and parent[i] not in seen:
            i = parent[i]  # type: ignore[assignment]
            seen.add(i)
        return i

    out: dict[int, list[int]] = defaultdict(list)
    for i in sorted(parent):
        out[root(i)].append(i)
    return out


def _appearances(conn: Connection, ids: list[int]) -> dict[int, list[Appearance]]:
    ro, p, o, s, e = session_roles, people, organizations, sessions, events
    q = (
        select(
            ro.c.person_id,
            ro.c.session_id,
            s.c.title,
            e.c.name.label("event"),
            e.c.year,
            ro.c.role,
            p.c.name,
            o.c.name.label("org"),
            ro.c.organization_id,
            ro.c.stakeholder_group,
            ro.c.country,
            ro.c.region,
        )
        .join(p, p.c.id == ro.c.person_id)
        .join(s, s.c.id == ro.c.session_id)
        .join(e, e.c.id == s.c.event_id)
        .outerjoin(o, o.c.id == ro.c.organization_id)
        .where(ro.c.person_id.in_(ids))
        .order_by(e.c.year, ro.c.session_id, ro.c.id)
    )
    out: dict[int, list[Appearance]] = defaultdict(list)
    for r in conn.execute(q).all():
        out[int(r.person_id)].append(
            Appearance(
                r.session_id,
                r.title,
                r.event,
                r.year,
                r.role,
                r.name,
                r.org,
                r.organization_id,
                r.stakeholder_group,
                r.country,
                r.region,
            )
        )
    return out


def _uniq(values: Any) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _identity(conn: Connection, root: int, members: list[int]) -> Identity:
    names = dict(
        conn.execute(select(people.c.id, people.c.name).where(people.c.id.in_(members))).all()
    )
    apps_by = _appearances(conn, members)
    apps = sorted(
        (a for m in members for a in apps_by.get(m, [])), key=lambda a: (a.year, a.session_id)
    )
    return Identity(
        id=root,
        name=names[root],
        names=_uniq([names[root], *(names[m] for m in members)]),
        members=(root, *(m for m in members if m != root)),
        appearances=tuple(apps),
        organizations=_uniq(a.organization for a in apps),
        stakeholder_groups=_uniq(a.stakeholder_group for a in apps),
        regions=_uniq(a.region for a in apps),
        countries=_uniq(a.country for a in apps),
        years=tuple(sorted({a.year for a in apps})),
    )


def get_person(store: Store, person_id: int) -> Identity:
    """The identity ``person_id`` belongs to (after merges), with all its evidence."""
    with store.connect() as conn:
        if conn.execute(select(people.c.id).where(people.c.id == person_id)).first() is None:
            raise UnknownPersonError(person_id)
        root = canonical(conn, person_id)
        return _identity(conn, root, _groups(conn)[root])


def list_people(store: Store, query: str = "", *, limit: int = 100) -> list[Identity]:
    """Identities (canonical ones only) whose name contains ``query``, by name."""
    from equals.archive.identity import name_key
    from equals.archive.rules import check_text

    check_text(query, "q")
    key = name_key(query)
    with store.connect() as conn:
        groups = _groups(conn)
        q = select(people.c.id).where(people.c.merged_into.is_(None)).order_by(people.c.name)
        if key:
            q = q.where(or_(people.c.name_key.contains(key, autoescape=True)))
        ids = [int(i) for i in conn.execute(q.limit(limit)).scalars()]
        return [_identity(conn, i, groups.get(i, [i])) for i in ids]


# -- candidates ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    a: Identity
    b: Identity
    confidence: float  # 0..1
    reasons: tuple[str, ...] = field(default=())

    def to_record(self) -> dict[str, Any]:
        brief = ("id", "name", "names", "organizations", "stakeholder_groups", "years")
        return {
            "a": {k: v for k, v in self.a.to_record().items() if k in brief},
            "b": {k: v for k, v in self.b.to_record().items() if k in brief},
            "confidence": self.confidence,
            "reasons": list(self.reasons),
        }

    def localised_reasons(self) -> tuple[str, ...]:
        """The reasons in the current language (English in :meth:`to_record`)."""
        return tuple(localised(r) for r in self.reasons)


def name_similarity(a: str, b: str) -> tuple[float, str]:
    """How alike two folded names are, 0..1, with the reason."""
    if a == b:
        return 1.0, Msg("the same name")
    ta, tb = a.split(), b.split()
    if sorted(ta) == sorted(tb):
        return 0.95, Msg("the same names in another order")
    if len(ta) >= 2 and len(tb) >= 2 and ta[-1] == tb[-1]:
        fa, fb = ta[0], tb[0]
        if (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb)):
            return 0.8, Msg("an initial for the first name, same surname")
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if ratio >= 0.85:
        return round(ratio, 3), Msg("names %(share)s alike (spelling)", share=f"{ratio:.0%}")
    return 0.0, ""


def _evidence(a: Identity, b: Identity) -> tuple[float, list[str]]:
    reasons: list[str] = []
    score = 0.5  # no evidence either way
    shared_orgs = set(a.organizations) & set(b.organizations)
    if shared_orgs:
        score = 1.0
        reasons.append(Msg("same organisation: %(names)s", names=", ".join(sorted(shared_orgs))))
    elif a.organizations and b.organizations:
        score = 0.35
        reasons.append(
            Msg(
                "different organisations (%(first)s / %(second)s)",
                first=", ".join(a.organizations),
                second=", ".join(b.organizations),
            )
        )
    if set(a.stakeholder_groups) & set(b.stakeholder_groups):
        score += 0.1
        reasons.append(Msg("same stakeholder group"))
    if (set(a.countries) & set(b.countries)) or (set(a.regions) & set(b.regions)):
        score += 0.1
        reasons.append(Msg("same country or regional group"))
    return min(score, 1.0), reasons


def _distinct_pairs(conn: Connection) -> set[frozenset[int]]:
    d = person_distinct
    return {
        frozenset((int(x), int(y))) for x, y in conn.execute(select(d.c.person_a, d.c.person_b))
    }


def merge_candidates(
    store: Store, *, min_confidence: float = MIN_CONFIDENCE, limit: int = 200
) -> list[Candidate]:
    """Pairs of identities that may be one person, most likely first."""
    with store.connect() as conn:
        groups = _groups(conn)
        keys = dict(conn.execute(select(people.c.id, people.c.name_key)).all())
        distinct = _distinct_pairs(conn)
        blocks: dict[str, list[int]] = defaultdict(list)
        for root in groups:
            words = str(keys.get(root, "")).split()
            if words:
                blocks[words[-1]].append(root)  # by surname (last word)
                blocks["^" + words[0]].append(root)  # and by first word (reordered names)
        scored: dict[frozenset[int], tuple[float, str]] = {}
        for members in blocks.values():
            for x, y in combinations(sorted(set(members)), 2):
                pair = frozenset((x, y))
                if pair in scored or any(
                    frozenset((m, n)) in distinct for m in groups[x] for n in groups[y]
                ):
                    continue
                sim, why = name_similarity(str(keys[x]), str(keys[y]))
                if sim > 0:
                    scored[pair] = (sim, why)
        identities = {i: _identity(conn, i, groups[i]) for p in scored for i in p}
    out = []
    for pair, (sim, why) in scored.items():
        x, y = sorted(pair)
        ev, reasons = _evidence(identities[x], identities[y])
        confidence = round(sim * ev, 3)
        if confidence >= min_confidence:
            out.append(Candidate(identities[x], identities[y], confidence, (why, *reasons)))
    out.sort(key=lambda c: (-c.confidence, c.a.id, c.b.id))
    return out[:limit]


# -- admin decisions ----------------------------------------------------------------------


def _admin(by: User | None) -> None:
    if by is not None and not by.is_admin:
        raise PermissionDeniedError(Msg("only an admin may merge or split people"))


def _exists(conn: Connection, pid: int) -> None:
    if conn.execute(select(people.c.id).where(people.c.id == pid)).first() is None:
        raise UnknownPersonError(pid)


def merge_people(
    store: Store, person_id: int, into: int, *, actor: Actor, by: User | None = None
) -> Identity:
    """Merge the identity of ``person_id`` into that of ``into`` (admin; audited)."""
    _admin(by)
    with store.transaction() as conn:
        _exists(conn, person_id)
        _exists(conn, into)
        source, target = canonical(conn, person_id), canonical(conn, into)
        if source == target:
            raise ValidationError(
                Msg(
                    "person %(person)s and person %(into)s are already one identity (%(identity)s)",
                    person=person_id,
                    into=into,
                    identity=target,
                ),
                location="into",
                code="already-merged",
            )
        conn.execute(people.update().where(people.c.id == source).values(merged_into=target))
        record_audit(
            conn, actor, "person.merge", "person", source, {"into": target, "asked": person_id}
        )
        return _identity(conn, target, _groups(conn)[target])


def split_person(store: Store, person_id: int, *, actor: Actor, by: User | None = None) -> Identity:
    """Undo the merge of ``person_id`` (admin; audited): it is an identity of its own again,
    with the ids that were merged into it."""
    _admin(by)
    with store.transaction() as conn:
        _exists(conn, person_id)
        was = conn.execute(select(people.c.merged_into).where(people.c.id == person_id)).scalar()
        if was is None:
            raise ValidationError(
                Msg("person %(person)s is not merged into another", person=person_id),
                code="not-merged",
            )
        conn.execute(people.update().where(people.c.id == person_id).values(merged_into=None))
        record_audit(conn, actor, "person.split", "person", person_id, {"from": int(was)})
        return _identity(conn, person_id, _groups(conn)[person_id])


def mark_distinct(store: Store, a: int, b: int, *, actor: Actor, by: User | None = None) -> bool:
    """Record that ``a`` and ``b`` are different people: never offered for merging again."""
    _admin(by)
    if a == b:
        raise ValidationError(Msg("a person cannot be distinct from itself"), code="same-person")
    with store.transaction() as conn:
        _exists(conn, a)
        _exists(conn, b)
        x, y = sorted((a, b))
        values = {"person_a": x, "person_b": y, "actor": actor.name, "at": now()}
        added = insert_ignore(conn, person_distinct, values, ["person_a", "person_b"])
        if added:
            record_audit(conn, actor, "person.distinct", "person", x, {"other": y})
        return added
