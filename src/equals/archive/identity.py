"""People as identities when a report is filed: a name is not an identity.

A speaker, moderator or rapporteur of a filed report is linked to an identity (a ``people``
row) only on evidence:

1. the same name (and organisation) in an earlier revision of the same session keeps its
   identity;
2. the same folded name with the same organisation as an existing identity (any of the
   organisations it appeared with) is that identity;
3. otherwise a new identity — two people who share a name are never merged silently. Likely
   duplicates (spelling variants, a person who changed organisation) are offered for an admin
   to merge (:mod:`equals.archive.people`).

Rows are written in sorted key order so that concurrent filings cannot deadlock on them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select

from equals.archive.sql import insert_ignore
from equals.store.tables.sessions import people, session_roles


def name_key(name: str) -> str:
    """Casefolded, accents and punctuation dropped, spaces collapsed: ``"José  Pérez-Gil"`` →
    ``"jose perez gil"``."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(text.split())[:240]


@dataclass
class IdentityCache:
    """Identities resolved during one filing: (name key, organisation id) → person id."""

    # this session's earlier revision: (name key, organisation id) → person id
    previous: dict[tuple[str, str | None], int] = field(default_factory=dict)
    chosen: dict[tuple[str, str | None], int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)


def previous_identities(conn: Connection, session_id: int) -> dict[tuple[str, str | None], int]:
    """(name key, organisation id) → person id of the session's current roles (before they
    are replaced by a new revision)."""
    ro, p = session_roles, people
    rows = conn.execute(
        select(p.c.name_key, ro.c.organization_id, ro.c.person_id)
        .join(p, p.c.id == ro.c.person_id)
        .where(ro.c.session_id == session_id)
        .order_by(ro.c.id)
    ).all()
    out: dict[tuple[str, str | None], int] = {}
    for key, org, pid in rows:
        out.setdefault((key, org), int(pid))
    return out


def _previous(cache: IdentityCache, key: str, org_id: str | None) -> int | None:
    """The identity this name had in the session's earlier revision: the same name and
    organisation, else the only identity of that name there (an affiliation corrected)."""
    if (key, org_id) in cache.previous:
        return cache.previous[(key, org_id)]
    same_name = {pid for (k, _), pid in cache.previous.items() if k == key}
    return same_name.pop() if len(same_name) == 1 else None


def canonical(conn: Connection, person_id: int) -> int:
    """Follow admin merges to the identity a person id now belongs to."""
    seen = {person_id}
    current = person_id
    while True:
        nxt = conn.execute(select(people.c.merged_into).where(people.c.id == current)).scalar()
        if nxt is None or nxt in seen:
            return current
        seen.add(int(nxt))
        current = int(nxt)


def _match(conn: Connection, key: str, org_id: str | None) -> int | None:
    """An existing identity with this folded name seen with this organisation."""
    if org_id is None:
        return None
    p, ro = people, session_roles
    row = conn.execute(
        select(p.c.id)
        .join(ro, ro.c.person_id == p.c.id)
        .where(p.c.name_key == key, ro.c.organization_id == org_id)
        .order_by(p.c.id)
        .limit(1)
    ).scalar()
    return canonical(conn, int(row)) if row is not None else None


def _create(conn: Connection, name: str, key: str, org_id: str | None) -> int:
    """A new identity; its unique key is the name key, or ``key~n`` for the n-th namesake.

    When the insert meets a concurrent writer's identity of the same key (PostgreSQL waits
    for that writer to commit), the evidence is looked at again first: the same name with the
    same organisation is that identity, not a namesake."""
    p = people
    n = conn.execute(select(func.count()).where(p.c.name_key == key)).scalar() or 0
    while True:
        ident = key if n == 0 else f"{key}~{n + 1}"
        values = {"name": name.strip(), "key": ident[:255], "name_key": key}
        if insert_ignore(conn, p, values, ["key"]):
            found = conn.execute(select(p.c.id).where(p.c.key == ident[:255])).scalar_one()
            return int(found)
        again = _match(conn, key, org_id)
        if again is not None:
            return again
        n += 1


def assign(conn: Connection, cache: IdentityCache, name: str, org_id: str | None) -> int | None:
    """The identity of a person named ``name`` with organisation ``org_id`` in this filing."""
    key = name_key(name)
    if not key:
        return None
    if (key, org_id) in cache.chosen:
        return cache.chosen[(key, org_id)]
    pid = _previous(cache, key, org_id)
    if pid is None:
        pid = _match(conn, key, org_id)
    if pid is None and org_id is None:
        pid = cache.by_name.get(key)  # the same name twice in one report, once without org
    if pid is None:
        pid = _create(conn, name, key, org_id)
    cache.chosen[(key, org_id)] = pid
    cache.by_name.setdefault(key, pid)
    return pid
