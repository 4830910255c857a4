"""What filing derives from a report, replaced with every revision in the filing's own
transaction: roles (people linked to identities, organisations), stated counts, action areas
and the search document. Shared rows (organisations, then people) are written in sorted key
order so that concurrent filings cannot deadlock on them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from equals.archive.identity import IdentityCache, assign, name_key, previous_identities
from equals.archive.participation_stated import stated_participation
from equals.archive.sql import insert_ignore
from equals.sessions.analysis import action_areas
from equals.sessions.entities import Organization
from equals.sessions.model import ParsedReport, Person
from equals.sessions.text import compact_key
from equals.store.tables.sessions import (
    organizations,
    session_areas,
    session_roles,
    session_search,
    session_stats,
)


def org_id(org: Organization) -> str | None:
    if org.id:
        return org.id
    key = compact_key(org.name)
    return f"x:{key[:120]}" if key else None


def _ensure_org(conn: Connection, org: Organization | None) -> str | None:
    if org is None:
        return None
    oid = org_id(org)
    if oid is None:
        return None
    values = {"id": oid, "name": org.name, "full_name": org.full_name, "known": org.id is not None}
    insert_ignore(conn, organizations, values, ["id"])
    return oid


def _role_row(
    conn: Connection, cache: IdentityCache, sid: int, role: str, i: int, p: Person
) -> dict[str, Any]:
    oid = org_id(p.organization) if p.organization else None
    return {
        "session_id": sid,
        "role": role,
        "position": i,
        "person_id": assign(conn, cache, p.name, oid) if p.name else None,
        "organization_id": oid,
        "stakeholder_group": p.stakeholder_group.value if p.stakeholder_group else None,
        "title": p.title or None,
        "country": p.country or None,
        "region": p.region or None,
        "raw": p.raw,
    }


def search_document(report: ParsedReport) -> dict[str, str]:
    everyone = (*report.moderators, *report.rapporteurs, *report.speakers)
    names = [p.name for p in everyone if p.name]
    orgs = [o.name for o in report.organizations]
    body = [
        *report.key_issues,
        *report.presentations,
        *report.discussions,
        *report.suggestions,
        *(e.text for e in report.extra if e.text),
    ]
    return {
        "title": report.title or "",
        "people": " · ".join([*names, *orgs]),
        "body": "\n\n".join(body),
    }


def replace_derived(conn: Connection, sid: int, report: ParsedReport) -> None:
    cache = IdentityCache(previous=previous_identities(conn, sid))
    for table in (session_roles, session_stats, session_areas, session_search):
        conn.execute(table.delete().where(table.c.session_id == sid))
    # Shared rows (organisations, then people) in sorted key order: no deadlock between
    # concurrent filings that name the same people in a different order.
    everyone = (*report.moderators, *report.rapporteurs, *report.speakers)
    orgs = {org_id(o): o for o in (*report.organizers, *(p.organization for p in everyone
                                                          if p.organization))}  # fmt: skip
    for oid in sorted(k for k in orgs if k):
        _ensure_org(conn, orgs[oid])
    for p in sorted(everyone, key=lambda p: (name_key(p.name), org_id(p.organization) or "")
                    if p.organization else (name_key(p.name), "")):  # fmt: skip
        if p.name:
            assign(conn, cache, p.name, org_id(p.organization) if p.organization else None)
    rows: list[dict[str, Any]] = []
    for i, org in enumerate(report.organizers):
        rows.append(
            {
                "session_id": sid,
                "role": "organizer",
                "position": i,
                "person_id": None,
                "organization_id": _ensure_org(conn, org),
                "stakeholder_group": None,
                "title": None,
                "country": None,
                "region": None,
                "raw": org.raw or org.name,
            }
        )
    for role, group in (
        ("moderator", report.moderators),
        ("rapporteur", report.rapporteurs),
        ("speaker", report.speakers),
    ):
        rows += [_role_row(conn, cache, sid, role, i, p) for i, p in enumerate(group)]
    if rows:
        conn.execute(session_roles.insert(), rows)
    stated = stated_participation(report)
    if stated.any:
        conn.execute(session_stats.insert().values(session_id=sid, **stated.columns()))
    tags = action_areas(report)
    if tags:
        conn.execute(
            session_areas.insert(),
            [
                {
                    "session_id": sid,
                    "area": t.area.value,
                    "sentences": len(t.evidence),
                    "evidence": json.dumps(t.to_record()["evidence"], ensure_ascii=False),
                }
                for t in tags
            ],
        )
    conn.execute(session_search.insert().values(session_id=sid, **search_document(report)))
