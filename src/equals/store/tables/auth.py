"""Tables for users and their writes: users, roles (optionally scoped to an organisation, so a
partner-editor role fits later), hashed API tokens and the audit log.

Registered on the shared :data:`equals.store.tables.base.metadata`; migration ``0003`` creates them.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

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
