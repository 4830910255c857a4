"""Who may revise a filed session: its owner (the user who filed it), users it was granted to
(``session_editors``), and admins. The operator at the command line (no user) may revise any.

Grants are written by the owner or an admin, audited, and can be revoked.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from equals.archive.errors import UnknownSessionError
from equals.archive.rules import check_text
from equals.archive.sql import insert_ignore
from equals.auth.audit import record_audit
from equals.auth.model import Actor, User, now
from equals.auth.users import get_user
from equals.core.errors import PermissionDeniedError
from equals.core.i18n import Msg
from equals.store import Store
from equals.store.tables.auth import users
from equals.store.tables.sessions import session_editors, sessions


def _owner(conn: Connection, session_id: int) -> int | None:
    row = conn.execute(select(sessions.c.owner_id).where(sessions.c.id == session_id)).first()
    if row is None:
        raise UnknownSessionError(session_id)
    return None if row.owner_id is None else int(row.owner_id)


def may_revise(conn: Connection, user: User | None, session_id: int) -> bool:
    """True if ``user`` (None: the command-line operator) may revise the session."""
    owner = _owner(conn, session_id)
    if user is None or user.is_admin:
        return True
    if user.disabled or not user.can_file_sessions:
        return False
    if owner == user.id:
        return True
    e = session_editors
    granted = conn.execute(
        select(e.c.user_id).where(e.c.session_id == session_id, e.c.user_id == user.id)
    ).first()
    return granted is not None


def check_may_revise(conn: Connection, user: User | None, session_id: int) -> None:
    if not may_revise(conn, user, session_id):
        assert user is not None
        raise PermissionDeniedError(
            Msg(
                "user %(user)s may not revise session %(session)s: a rapporteur revises the "
                "reports they filed or were granted (ask its owner or an admin to grant it)",
                user=repr(user.name),
                session=session_id,
            )
        )


@dataclass(frozen=True, slots=True)
class Editor:
    user: str
    granted_by: str
    granted_at: str


def editors(store: Store, session_id: int) -> list[Editor]:
    e, u = session_editors, users
    with store.connect() as conn:
        _owner(conn, session_id)
        rows = conn.execute(
            select(u.c.name, e.c.granted_by, e.c.granted_at)
            .join(u, u.c.id == e.c.user_id)
            .where(e.c.session_id == session_id)
            .order_by(u.c.name)
        ).all()
    return [Editor(*r) for r in rows]


def _check_granter(conn: Connection, by: User | None, session_id: int) -> None:
    owner = _owner(conn, session_id)
    if by is not None and not by.is_admin and owner != by.id:
        raise PermissionDeniedError(
            Msg(
                "only the owner of session %(session)s or an admin may change who can revise it",
                session=session_id,
            )
        )


def grant_editor(
    store: Store, session_id: int, user_name: str, *, actor: Actor, by: User | None = None
) -> bool:
    """Let ``user_name`` revise the session; True if newly granted. ``by`` None: operator."""
    target = get_user(store, check_text(user_name, "user") or "")
    with store.transaction() as conn:
        _check_granter(conn, by, session_id)
        values = {
            "session_id": session_id,
            "user_id": target.id,
            "granted_by": actor.name,
            "granted_at": now(),
        }
        added = insert_ignore(conn, session_editors, values, ["session_id", "user_id"])
        if added:
            record_audit(conn, actor, "session.grant", "session", session_id, {"user": target.name})
    return added


def revoke_editor(
    store: Store, session_id: int, user_name: str, *, actor: Actor, by: User | None = None
) -> bool:
    """Withdraw a grant; True if there was one."""
    target = get_user(store, check_text(user_name, "user") or "")
    e = session_editors
    with store.transaction() as conn:
        _check_granter(conn, by, session_id)
        n = conn.execute(
            e.delete().where(e.c.session_id == session_id, e.c.user_id == target.id)
        ).rowcount
        if n:
            record_audit(
                conn, actor, "session.revoke", "session", session_id, {"user": target.name}
            )
    return bool(n)
