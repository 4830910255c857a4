"""Partners: create, update (versioned, audited), read and list.

A partner is an organisation (``organizations``) with a membership row (``partners``) keyed by
the organisation's id; ``organizations.partner_id`` is set to that id, so a speaker's
organisation in a session report and the registry's partner are the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select

from equals.archive.repository import SessionSummary, summaries_by_id
from equals.auth import Actor, User, record_audit
from equals.auth.model import now
from equals.core.errors import NotFoundError, ValidationError
from equals.core.i18n import N_, Msg
from equals.core.vocabulary import StakeholderGroup
from equals.partners import codes
from equals.partners.common import bump_version, iso, parse, touch
from equals.partners.model import CodeLabel, Contact, Partner, PartnerIn
from equals.partners.organizations import (
    add_aliases,
    aliases_of,
    canonical_id,
    ensure_org,
    get_org,
    merged_ids,
)
from equals.partners.permissions import Action, require
from equals.store import Store
from equals.store.tables import partners as t
from equals.store.tables.sessions import organizations, session_roles

GROUP_LABELS = {
    StakeholderGroup.GOVERNMENT: N_("Government"),
    StakeholderGroup.PRIVATE_SECTOR: N_("Private sector"),
    StakeholderGroup.CIVIL_SOCIETY: N_("Civil society"),
    StakeholderGroup.TECHNICAL_COMMUNITY: N_("Technical community"),
    StakeholderGroup.ACADEMIA: N_("Academia"),
    StakeholderGroup.INTERGOVERNMENTAL: N_("Intergovernmental organisation"),
}


class UnknownPartnerError(NotFoundError):
    code = "unknown-partner"

    def __init__(self, value: str) -> None:
        super().__init__("partner", value)


@dataclass(frozen=True, slots=True)
class PartnerFilter:
    stakeholder_group: StakeholderGroup | None = None
    coalition: str | None = None
    country: str | None = None
    q: str | None = None
    examples: bool = True


def _row(data: PartnerIn) -> dict[str, Any]:
    return {
        "stakeholder_group": data.stakeholder_group.value,
        "country": codes.check_country(data.country, "country") if data.country else None,
        "website": data.website,
        "joined": iso(data.joined),
        "iati_org_id": data.iati_org_id or None,
        "iati_org_type": (
            codes.check_code("OrganisationType", data.iati_org_type, "iati_org_type")
            if data.iati_org_type
            else None
        ),
        "description": data.description,
    }


def _write_contacts(conn: Connection, oid: str, data: PartnerIn) -> None:
    c = t.partner_contacts
    conn.execute(c.delete().where(c.c.organization_id == oid))
    for i, contact in enumerate(data.contacts):
        conn.execute(
            c.insert().values(
                organization_id=oid,
                position=i,
                name=contact.name,
                role=contact.role,
                email=contact.email,
            )
        )


def create_partner(
    store: Store,
    data: PartnerIn | dict[str, Any],
    *,
    actor: Actor,
    user: User | None = None,
    example: bool = False,
    source_note: str = "",
) -> Partner:
    """Make an organisation (found by id/alias/name, or created) a partner; one transaction."""
    data = parse(PartnerIn, data)
    require(user, Action.CREATE_PARTNER, data.organization_id)
    with store.transaction() as conn:
        if data.organization_id:
            oid = str(get_org(conn, data.organization_id)["id"])
        else:
            oid = ensure_org(conn, data.name, data.full_name)
        exists = conn.execute(
            select(t.partners.c.organization_id).where(t.partners.c.organization_id == oid)
        ).first()
        if exists is not None:
            raise ValidationError(
                Msg(
                    "organisation %(id)s is already a partner; update it instead (PUT)",
                    id=repr(oid),
                ),
                location="organization_id",
                code="already-a-partner",
            )
        stamp = now()
        conn.execute(
            t.partners.insert().values(
                organization_id=oid,
                **_row(data),
                example=example,
                source_note=source_note,
                version=1,
                created_at=stamp,
                updated_at=stamp,
            )
        )
        _set_names(conn, oid, data)
        conn.execute(organizations.update().where(organizations.c.id == oid).values(partner_id=oid))
        _write_contacts(conn, oid, data)
        add_aliases(conn, oid, data.aliases)
        after = _partner(conn, oid, private=True)
        touch(conn)
        record_audit(
            conn, actor, "partner.create", "partner", oid, {"before": None, "after": _dump(after)}
        )
    return _public(after)


def _set_names(conn: Connection, oid: str, data: PartnerIn) -> None:
    values = {k: v for k, v in (("name", data.name), ("full_name", data.full_name)) if v}
    if values:
        conn.execute(organizations.update().where(organizations.c.id == oid).values(values))


def update_partner(
    store: Store,
    organization_id: str,
    data: PartnerIn | dict[str, Any],
    *,
    based_on: int,
    actor: Actor,
    user: User | None = None,
) -> Partner:
    """Replace a partner's record (contacts included) if it is still at version ``based_on``."""
    data = parse(PartnerIn, data)
    with store.transaction() as conn:
        oid = canonical_id(conn, organization_id)
        require(user, Action.UPDATE_PARTNER, oid)
        if data.organization_id and canonical_id(conn, data.organization_id) != oid:
            raise ValidationError(
                Msg("organization_id cannot change; merge organisations instead"),
                location="organization_id",
            )
        before = _partner(conn, oid, private=True)
        row = _row(data)
        bump_version(conn, t.partners, "organization_id", oid, based_on, f"partner {oid}")
        conn.execute(t.partners.update().where(t.partners.c.organization_id == oid).values(row))
        _set_names(conn, oid, data)
        _write_contacts(conn, oid, data)
        add_aliases(conn, oid, data.aliases)
        after = _partner(conn, oid, private=True)
        touch(conn)
        record_audit(
            conn,
            actor,
            "partner.update",
            "partner",
            oid,
            {"before": _dump(before), "after": _dump(after)},
        )
    return _public(after)


