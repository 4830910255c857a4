"""Sign-in throttling per account and per client address, counted in the database.

Every web sign-in attempt is a row of ``login_attempts`` (so the limits hold across workers and
restarts). An account is refused for a while after ``account_limit`` failures within ``window``
seconds since its last success; a client address after ``address_limit`` failures within the
window, whatever names it tried. A refused attempt runs no password check at all, so a flood
costs the server one indexed count per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, func, select

from equals.auth.model import AuthError
from equals.core.i18n import Msg
from equals.store.tables.auth import login_attempts


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    account_limit: int = 5
    address_limit: int = 20
    window: int = 15 * 60  # seconds


DEFAULT_POLICY = ThrottlePolicy()


class TooManyAttemptsError(AuthError):
    """Too many failed sign-ins: try again after ``retry_after`` seconds (HTTP 429)."""

    code = "too-many-attempts"

    def __init__(self, scope: str, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(_refusal(scope, minutes))
        self.scope = scope
        self.retry_after = max(1, retry_after)


def _refusal(scope: str, minutes: int) -> str:
    """The refusal, one whole sentence per scope and number (no plural forms in ``Msg``)."""
    if scope == "from this address":
        if minutes == 1:
            return Msg("too many failed sign-ins from this address; try again in 1 minute")
        return Msg(
            "too many failed sign-ins from this address; try again in %(count)s minutes",
            count=minutes,
        )
    if scope == "for this account":
        if minutes == 1:
            return Msg("too many failed sign-ins for this account; try again in 1 minute")
        return Msg(
            "too many failed sign-ins for this account; try again in %(count)s minutes",
            count=minutes,
        )
    s = "s" if minutes != 1 else ""
    return f"too many failed sign-ins {scope}; try again in {minutes} minute{s}"


def _retry_after(
    conn: Connection,
    column: ColumnElement[str],
    value: str,
    since: int,
    limit: int,
    window: int,
    at: int,
) -> int | None:
    """Seconds until the failures counted against ``value`` fall below ``limit``, else None."""
    t = login_attempts
    rows = conn.execute(
        select(t.c.at)
        .where(column == value, t.c.succeeded.is_(False), t.c.at > since)
        .order_by(t.c.at.desc())
        .limit(limit)
    ).scalars()
    stamps = list(rows)
    if len(stamps) < limit:
        return None
    return int(stamps[-1] + window - at)


def check(
    conn: Connection, account: str, address: str, at: int, policy: ThrottlePolicy = DEFAULT_POLICY
) -> None:
    """Raise :class:`TooManyAttemptsError` when this account or address is throttled."""
    t = login_attempts
    start = at - policy.window
    last_ok = conn.execute(
        select(func.max(t.c.at)).where(t.c.account == account, t.c.succeeded.is_(True))
    ).scalar_one_or_none()
    since = max(start, int(last_ok or 0))
    wait = _retry_after(conn, t.c.account, account, since, policy.account_limit, policy.window, at)
    if wait is not None and wait > 0:
        raise TooManyAttemptsError("for this account", wait)
    wait = _retry_after(conn, t.c.address, address, start, policy.address_limit, policy.window, at)
    if wait is not None and wait > 0:
        raise TooManyAttemptsError("from this address", wait)


def record(conn: Connection, account: str, address: str, at: int, *, succeeded: bool) -> int:
    """Store an attempt; returns its id. Attempts older than a day are pruned now and then."""
    t = login_attempts
    aid = conn.execute(
        t.insert().values(at=at, account=account, address=address, succeeded=succeeded)
    ).inserted_primary_key[0]  # type: ignore[index]
    if int(aid) % 200 == 0:
        conn.execute(t.delete().where(t.c.at < at - 86400))
    return int(aid)


def mark_succeeded(conn: Connection, attempt_id: int) -> None:
    t = login_attempts
    conn.execute(t.update().where(t.c.id == attempt_id).values(succeeded=True))
