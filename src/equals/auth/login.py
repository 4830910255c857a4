"""Signing in and out through the web: throttled, audited, with a server-side session.

::

    signed = sign_in(store, "amina", "a long passphrase", address="203.0.113.9")
    session_user(store, signed.token)       # the user, while the session lives
    sign_out(store, signed.token)           # ends it for every copy of the cookie

Every attempt is in the audit log: ``login.success``, ``login.failure`` (with the reason:
``unknown-user``, ``wrong-password`` or ``disabled``) and ``login.throttled``; sign-out is
``login.logout``. The password is never recorded.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import select

from equals.auth import browser, throttle
from equals.auth.audit import record_audit
from equals.auth.model import Actor, AuthError, User
from equals.auth.throttle import DEFAULT_POLICY, ThrottlePolicy
from equals.auth.users import authenticate, find_user, user_by_id, valid_name
from equals.core.i18n import Msg
from equals.store import Store
from equals.store.tables.auth import users


class LoginFailedError(AuthError):
    """Wrong name or password, or a disabled account (one message for all: no user probing)."""

    code = "login-failed"

    def __init__(self) -> None:
        super().__init__(Msg("wrong name or password"))


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    token: str  # goes into the cookie; only its hash is stored


def clean(text: str, limit: int) -> str:
    """Text safe to store on every database: no NUL, no lone surrogates, at most ``limit``."""
    safe = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")
    return safe[:limit]


def _anonymous(address: str) -> Actor:
    return Actor(f"anonymous@{address}" if address else "anonymous")


log = logging.getLogger(__name__)


def sign_in(
    store: Store,
    name: str,
    password: str,
    *,
    address: str = "",
    user_agent: str = "",
    policy: ThrottlePolicy = DEFAULT_POLICY,
    at: float | None = None,
) -> SignedIn:
    """Check the password (unless throttled) and start a session.

    Raises :class:`~equals.auth.throttle.TooManyAttemptsError` (no password check made) or
    :class:`LoginFailedError`; both are audited.
    """
    moment = int(at if at is not None else time.time())
    account, addr = clean(name, 64), clean(address, 64)
    refused: throttle.TooManyAttemptsError | None = None
    with store.transaction() as conn:
        try:
            throttle.check(conn, account, addr, moment, policy)
        except throttle.TooManyAttemptsError as exc:
            refused = exc
            record_audit(
                conn,
                _anonymous(addr),
                "login.throttled",
                "user",
                account,
                {"name": account, "address": addr, "scope": exc.scope},
            )
        else:
            # Counted as a failure first, so parallel guesses cannot slip past the limit.
            attempt = throttle.record(conn, account, addr, moment, succeeded=False)
    if refused is not None:
        log.warning("sign-in refused (throttled, %s) for %r from %s", refused.scope, account, addr)
        raise refused
    user = authenticate(store, name, password) if valid_name(name) else None
    with store.transaction() as conn:
        if user is None:
            known = find_user(store, name)
            reason = "unknown-user" if known is None else "wrong-password"
            if known is not None and known.disabled:
                reason = "disabled"
            record_audit(
                conn,
                _anonymous(addr),
                "login.failure",
                "user",
                known.id if known is not None else account,
                {"name": account, "address": addr, "reason": reason},
            )
        else:
            throttle.mark_succeeded(conn, attempt)
            token = browser.start_session(
                conn, user.id, address=addr, user_agent=clean(user_agent, 256), at=moment
            )
            record_audit(conn, Actor.of(user), "login.success", "user", user.id, {"address": addr})
    if user is None:
        log.warning("sign-in failed for %r from %s: %s", account, addr, reason)
        raise LoginFailedError()
    return SignedIn(user, token)


def session_user(store: Store, token: str, *, at: float | None = None) -> User | None:
    """The enabled user whose live session this token is, else ``None``."""
    session = browser.live_session(store, token, at=at)
    if session is None:
        return None
    user = user_by_id(store, session.user_id)
    return None if user is None or user.disabled else user


def sign_out(store: Store, token: str) -> bool:
    """End this session (every copy of the cookie stops working); False if it was not live."""
    if not token.startswith(browser.PREFIX) or len(token) > 128:
        return False
    with store.transaction() as conn:
        user_id = browser.end_session(conn, token, reason="logout")
        if user_id is None:
            return False
        name = conn.execute(select(users.c.name).where(users.c.id == user_id)).scalar_one()
        record_audit(conn, Actor(name, user_id), "login.logout", "user", user_id)
    return True