def _dump(p: Partner) -> dict[str, Any]:
    return p.model_dump(mode="json")


def _public(p: Partner) -> Partner:
    return p.model_copy(
        update={"contacts": [c.model_copy(update={"email": None}) for c in p.contacts]}
    )


def get_partner(store: Store, organization_id: str, *, private: bool = False) -> Partner:
    """One partner; contacts' e-mail addresses only when ``private`` (editors, admins)."""
    with store.connect() as conn:
        p = _partner(conn, canonical_id(conn, organization_id), private=private)
    return p if private else _public(p)


def partner_version(store: Store, organization_id: str) -> int:
    return get_partner(store, organization_id).version


def _partner(conn: Connection, oid: str, *, private: bool) -> Partner:
    p, o = t.partners, organizations
    row = (
        conn.execute(
            select(p, o.c.name, o.c.full_name)
            .join(o, o.c.id == p.c.organization_id)
            .where(p.c.organization_id == oid)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise UnknownPartnerError(oid)
    c = t.partner_contacts
    contacts = [
        Contact(name=r.name, role=r.role, email=r.email if private else None)
        for r in conn.execute(select(c).where(c.c.organization_id == oid).order_by(c.c.position))
    ]
    m = t.coalition_members
    coalitions = [
        str(x)
        for x in conn.execute(
            select(m.c.coalition_id).where(m.c.organization_id == oid).order_by(m.c.coalition_id)
        ).scalars()
    ]
    return _model(row, contacts, coalitions, aliases_of(conn, oid), merged_ids(conn, oid))


def _model(
    row: Any, contacts: list[Contact], coalitions: list[str], aliases: list[str], merged: list[str]
) -> Partner:
    group = StakeholderGroup(row["stakeholder_group"])
    country = row["country"]
    org_type = row["iati_org_type"]
    return Partner(
        organization_id=row["organization_id"],
        name=row["name"],
        full_name=row["full_name"] or "",
        stakeholder_group=CodeLabel(code=group.value, label=GROUP_LABELS[group]),
        country=CodeLabel(code=country, label=codes.country_name(country)) if country else None,
        website=row["website"],
        joined=row["joined"],
        iati_org_id=row["iati_org_id"],
        iati_org_type=(
            CodeLabel(code=org_type, label=codes.label("OrganisationType", org_type))
            if org_type
            else None
        ),
        description=row["description"],
        aliases=aliases,
        merged=merged,
        contacts=contacts,
        coalitions=coalitions,
        example=bool(row["example"]),
        source_note=row["source_note"],
        version=int(row["version"]),
        url=f"/partners/{row['organization_id']}",
    )


def list_partners(store: Store, f: PartnerFilter | None = None) -> list[Partner]:
    """Partners by name, filtered (no contacts' e-mail addresses)."""
    f = f or PartnerFilter()
    p, o = t.partners, organizations
    q = select(p, o.c.name, o.c.full_name).join(o, o.c.id == p.c.organization_id)
    if f.stakeholder_group is not None:
        q = q.where(p.c.stakeholder_group == f.stakeholder_group.value)
    if f.country:
        q = q.where(p.c.country == f.country.upper())
    if f.coalition:
        m = t.coalition_members
        q = q.where(
            p.c.organization_id.in_(
                select(m.c.organization_id).where(m.c.coalition_id == f.coalition)
            )
        )
    if f.q and f.q.strip():
        like = f"%{f.q.strip().lower()[:200]}%"
        q = q.where(
            or_(
                o.c.name.ilike(like),
                o.c.full_name.ilike(like),
                p.c.description.ilike(like),
                p.c.organization_id.in_(
                    select(t.organization_aliases.c.organization_id).where(
                        t.organization_aliases.c.alias.ilike(like)
                    )
                ),
            )
        )
    if not f.examples:
        q = q.where(p.c.example.is_(False))
    with store.connect() as conn:
        rows = conn.execute(q).mappings().all()
        m = t.coalition_members
        coal: dict[str, list[str]] = {}
        for cid, oid in conn.execute(select(m.c.coalition_id, m.c.organization_id)):
            coal.setdefault(str(oid), []).append(str(cid))
        a = t.organization_aliases
        als: dict[str, list[str]] = {}
        for alias, oid in conn.execute(select(a.c.alias, a.c.organization_id)):
            als.setdefault(str(oid), []).append(str(alias))
    out = [
        _model(
            r, [], sorted(coal.get(r["organization_id"], [])), als.get(r["organization_id"], []), []
        )
        for r in rows
    ]
    out.sort(key=lambda x: x.name.casefold())
    return out


def partner_sessions(store: Store, organization_id: str) -> list[SessionSummary]:
    """Sessions where the organisation (or one merged into it) organised or had a speaker."""
    with store.connect() as conn:
        oid = canonical_id(conn, organization_id)
        ids = [oid, *merged_ids(conn, oid)]
        r = session_roles
        sids: Sequence[int] = [
            int(x)
            for x in conn.execute(
                select(r.c.session_id).where(r.c.organization_id.in_(ids)).distinct()
            ).scalars()
        ]
        found = summaries_by_id(conn, sids)
    return sorted(found.values(), key=lambda s: (s.date or "", s.id), reverse=True)


def session_people(store: Store, organization_id: str) -> dict[int, list[str]]:
    """Session id → the names of the organisation's people in it (speakers, moderators…)."""
    from equals.store.tables.sessions import people

    with store.connect() as conn:
        oid = canonical_id(conn, organization_id)
        ids = [oid, *merged_ids(conn, oid)]
        r = session_roles
        rows = conn.execute(
            select(r.c.session_id, people.c.name, r.c.role)
            .join(people, people.c.id == r.c.person_id)
            .where(r.c.organization_id.in_(ids))
            .order_by(r.c.session_id, r.c.position)
        ).all()
    out: dict[int, list[str]] = {}
    for sid, name, role in rows:
        out.setdefault(int(sid), []).append(f"{name} ({role})")
    return out
