"""The audit log: one row per write, in the writer's own transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from equals.auth.model import Actor, now
from equals.store import Store
from equals.store.tables.auth import audit_log


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    user_id: int | None
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]


def record_audit(
    conn: Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append an entry; call inside the transaction that makes the change."""
    conn.execute(
        audit_log.insert().values(
            at=now(),
            user_id=actor.user_id,
            actor=actor.name,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        )
    )


def audit_entries(
    store: Store, *, entity: str | None = None, entity_id: str | int | None = None, limit: int = 100
) -> list[AuditEntry]:
    """Newest first."""
    q = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if entity is not None:
        q = q.where(audit_log.c.entity == entity)
    if entity_id is not None:
        q = q.where(audit_log.c.entity_id == str(entity_id))
    with store.connect() as conn:
        rows = conn.execute(q).mappings().all()
    return [
        AuditEntry(
            r["id"],
            r["at"],
            r["actor"],
            r["user_id"],
            r["action"],
            r["entity"],
            r["entity_id"],
            json.loads(r["detail"]),
        )
        for r in rows
    ]
