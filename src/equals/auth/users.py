"""Users: create (from the CLI), look up, authenticate, disable/enable, change the password.

Passwords are argon2id hashes. Disabling a user ends their browser sessions and revokes their
API tokens; a password change ends their browser sessions (API tokens stay).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import Connection, select

from equals.auth.audit import record_audit
from equals.auth.browser import end_user_sessions
from equals.auth.model import (
    Actor,
    AuthError,
    Grant,
    Role,
    UnknownUserError,
    User,
    UserExistsError,
    now,
)
from equals.auth.passwords import dummy_verify, hash_password, needs_rehash, verify_password
from equals.core.i18n import Msg
from equals.sessions.entities import known_organization
from equals.store import Store
from equals.store.tables.auth import api_tokens, user_roles, users
from equals.store.tables.sessions import organizations

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")


def valid_name(name: str) -> bool:
    """Whether ``name`` could be a user name (checked before any database look-up)."""
    return bool(_NAME.match(name)) and "\n" not in name


def _grants(conn: Connection, user_id: int) -> tuple[Grant, ...]:
    rows = conn.execute(
        select(user_roles.c.role, user_roles.c.organization_id)
        .where(user_roles.c.user_id == user_id)
        .order_by(user_roles.c.id)
    ).all()
    return tuple(Grant(Role(r.role), r.organization_id) for r in rows)


def _user(conn: Connection, row: object) -> User:
    uid = int(row.id)  # type: ignore[attr-defined]
    return User(uid, row.name, _grants(conn, uid), bool(row.disabled))  # type: ignore[attr-defined]


def _ensure_organization(conn: Connection, organization_id: str) -> None:
    """A scoped grant needs its organisation: one already stored, or a known alias id."""
    o = organizations
    if conn.execute(select(o.c.id).where(o.c.id == organization_id)).first() is not None:
        return
    known = known_organization(organization_id)
    if known is None or known.id != organization_id:
        raise AuthError(Msg("unknown organisation id %(id)s", id=repr(organization_id)))
    conn.execute(
        o.insert().values(id=known.id, name=known.name, full_name=known.full_name, known=True)
    )


def create_user(
    store: Store,
    name: str,
    password: str,
    *,
    roles: Iterable[Role | Grant] = (Role.RAPPORTEUR,),
    actor: Actor | None = None,
) -> User:
    """Create a user with these roles (a :class:`Grant` to scope a role to an organisation)."""
    if not _NAME.match(name):
        raise AuthError(
            Msg(
                "invalid user name %(name)s: 2–64 letters, digits, '.', '_', '@', '-'",
                name=repr(name),
            )
        )
    grants = [g if isinstance(g, Grant) else Grant(Role(g)) for g in roles]
    if not grants:
        raise AuthError(Msg("a user needs at least one role"))
    password_hash = hash_password(password)
    with store.transaction() as conn:
        if conn.execute(select(users.c.id).where(users.c.name == name)).first():
            raise UserExistsError(Msg("user %(name)s already exists", name=repr(name)))
        for g in grants:
            if g.organization_id is not None:
                _ensure_organization(conn, g.organization_id)
        uid = conn.execute(
            users.insert().values(
                name=name, password_hash=password_hash, disabled=False, created_at=now()
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        for g in grants:
            conn.execute(
                user_roles.insert().values(
                    user_id=uid, role=g.role.value, organization_id=g.organization_id
                )
            )
        record_audit(
            conn,
            actor or Actor.cli(),
            "user.create",
            "user",
            uid,
            {"name": name, "roles": [[g.role.value, g.organization_id] for g in grants]},
        )
    return User(int(uid), name, tuple(grants))


def _user_id(conn: Connection, name: str) -> int:
    uid = None
    if valid_name(name):
        uid = conn.execute(select(users.c.id).where(users.c.name == name)).scalar_one_or_none()
    if uid is None:
        raise UnknownUserError(name)
    return int(uid)


def set_password(store: Store, name: str, password: str, *, actor: Actor | None = None) -> int:
    """Change the password and end the user's browser sessions; returns how many ended."""
    password_hash = hash_password(password)
    with store.transaction() as conn:
        uid = _user_id(conn, name)
        conn.execute(users.update().where(users.c.id == uid).values(password_hash=password_hash))
        ended = end_user_sessions(conn, uid, reason="password")
        record_audit(
            conn,
            actor or Actor.cli(),
            "user.password",
            "user",
            uid,
            {"name": name, "sessions_ended": ended},
        )
    return ended


def set_disabled(
    store: Store, name: str, disabled: bool, *, actor: Actor | None = None
) -> tuple[int, int]:
    """Disable (or enable) a user. Disabling ends their browser sessions and revokes their API
    tokens at once; returns ``(sessions ended, tokens revoked)`` (both 0 when enabling)."""
    with store.transaction() as conn:
        uid = _user_id(conn, name)
        conn.execute(users.update().where(users.c.id == uid).values(disabled=disabled))
        ended = revoked = 0
        if disabled:
            ended = end_user_sessions(conn, uid, reason="disabled")
            revoked = int(
                conn.execute(
                    api_tokens.update()
                    .where(api_tokens.c.user_id == uid, api_tokens.c.revoked_at.is_(None))
                    .values(revoked_at=now())
                ).rowcount
                or 0
            )
        record_audit(
            conn,
            actor or Actor.cli(),
            "user.disable" if disabled else "user.enable",
            "user",
            uid,
            {"name": name, "sessions_ended": ended, "tokens_revoked": revoked},
        )
    return ended, revoked


def get_user(store: Store, name: str) -> User:
    user = find_user(store, name)
    if user is None:
        raise UnknownUserError(name)
    return user


def find_user(store: Store, name: str) -> User | None:
    """The user of this name, else ``None`` (a name that cannot exist is not looked up)."""
    if not valid_name(name):
        return None
    with store.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).first()
        return None if row is None else _user(conn, row)


def user_by_id(store: Store, user_id: int) -> User | None:
    with store.connect() as conn:
        row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return None if row is None else _user(conn, row)


def list_users(store: Store) -> list[User]:
    with store.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.name)).all()
        return [_user(conn, r) for r in rows]


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user when the password matches and the account is enabled, else ``None``."""
    row = None
    if valid_name(name):
        with store.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        dummy_verify(password)
        return None
    if not verify_password(row.password_hash, password) or row.disabled:
        return None
    if needs_rehash(row.password_hash):
        with store.transaction() as conn:
            conn.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(password_hash=hash_password(password))
            )
    with store.connect() as conn:
        return _user(conn, row)
