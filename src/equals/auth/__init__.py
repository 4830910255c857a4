"""Users and their writes: argon2-hashed passwords, roles, bearer API tokens, CSRF tokens and
the audit log.

::

    from equals.auth import create_user, authenticate, issue_token, user_for_token, Role
    create_user(store, "amina", "a long passphrase", roles=[Role.RAPPORTEUR])
    token = issue_token(store, "amina")          # shown once; only its hash is stored
    user_for_token(store, token).can_file_sessions  # True

Browser sign-in is :func:`sign_in` / :func:`session_user` / :func:`sign_out`: a server-side
session per sign-in, throttled per account and per client address (:mod:`equals.auth.throttle`),
every attempt audited. Disabling a user, revoking their access or changing their password ends
their sessions at once.

Roles are grants ``(role, organization_id)``: ``admin`` and ``rapporteur`` are global; a
``partner-editor`` grant carries the organisation it may edit, so that role needs no rework.
"""

from __future__ import annotations

from equals.auth.audit import AuditEntry, audit_entries, record_audit
from equals.auth.browser import BrowserSession, user_sessions
from equals.auth.login import LoginFailedError, SignedIn, session_user, sign_in, sign_out
from equals.auth.model import (
    Actor,
    AuthError,
    Grant,
    NotAuthorisedError,
    Role,
    UnknownUserError,
    User,
    UserExistsError,
    WeakPasswordError,
)
from equals.auth.passwords import hash_password, verify_password
from equals.auth.signing import Signer, csrf_token, verify_csrf
from equals.auth.throttle import ThrottlePolicy, TooManyAttemptsError
from equals.auth.tokens import issue_token, revoke_tokens, user_for_token
from equals.auth.users import (
    authenticate,
    create_user,
    find_user,
    get_user,
    list_users,
    set_disabled,
    set_password,
)

__all__ = [
    "Actor",
    "AuditEntry",
    "AuthError",
    "BrowserSession",
    "Grant",
    "LoginFailedError",
    "NotAuthorisedError",
    "Role",
    "SignedIn",
    "Signer",
    "ThrottlePolicy",
    "TooManyAttemptsError",
    "UnknownUserError",
    "User",
    "UserExistsError",
    "WeakPasswordError",
    "audit_entries",
    "authenticate",
    "create_user",
    "csrf_token",
    "find_user",
    "get_user",
    "hash_password",
    "issue_token",
    "list_users",
    "record_audit",
    "revoke_tokens",
    "session_user",
    "set_disabled",
    "set_password",
    "sign_in",
    "sign_out",
    "user_for_token",
    "user_sessions",
    "verify_csrf",
    "verify_password",
]
