"""IATI activity XML import into the registry: the activities read by
:mod:`equals.partners.iati_read` are matched to organisations (by IATI ref, alias or name,
created when new) and written as initiatives with their progress reports. What the registry
cannot hold is reported (element, line), never dropped silently.

A whole file is one transaction: any bad activity writes nothing. An activity whose
``iati-identifier`` is already in the registry updates that initiative (its targets kept by
indicator, country and sex) instead of adding a second one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select

from equals.auth import Actor, User
from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.partners.common import parse
from equals.partners.iati_read import ImportReport, ParsedActivity, parse_activities
from equals.partners.initiative_read import read_initiatives
from equals.partners.initiatives import insert_initiative, replace_initiative
from equals.partners.model import InitiativeIn, ProgressIn
from equals.partners.organizations import ensure_org
from equals.partners.progress import _reports, insert_progress
from equals.store import Store
from equals.store.tables import partners as t
from equals.store.tables.sessions import organizations


def _org_id(conn: Connection, ref: str | None, name: str, report: ImportReport, where: str) -> str:
    if ref:
        p = t.partners
        hit = conn.execute(
            select(p.c.organization_id).where(p.c.iati_org_id == ref)
        ).scalar_one_or_none()
        if hit is not None:
            return str(hit)
    if not name:
        raise ValidationError(Msg("an organisation without a name or a known ref"), location=where)
    before = {str(x) for x in conn.execute(select(organizations.c.id)).scalars()}
    oid = ensure_org(conn, name)
    if oid not in before:
        report.organizations_created.append(oid)
    return oid


def import_iati(
    store: Store,
    data: bytes,
    *,
    actor: Actor,
    user: User | None = None,
    name: str = "<file>",
    lead: str | None = None,
) -> ImportReport:
    """Import every activity of an IATI file (one transaction); ``lead`` is the organisation id
    to use for activities that name no reporting or participating organisation."""
    report = ImportReport()
    acts = parse_activities(data, name, report)
    report.activities = len(acts)
    with store.transaction() as conn:
        for k, act in enumerate(acts, 1):
            where = f"{name}:{act.line} (activity {k})"
            if act.lead[0] is None and not act.lead[1]:
                if lead is None:
                    raise ValidationError(
                        Msg(
                            "no reporting-org or participating-org to lead the initiative; "
                            "give a lead organisation (--lead)"
                        ),
                        location=where,
                    )
                act.body["lead_organization_id"] = lead
            else:
                act.body["lead_organization_id"] = _org_id(conn, *act.lead, report, where)
            act.body["participants"] = [
                {"organization_id": _org_id(conn, ref, nm, report, where), "role": role}
                for ref, nm, role in act.participants
            ]
            try:
                _one(conn, act, parse(InitiativeIn, act.body, where), actor, user, report, where)
            except ValidationError as exc:
                if exc.location.startswith(name):
                    raise
                raise _located(exc, where) from exc
    return report


def _located(exc: ValidationError, where: str) -> ValidationError:
    """The service's error, with the file, line and activity in front of its field."""
    msg = exc.detail  # the message without its location (a Msg keeps its translation)
    loc = f"{where}: {exc.location}" if exc.location else where
    return ValidationError(msg, location=loc, code=exc.code)


def _one(
    conn: Connection,
    act: ParsedActivity,
    data: InitiativeIn,
    actor: Actor,
    user: User | None,
    report: ImportReport,
    where: str,
) -> None:
    i = t.initiatives
    existing = None
    if act.identifier:
        existing = conn.execute(
            select(i.c.id, i.c.version).where(i.c.iati_identifier == act.identifier)
        ).first()
    if existing is not None:
        current = read_initiatives(conn, [int(existing.id)])[0]
        keys = {(x.indicator, x.country.code, x.sex): x.id for x in current.targets}
        for tg in data.targets:
            tg.id = keys.get((tg.indicator, tg.country.upper(), tg.sex))
        ini = replace_initiative(
            conn, int(existing.id), data, based_on=int(existing.version), actor=actor, user=user
        )
        report.updated.append(ini.id)
    else:
        ini = insert_initiative(conn, data, actor=actor, user=user)
        report.created.append(ini.id)
    have = {(v.target_id, v.year, v.value) for r in _reports(conn, ini.id) for v in r.values}
    by_end: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for index, year, value, end in act.actuals:
        tid = ini.targets[index].id
        if (tid, year, value) not in have:
            by_end[end].append({"target_id": tid, "value": value, "year": year})
    for end, values in sorted(by_end.items()):
        body = {
            "date": end,
            "narrative": f"Actual values from IATI activity {act.identifier or where}.",
            "values": values,
        }
        insert_progress(conn, ini.id, parse(ProgressIn, body, where), actor=actor, user=user)
        report.progress_reports += 1
