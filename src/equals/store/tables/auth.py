"""Tables for users and their writes: users, roles (optionally scoped to an organisation, so a
partner-editor role fits later), hashed API tokens, the audit log, server-side browser sessions
and the login attempts that throttling counts.

Registered on the shared :data:`equals.store.tables.base.metadata`; migration ``0003`` creates the
first four, ``0006`` the browser sessions and login attempts.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from equals.store.tables.base import metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
)

user_roles = Table(
    "user_roles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("role", String(32), nullable=False),  # admin | rapporteur | (later) partner-editor
    Column("organization_id", String(128), ForeignKey("organizations.id")),  # scope, or NULL
    Index("ix_user_roles_user", "user_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex
    Column("prefix", String(16), nullable=False),  # shown to tell tokens apart
    Column("label", Text, nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
    Column("last_used_at", String(32)),
    Column("revoked_at", String(32)),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("actor", Text, nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(128), nullable=False, default=""),
    Column("detail", Text, nullable=False, default="{}"),  # JSON
    Index("ix_audit_entity", "entity", "entity_id"),
)

# A signed-in browser: the cookie holds a random token, the database only its SHA-256 hash.
# Ending a session (logout, revoke, disable, password change, expiry) sets ended_at.
browser_sessions = Table(
    "browser_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("last_seen_at", String(32), nullable=False),
    Column("expires_at", BigInteger, nullable=False),  # epoch seconds (absolute lifetime)
    Column("ended_at", String(32)),
    Column("ended_reason", String(32)),  # logout | revoked | disabled | password | expired
    Column("address", String(64), nullable=False, default=""),
    Column("user_agent", String(256), nullable=False, default=""),
    Index("ix_browser_sessions_user", "user_id"),
)

# Every sign-in attempt through the web form, for throttling per account and per address.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False),  # epoch seconds
    Column("account", String(64), nullable=False),  # the name typed (may not exist)
    Column("address", String(64), nullable=False),  # the client address
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_account", "account", "at"),
    Index("ix_login_attempts_address", "address", "at"),
)
