"""Labelled example content, so the registry, the action map and the session links are never
empty on a new install (``equals init`` loads it; ``equals partners remove-examples`` removes it).

Every record is flagged ``example`` and carries a source note. What it holds, and only that:

- the organisations of the IGF 2016 EQUALS session report (``examples/`` in the shared data,
  filed by the session archive's own example loader) as partners, with the stakeholder group the
  report gives each speaker's organisation;
- the initiatives that report names (Microsoft's Pink Cloud and Youth SPARK work, the work of
  Mexico's Digital Government Unit): titles, leads and what the report's sentence says; no
  targets, budgets, dates or figures, none being in the report;
- the EQUALS co-founders and the coalitions by action area, each with its source.

Idempotent (records are found by organisation id / title before being added) and one
transaction; once removed, examples are not added again (a flag in ``meta``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from equals.auth import Actor, record_audit
from equals.core.i18n import Msg
from equals.partners.common import touch
from equals.store import Store, schema
from equals.store.tables import partners as t

REPORT = (
    "IGF 2016 workshop report 'EQUALS: The need for collaboration on the global gender "
    "digital divide' (9 December 2016)"
)
EQUALS_ABOUT = "EQUALS, 'About EQUALS' (https://www.equals.org): founding partners and coalitions"
REMOVED = "partners_examples_removed"
ACTOR = Actor("example-content")

# (name as the report writes it, stakeholder group, source note)
PARTNERS: list[tuple[str, str, str, str]] = [
    (
        "ITU",
        "",
        "intergovernmental",
        f"Session organiser with UN Women ({REPORT}); EQUALS co-founder ({EQUALS_ABOUT}).",
    ),
    (
        "UN Women",
        "",
        "intergovernmental",
        f"Session organiser; speaker Lara Blanco, 'International Organization' ({REPORT}).",
    ),
    (
        "GSMA",
        "",
        "private_sector",
        f"Speaker Claire Sibthorpe, 'Private Sector' ({REPORT}); "
        f"EQUALS co-founder ({EQUALS_ABOUT}).",
    ),
    ("Microsoft", "", "private_sector", f"Speaker Paul Mitchell, 'Private Sector' ({REPORT})."),
    (
        "Government of Mexico",
        "",
        "government",
        f"Speaker Yolanda Martínez Mancilla, 'Government' ({REPORT}).",
    ),
    (
        "Web Foundation",
        "",
        "civil_society",
        f"Speaker Nanjira Sambuli, 'Civil Society', for the Web Foundation (Alliance for "
        f"Affordable Internet) ({REPORT}).",
    ),
    (
        "A4AI",
        "",
        "civil_society",
        f"'Civil society presentations from the Alliance of Affordable Internet' ({REPORT}).",
    ),
    (
        "UNCTAD",
        "",
        "intergovernmental",
        f"Speaker Cecile Barayre, 'International Organization' ({REPORT}).",
    ),
    ("APC", "", "civil_society", f"Speaker Jac SM Kee, 'Civil Society' ({REPORT})."),
    (
        "ITC",
        "International Trade Centre",
        "intergovernmental",
        f"EQUALS co-founder ({EQUALS_ABOUT}).",
    ),
    ("UNU", "United Nations University", "academia", f"EQUALS co-founder ({EQUALS_ABOUT})."),
]

CO_FOUNDERS = ["ITU", "UN Women", "GSMA", "ITC", "UNU"]

COALITIONS = [
    ("access", "EQUALS Access Coalition", "access"),
    ("skills", "EQUALS Skills Coalition", "skills"),
    ("leadership", "EQUALS Leadership Coalition", "leadership"),
    ("research", "EQUALS Research Group", "research"),
]
COALITION_NOTE = (
    f"The partnership's action areas Access, Skills and Leadership and its research-based "
    f"approach ({REPORT}, presentation summary); a coalition per area ({EQUALS_ABOUT}). Lead and "
    "members are not in these sources and are left for the partnership to fill in."
)

INITIATIVES: list[dict[str, Any]] = [
    {
        "title": "Pink Cloud Initiative",
        "lead": "microsoft",
        "areas": ["skills"],
        "description": (
            "Named by Paul Mitchell (Microsoft) at the IGF 2016 EQUALS session: 'their work "
            "under the Pink Cloud Initiative'."
        ),
    },
    {
        "title": "Youth SPARK",
        "lead": "microsoft",
        "areas": ["skills"],
        "description": (
            "Named by Paul Mitchell (Microsoft): 'their Youth SPARK initiatives to promote "
            "programming skills for women'."
        ),
    },
    {
        "title": "Digital Government Unit, Ministry of Public Administration",
        "lead": "government-of-mexico",
        "areas": [],
        "countries": ["MEX"],
        "description": (
            "Yolanda Martínez Mancilla 'introduced the work that the Government of Mexico is "
            "doing under the Digital Government Unit of the Ministry of Public Administration'."
        ),
    },
]


def _removed(conn: Connection) -> bool:
    m = schema.meta
    return conn.execute(select(m.c.value).where(m.c.key == REMOVED)).scalar_one_or_none() == "1"


def load_examples(store: Store) -> str | None:
    """Add the example partners, coalitions, co-founders and initiatives that are missing."""
    from equals.partners.organizations import ensure_org
    from equals.partners.registry import GROUP_LABELS  # noqa: F401  (vocabulary check)

    added: dict[str, int] = {"partners": 0, "coalitions": 0, "seats": 0, "initiatives": 0}
    with store.transaction() as conn:
        if _removed(conn):
            return None
        for name, full, group, note in PARTNERS:
            oid = ensure_org(conn, name, full)
            if _insert_partner(conn, oid, group, note):
                added["partners"] += 1
        for cid, cname, area in COALITIONS:
            if conn.execute(select(t.coalitions.c.id).where(t.coalitions.c.id == cid)).first():
                continue
            _insert(
                conn,
                t.coalitions,
                id=cid,
                name=cname,
                action_area=area,
                description="",
                lead_organization_id=None,
                source_note=COALITION_NOTE,
            )
            added["coalitions"] += 1
        g = t.governance_seats
        for name in CO_FOUNDERS:
            oid = ensure_org(conn, name)
            exists = conn.execute(
                select(g.c.id).where(g.c.body == "co-founder", g.c.organization_id == oid)
            ).first()
            if exists is None:
                conn.execute(
                    g.insert().values(
                        body="co-founder",
                        seat="",
                        organization_id=oid,
                        holder="",
                        since=None,
                        until=None,
                        example=True,
                        source_note=f"Founding partner ({EQUALS_ABOUT}).",
                        version=1,
                    )
                )
                added["seats"] += 1
        for spec in INITIATIVES:
            if _insert_initiative(conn, spec):
                added["initiatives"] += 1
        if any(added.values()):
            touch(conn)
            record_audit(conn, ACTOR, "examples.load", "partnership", "", {"added": added})
    if not any(added.values()):
        return None
    text = "partnership examples: " + ", ".join(f"{n} {k}" for k, n in added.items() if n)
    if all(added.values()):  # the first load: one whole sentence, in the reader's language
        whole = Msg(
            "partnership examples: %(partners)s partners, %(coalitions)s coalitions, "
            "%(seats)s seats, %(initiatives)s initiatives",
            **added,
        )
        if whole == text:
            return whole
    return text


def _insert(conn: Connection, table: Any, **values: Any) -> None:
    from equals.auth.model import now

    stamp = now()
    conn.execute(
        table.insert().values(**values, example=True, version=1, created_at=stamp, updated_at=stamp)
    )


def _insert_partner(conn: Connection, oid: str, group: str, note: str) -> bool:
    from equals.store.tables.sessions import organizations

    p = t.partners
    if conn.execute(select(p.c.organization_id).where(p.c.organization_id == oid)).first():
        return False
    _insert(
        conn,
        p,
        organization_id=oid,
        stakeholder_group=group,
        country=None,
        website="",
        joined=None,
        iati_org_id=None,
        iati_org_type=None,
        description="",
        source_note=note,
    )
    conn.execute(organizations.update().where(organizations.c.id == oid).values(partner_id=oid))
    return True


def _insert_initiative(conn: Connection, spec: dict[str, Any]) -> bool:
    i = t.initiatives
    found = conn.execute(
        select(i.c.id).where(i.c.title == spec["title"], i.c.lead_organization_id == spec["lead"])
    ).first()
    if found is not None:
        return False
    from equals.auth.model import now

    stamp = now()
    iid = conn.execute(
        i.insert().values(
            title=spec["title"],
            description=spec["description"],
            lead_organization_id=spec["lead"],
            status="2",
            start_date=None,
            end_date=None,
            budget=None,
            currency=None,
            gender_marker=None,
            iati_identifier=None,
            website="",
            as_of="2016-12-09",
            example=True,
            source_note=f"Named in the {REPORT}. Status 'Implementation' as described there; no "
            "targets, budget or dates are given by the source.",
            version=1,
            created_at=stamp,
            updated_at=stamp,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    for area in spec["areas"]:
        conn.execute(t.initiative_areas.insert().values(initiative_id=iid, area=area))
    for country in spec.get("countries", []):
        conn.execute(t.initiative_countries.insert().values(initiative_id=iid, country=country))
    return True


def remove_examples(store: Store, *, actor: Actor) -> dict[str, int]:
    """Delete every example-flagged record (and its children) in one audited transaction; the
    organisations stay (session reports use them). Examples are not loaded again afterwards."""
    removed: dict[str, int] = {}
    with store.transaction() as conn:
        i = t.initiatives
        ids = list(conn.execute(select(i.c.id).where(i.c.example.is_(True))).scalars())
        pr = t.progress_reports
        reports = select(pr.c.id).where(pr.c.initiative_id.in_(ids))
        conn.execute(t.progress_values.delete().where(t.progress_values.c.report_id.in_(reports)))
        for table in (
            t.progress_reports,
            t.targets,
            t.deliverables,
            t.initiative_participants,
            t.session_links,
            t.initiative_areas,
            t.initiative_groups,
            t.initiative_countries,
            t.initiative_regions,
            t.initiative_sectors,
        ):
            conn.execute(table.delete().where(table.c.initiative_id.in_(ids)))
        removed["initiatives"] = conn.execute(i.delete().where(i.c.id.in_(ids))).rowcount or 0
        c = t.coalitions
        cids = select(c.c.id).where(c.c.example.is_(True))
        conn.execute(
            t.coalition_members.delete().where(t.coalition_members.c.coalition_id.in_(cids))
        )
        removed["coalitions"] = conn.execute(c.delete().where(c.c.example.is_(True))).rowcount or 0
        g = t.governance_seats
        removed["seats"] = conn.execute(g.delete().where(g.c.example.is_(True))).rowcount or 0
        p = t.partners
        oids = list(
            conn.execute(select(p.c.organization_id).where(p.c.example.is_(True))).scalars()
        )
        conn.execute(
            t.partner_contacts.delete().where(t.partner_contacts.c.organization_id.in_(oids))
        )
        removed["partners"] = conn.execute(p.delete().where(p.c.example.is_(True))).rowcount or 0
        from equals.store.tables.sessions import organizations

        conn.execute(
            organizations.update().where(organizations.c.id.in_(oids)).values(partner_id=None)
        )
        m = schema.meta
        conn.execute(m.delete().where(m.c.key == REMOVED))
        conn.execute(m.insert().values(key=REMOVED, value="1"))
        touch(conn)
        record_audit(conn, actor, "examples.remove", "partnership", "", {"removed": removed})
    return removed
