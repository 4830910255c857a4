"""Bearer API tokens: random, shown once, stored only as a SHA-256 hash.

The tokens carry 256 bits of randomness, so a fast hash is enough (no password stretching):
a database leak does not reveal usable tokens.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from equals.auth.audit import record_audit
from equals.auth.browser import end_user_sessions
from equals.auth.model import Actor, User, now
from equals.auth.users import get_user, user_by_id
from equals.store import Store
from equals.store.tables.auth import api_tokens

PREFIX = "eqh_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(
    store: Store, user_name: str, *, label: str = "", actor: Actor | None = None
) -> str:
    """A new token for the user; the plain token is returned once and never stored."""
    user = get_user(store, user_name)
    token = PREFIX + secrets.token_urlsafe(32)
    with store.transaction() as conn:
        tid = conn.execute(
            api_tokens.insert().values(
                user_id=user.id,
                token_hash=token_hash(token),
                prefix=token[:12],
                label=label,
                created_at=now(),
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        record_audit(
            conn,
            actor or Actor.cli(),
            "token.issue",
            "api_token",
            tid,
            {"user": user.name, "prefix": token[:12], "label": label},
        )
    return token


def user_for_token(store: Store, token: str) -> User | None:
    """The enabled user a live token belongs to, else ``None`` (records its last use)."""
    if not token.startswith(PREFIX):
        return None
    t = api_tokens
    with store.connect() as conn:
        row = conn.execute(
            select(t.c.id, t.c.user_id).where(
                t.c.token_hash == token_hash(token), t.c.revoked_at.is_(None)
            )
        ).first()
    if row is None:
        return None
    user = user_by_id(store, int(row.user_id))
    if user is None or user.disabled:
        return None
    with store.transaction() as conn:
        conn.execute(t.update().where(t.c.id == row.id).values(last_used_at=now()))
    return user


def revoke_tokens(store: Store, user_name: str, *, actor: Actor | None = None) -> int:
    """Revoke every live token of the user and end their browser sessions; returns how many
    tokens (the audit entry also counts the sessions ended)."""
    user = get_user(store, user_name)
    t = api_tokens
    with store.transaction() as conn:
        n = conn.execute(
            t.update()
            .where(t.c.user_id == user.id, t.c.revoked_at.is_(None))
            .values(revoked_at=now())
        ).rowcount
        ended = end_user_sessions(conn, user.id, reason="revoked")
        record_audit(
            conn,
            actor or Actor.cli(),
            "token.revoke",
            "user",
            user.id,
            {"revoked": n, "sessions_ended": ended},
        )
    return int(n or 0)
