"""Server-side browser sessions: the login cookie holds a random token, the database its hash.

A session ends when the user signs out, when their access is revoked, when the account is
disabled, when the password changes, or when its absolute lifetime runs out. Ending one marks
the record (``ended_at``, ``ended_reason``), so a copied cookie is worthless from then on, across
restarts and on every worker.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Connection, select

from equals.auth.model import now
from equals.store import Store
from equals.store.tables.auth import browser_sessions

PREFIX = "eqs_"
LIFETIME = 12 * 3600  # seconds from sign-in; the cookie's max-age is the same
_TOUCH_EVERY = 60  # write last_seen_at at most once a minute per session


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class BrowserSession:
    id: int
    user_id: int
    created_at: str
    last_seen_at: str
    expires_at: int
    address: str
    user_agent: str


def start_session(
    conn: Connection,
    user_id: int,
    *,
    address: str = "",
    user_agent: str = "",
    lifetime: int = LIFETIME,
    at: float | None = None,
) -> str:
    """Record a new session in the caller's transaction; returns the token (never stored)."""
    token = PREFIX + secrets.token_urlsafe(32)
    stamp = now()
    conn.execute(
        browser_sessions.insert().values(
            token_hash=_hash(token),
            user_id=user_id,
            created_at=stamp,
            last_seen_at=stamp,
            expires_at=int(at if at is not None else time.time()) + lifetime,
            address=address[:64],
            user_agent=user_agent[:256],
        )
    )
    return token


def live_session(store: Store, token: str, *, at: float | None = None) -> BrowserSession | None:
    """The live (not ended, not expired) session of this token, else ``None``."""
    if not token.startswith(PREFIX) or len(token) > 128:
        return None
    t = browser_sessions
    moment = int(at if at is not None else time.time())
    with store.connect() as conn:
        row = conn.execute(
            select(t).where(t.c.token_hash == _hash(token), t.c.ended_at.is_(None))
        ).first()
    if row is None or row.expires_at <= moment:
        return None
    session = BrowserSession(
        row.id,
        row.user_id,
        row.created_at,
        row.last_seen_at,
        row.expires_at,
        row.address,
        row.user_agent,
    )
    _touch(store, session)
    return session


def _touch(store: Store, session: BrowserSession) -> None:
    import datetime as dt

    try:
        seen = dt.datetime.fromisoformat(session.last_seen_at).timestamp()
    except ValueError:
        seen = 0.0
    if time.time() - seen < _TOUCH_EVERY:
        return
    with store.transaction() as conn:
        conn.execute(
            browser_sessions.update()
            .where(browser_sessions.c.id == session.id)
            .values(last_seen_at=now())
        )


def end_session(conn: Connection, token: str, *, reason: str = "logout") -> int | None:
    """End the session of this token; returns its user's id, or ``None`` if it was not live."""
    t = browser_sessions
    row = conn.execute(
        select(t.c.id, t.c.user_id).where(t.c.token_hash == _hash(token), t.c.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    conn.execute(t.update().where(t.c.id == row.id).values(ended_at=now(), ended_reason=reason))
    return int(row.user_id)


def end_user_sessions(conn: Connection, user_id: int, *, reason: str) -> int:
    """End every live session of a user (in the caller's transaction); returns how many."""
    t = browser_sessions
    n = conn.execute(
        t.update()
        .where(t.c.user_id == user_id, t.c.ended_at.is_(None))
        .values(ended_at=now(), ended_reason=reason)
    ).rowcount
    return int(n or 0)


def user_sessions(store: Store, user_id: int, *, at: float | None = None) -> list[BrowserSession]:
    """The user's live sessions, newest first."""
    t = browser_sessions
    moment = int(at if at is not None else time.time())
    with store.connect() as conn:
        rows = conn.execute(
            select(t)
            .where(t.c.user_id == user_id, t.c.ended_at.is_(None), t.c.expires_at > moment)
            .order_by(t.c.id.desc())
        ).all()
    return [
        BrowserSession(
            r.id, r.user_id, r.created_at, r.last_seen_at, r.expires_at, r.address, r.user_agent
        )
        for r in rows
    ]
