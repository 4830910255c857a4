"""The one organisation entity (``organizations``, shared with session reports): find it by id,
name or alias, create it when new, and merge duplicates (audited).

Resolution order for a name: this registry's aliases (``organization_aliases``), the session
library's alias table (``equals.sessions.entities``: APC = Association for Progressive
Communications, UNWOMEN = UN Women…), then an exact name. A merge points the merged id at the
surviving one (``organization_merges``) and moves the registry's references; session roles keep
their id and are read through the merge, so nothing in the archive is rewritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, update

from equals.archive.filing import org_id
from equals.auth import Actor, User, record_audit
from equals.auth.model import now
from equals.core.errors import NotFoundError, ValidationError
from equals.core.i18n import Msg
from equals.partners.common import touch
from equals.partners.permissions import Action, require
from equals.sessions.entities import normalize_organization
from equals.sessions.text import compact_key
from equals.store import Store
from equals.store.tables import partners as t
from equals.store.tables.auth import user_roles
from equals.store.tables.sessions import organizations


class UnknownOrganizationError(NotFoundError):
    code = "unknown-organization"

    def __init__(self, value: str, *, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__("organization", value, suggestions=suggestions)


def canonical_id(conn: Connection, oid: str) -> str:
    """Follow merges to the surviving organisation id."""
    seen: set[str] = set()
    while oid not in seen:
        seen.add(oid)
        into = conn.execute(
            select(t.organization_merges.c.into_id).where(t.organization_merges.c.merged_id == oid)
        ).scalar_one_or_none()
        if into is None:
            return oid
        oid = str(into)
    return oid


def merged_ids(conn: Connection, oid: str) -> list[str]:
    """Every id merged (directly or not) into ``oid``, not counting itself."""
    m = t.organization_merges
    out: list[str] = []
    frontier = [oid]
    while frontier:
        rows = conn.execute(select(m.c.merged_id).where(m.c.into_id.in_(frontier))).scalars()
        frontier = [str(r) for r in rows if r not in out]
        out.extend(frontier)
    return out


def get_org(conn: Connection, oid: str, location: str = "organization_id") -> dict[str, Any]:
    """The organisation row (after merges); 422 naming ``location`` when it does not exist."""
    row = (
        conn.execute(select(organizations).where(organizations.c.id == canonical_id(conn, oid)))
        .mappings()
        .first()
    )
    if row is None:
        raise ValidationError(
            Msg(
                "unknown organisation %(id)s: create the partner first or use an existing id "
                "(GET /api/v1/partners lists them)",
                id=repr(oid[:80]),
            ),
            location=location,
            code="unknown-organization",
        )
    return dict(row)


def find_by_name(conn: Connection, name: str) -> str | None:
    """The organisation id a name or alias stands for, if any."""
    key = compact_key(name)
    if not key:
        return None
    a = t.organization_aliases
    hit = conn.execute(select(a.c.organization_id).where(a.c.key == key)).scalar_one_or_none()
    if hit is not None:
        return canonical_id(conn, str(hit))
    known = normalize_organization(name)
    if known.id is not None:
        found = conn.execute(
            select(organizations.c.id).where(organizations.c.id == known.id)
        ).scalar_one_or_none()
        if found is not None:
            return canonical_id(conn, str(found))
    o = organizations
    rows = conn.execute(select(o.c.id, o.c.name, o.c.full_name)).all()
    for rid, rname, rfull in rows:
        if compact_key(rname) == key or (rfull and compact_key(rfull) == key):
            return canonical_id(conn, str(rid))
    return None


def ensure_org(conn: Connection, name: str, full_name: str = "") -> str:
    """The id of the organisation called ``name`` (by alias or name), created when new, with
    the same ids the session archive gives (``apc``, ``un-women``, else ``x:<key>``)."""
    found = find_by_name(conn, name)
    if found is not None:
        return found
    org = normalize_organization(name)
    oid = org_id(org)
    if oid is None:
        raise ValidationError(Msg("an organisation needs a name"), location="name")
    exists = conn.execute(select(organizations.c.id).where(organizations.c.id == oid)).first()
    if exists is None:
        conn.execute(
            organizations.insert().values(
                id=oid,
                name=org.name,
                full_name=full_name or org.full_name,
                known=org.id is not None,
            )
        )
    return canonical_id(conn, oid)


def add_aliases(conn: Connection, oid: str, aliases: list[str]) -> None:
    a = t.organization_aliases
    for alias in aliases:
        key = compact_key(alias)
        if not key:
            continue
        owner = conn.execute(select(a.c.organization_id).where(a.c.key == key)).scalar_one_or_none()
        if owner is not None and canonical_id(conn, str(owner)) != oid:
            raise ValidationError(
                Msg(
                    "alias %(alias)s already names organisation %(owner)s",
                    alias=repr(alias[:80]),
                    owner=repr(owner),
                ),
                location="aliases",
            )
        if owner is None:
            conn.execute(a.insert().values(key=key[:255], alias=alias, organization_id=oid))


def aliases_of(conn: Connection, oid: str) -> list[str]:
    a = t.organization_aliases
    return [
        str(x) for x in conn.execute(select(a.c.alias).where(a.c.organization_id == oid)).scalars()
    ]


def list_organizations(store: Store) -> list[tuple[str, str]]:
    """(id, name) of every organisation not merged away, by name: the choices of a merge."""
    o, m = organizations, t.organization_merges
    with store.connect() as conn:
        rows = conn.execute(
            select(o.c.id, o.c.name).where(o.c.id.not_in(select(m.c.merged_id)))
        ).all()
    return sorted(((str(i), str(n)) for i, n in rows), key=lambda r: (r[1].casefold(), r[0]))


def org_name(conn: Connection, oid: str) -> str:
    name = conn.execute(
        select(organizations.c.name).where(organizations.c.id == oid)
    ).scalar_one_or_none()
    return str(name) if name is not None else oid


_REFERENCES = (
    (t.partner_contacts, "organization_id"),
    (t.organization_aliases, "organization_id"),
    (t.coalitions, "lead_organization_id"),
    (t.governance_seats, "organization_id"),
    (t.initiatives, "lead_organization_id"),
)


def merge_organizations(conn: Connection, merged: str, into: str, actor: Actor) -> dict[str, Any]:
    """Merge organisation ``merged`` into ``into`` inside the caller's transaction (audited).

    Refused when both are partners (merge the memberships by hand first: nothing is dropped).
    """
    a, b = get_org(conn, merged, "merged"), get_org(conn, into, "into")
    if a["id"] == b["id"]:
        raise ValidationError(Msg("an organisation cannot be merged into itself"), location="into")
    p = t.partners
    both = conn.execute(
        select(func.count()).select_from(p).where(p.c.organization_id.in_([a["id"], b["id"]]))
    ).scalar_one()
    if both == 2:
        raise ValidationError(
            Msg(
                "both %(a)s and %(b)s are partners; edit one membership away first",
                a=repr(a["id"]),
                b=repr(b["id"]),
            ),
            location="merged",
        )
    moved: dict[str, int] = {}
    conn.execute(update(p).where(p.c.organization_id == a["id"]).values(organization_id=b["id"]))
    for table, column in _REFERENCES:
        n = conn.execute(
            update(table).where(table.c[column] == a["id"]).values({column: b["id"]})
        ).rowcount
        moved[f"{table.name}.{column}"] = int(n or 0)
    _move_pairs(conn, t.initiative_participants, ("initiative_id", "role"), a["id"], b["id"])
    _move_pairs(conn, t.coalition_members, ("coalition_id",), a["id"], b["id"])
    grants = _move_grants(conn, a["id"], b["id"])
    conn.execute(
        t.organization_merges.insert().values(
            merged_id=a["id"], into_id=b["id"], at=now(), actor=actor.name
        )
    )
    add_aliases(conn, b["id"], [x for x in (a["name"], a["full_name"]) if x])
    detail = {
        "before": {"merged": a, "into": b},
        "after": {"into": b["id"]},
        "moved": moved,
        "grants": grants,
    }
    touch(conn)
    record_audit(conn, actor, "organization.merge", "organization", b["id"], detail)
    return detail


def _move_grants(conn: Connection, old: str, new: str) -> list[dict[str, Any]]:
    """Re-scope role grants on ``old`` to ``new`` (a user who already holds the same role on
    ``new`` keeps that one grant); what happened to each grant, for the audit entry."""
    r = user_roles
    rows = conn.execute(
        select(r.c.id, r.c.user_id, r.c.role).where(r.c.organization_id == old).order_by(r.c.id)
    ).all()
    out: list[dict[str, Any]] = []
    for gid, uid, role in rows:
        clash = conn.execute(
            select(r.c.id).where(r.c.user_id == uid, r.c.role == role, r.c.organization_id == new)
        ).first()
        if clash is None:
            conn.execute(update(r).where(r.c.id == gid).values(organization_id=new))
            change = "moved"
        else:
            conn.execute(r.delete().where(r.c.id == gid))
            change = "dropped-duplicate"
        out.append(
            {"user_id": int(uid), "role": str(role), "from": old, "to": new, "change": change}
        )
    return out


def _move_pairs(conn: Connection, table: Any, keys: tuple[str, ...], old: str, new: str) -> None:
    """Re-point rows keyed by (keys…, organization_id), dropping ones the target already has."""
    rows = conn.execute(select(table).where(table.c.organization_id == old)).mappings().all()
    for row in rows:
        match = [table.c[k] == row[k] for k in keys]
        clash = conn.execute(
            select(table.c.organization_id).where(*match, table.c.organization_id == new)
        ).first()
        cond = [*match, table.c.organization_id == old]
        if clash is None:
            conn.execute(update(table).where(*cond).values(organization_id=new))
        else:
            conn.execute(table.delete().where(*cond))


def merge(
    store: Store, merged: str, into: str, *, actor: Actor, user: User | None = None
) -> dict[str, Any]:
    """Merge organisation ``merged`` into ``into`` (admins only): one audited transaction."""
    require(user, Action.MERGE_ORGANIZATIONS, into)
    with store.transaction() as conn:
        return merge_organizations(conn, merged, into, actor)
