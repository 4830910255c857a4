"""Tables for session reports: events, sessions, report revisions, people, organisations,
roles, stated counts, action-area tags and the full-text search document.

Registered on the shared :data:`equals.store.tables.base.metadata`; migration ``0003`` creates them.
Full-text search is dialect-specific and lives in the migration, not here:

- SQLite: an FTS5 virtual table :data:`FTS_TABLE` over ``session_search`` (external content,
  kept in sync by triggers, so every write is indexed in the writer's own transaction). FTS5
  adds shadow tables named ``session_search_fts_*``.
- PostgreSQL: a GIN expression index over :data:`PG_TSVECTOR` (the same expression is used by
  the queries, so the index applies).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from equals.store.tables import auth as _auth  # noqa: F401  (users: FK target)
from equals.store.tables.base import metadata

FTS_TABLE = "session_search_fts"
PG_TSVECTOR = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(people, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'C')"
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False, default="igf"),
    Column("year", Integer, nullable=False),
    Column("place", Text, nullable=False, default=""),
    Column("dates", Text, nullable=False, default=""),
    UniqueConstraint("name", "year", name="uq_event_name_year"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    # Identity within the event: the title's compact key (and date), so refiling updates.
    Column("key", String(255), nullable=False),
    Column("template_id", String(64), nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("date", String(10)),
    Column("start_time", String(5)),
    Column("end_time", String(5)),
    Column("theme", Text),
    Column("subtheme", Text),
    Column("current_revision_id", Integer),  # report_revisions.id (no FK: cycle)
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    # Optimistic concurrency (web/concurrency.py): raised by every new revision (0007).
    Column("version", Integer, nullable=False, server_default="1"),
    # The user who filed the first revision (NULL: filed at the command line) (0007).
    Column("owner_id", Integer),  # users.id
    UniqueConstraint("event_id", "key", name="uq_session_event_key"),
)

session_editors = Table(
    "session_editors",
    metadata,
    # Users granted the right to revise a session they did not file (0007).
    Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("granted_by", Text, nullable=False),
    Column("granted_at", String(32), nullable=False),
)


report_revisions = Table(
    "report_revisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("record", Text, nullable=False),  # JSON of equals.sessions.to_record
    Column("template_id", String(64), nullable=False),
    Column("source_format", String(16), nullable=False, default=""),
    Column("source_name", Text, nullable=False, default=""),
    Column("source_sha256", String(64), nullable=False, default=""),
    Column("valid", Boolean, nullable=False),
    Column("validation", Text, nullable=False),  # JSON of ValidationReport.to_record
    # JSON: the message ids and values of the record's warnings and the validation's findings,
    # in their order (equals.sessions.validate.message_keys); NULL before 0011 (English only).
    Column("messages", Text),
    Column("author_id", Integer, ForeignKey("users.id")),
    Column("actor", Text, nullable=False),  # user name, or "cli:<os user>"
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("session_id", "number", name="uq_revision_number"),
)

organizations = Table(
    "organizations",
    metadata,
    Column("id", String(128), primary_key=True),  # the alias table's id, else "x:<key>"
    Column("name", Text, nullable=False),
    Column("full_name", Text, nullable=False, default=""),
    Column("known", Boolean, nullable=False, default=False),  # in the alias table
    Column("partner_id", String(64)),  # for the partner registry, later
)

people = Table(
    "people",
    metadata,
    # One row per identity: namesakes get rows of their own (0007).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    # Unique identity key: the name key, then "<name key>~<n>" for the n-th namesake.
    Column("key", String(255), nullable=False, unique=True),
    # The folded name (casefolded, accents and punctuation dropped), shared by namesakes.
    Column("name_key", String(255), nullable=False, server_default=""),
    # Set when an admin merged this identity into another (reversible: clear it to split).
    Column("merged_into", Integer),
    Index("ix_people_name_key", "name_key"),
)

person_distinct = Table(
    "person_distinct",
    metadata,
    # Pairs an admin confirmed are different people: never offered for merging again (0007).
    Column("person_a", Integer, ForeignKey("people.id"), primary_key=True),
    Column("person_b", Integer, ForeignKey("people.id"), primary_key=True),
    Column("actor", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

session_roles = Table(
    "session_roles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id"), nullable=False),
    Column("role", String(16), nullable=False),  # organizer | moderator | rapporteur | speaker
    Column("position", Integer, nullable=False),
    Column("person_id", Integer, ForeignKey("people.id")),  # NULL for an organising body
    Column("organization_id", String(128), ForeignKey("organizations.id")),
    Column("stakeholder_group", String(32)),
    Column("title", Text),
    Column("country", Text),
    Column("region", Text),
    Column("raw", Text, nullable=False, default=""),
    Index("ix_roles_session", "session_id", "role", "position"),
    Index("ix_roles_org", "organization_id"),
    Index("ix_roles_group", "stakeholder_group"),
)

session_stats = Table(
    "session_stats",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
    # Only as stated in the report: never inferred.
    Column("participants", Integer),
    Column("women", Integer),
    # Women among the speakers / moderators, where the report states it (0007).
    Column("women_speakers", Integer),
    Column("women_moderators", Integer),
    # The report has a gender-reflection section with text (IGF 2018 template onwards).
    Column("gender_reflection", Boolean),
)

session_areas = Table(
    "session_areas",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
    Column("area", String(16), primary_key=True),
    Column("sentences", Integer, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON list of {field, sentence, terms}
)

session_search = Table(
    "session_search",
    metadata,
    # The session id is the rowid: FTS5's external content table refers to it.
    Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("people", Text, nullable=False, default=""),
    Column("body", Text, nullable=False, default=""),
)
