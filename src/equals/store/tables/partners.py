"""Tables for the partnership registry: partner memberships, contacts, organisation aliases and
merges, coalitions, governance seats, initiatives (with their participants, action areas, target
groups, countries, regions, sectors, deliverables and indicator targets), progress reports and
confirmed links between initiatives and session reports.

A partner is a row of ``organizations`` (the one organisation entity, shared with the session
reports) plus a ``partners`` membership row keyed by the same id. Editable records carry a
``version`` (see ``equals.web.concurrency``). ``example`` marks labelled example content.
Registered on :data:`equals.store.tables.base.metadata`; migration ``0004`` creates them.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from equals.store.tables import sessions as _sessions  # noqa: F401  (organizations: FK target)
from equals.store.tables.base import metadata

ORG = "organizations.id"

partners = Table(
    "partners",
    metadata,
    Column("organization_id", String(128), ForeignKey(ORG), primary_key=True),
    Column("stakeholder_group", String(32), nullable=False),
    Column("country", String(3)),  # ISO3 of the headquarters; NULL for international bodies
    Column("website", Text, nullable=False, default=""),
    Column("joined", String(10)),  # ISO date
    Column("iati_org_id", String(128)),
    Column("iati_org_type", String(8)),  # IATI OrganisationType code
    Column("description", Text, nullable=False, default=""),
    Column("example", Boolean, nullable=False, default=False),
    Column("source_note", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

partner_contacts = Table(
    "partner_contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("organization_id", String(128), ForeignKey(ORG), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False, default=""),
    Column("email", Text, nullable=False, default=""),  # never public
    Index("ix_contacts_org", "organization_id"),
)

organization_aliases = Table(
    "organization_aliases",
    metadata,
    # compact key of the alias (as equals.sessions.text.compact_key makes it)
    Column("key", String(255), primary_key=True),
    Column("alias", Text, nullable=False),
    Column("organization_id", String(128), ForeignKey(ORG), nullable=False),
)

organization_merges = Table(
    "organization_merges",
    metadata,
    Column("merged_id", String(128), ForeignKey(ORG), primary_key=True),
    Column("into_id", String(128), ForeignKey(ORG), nullable=False),
    Column("at", String(32), nullable=False),
    Column("actor", Text, nullable=False),
    Index("ix_merges_into", "into_id"),
)

coalitions = Table(
    "coalitions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("action_area", String(16), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("lead_organization_id", String(128), ForeignKey(ORG)),
    Column("example", Boolean, nullable=False, default=False),
    Column("source_note", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

coalition_members = Table(
    "coalition_members",
    metadata,
    Column("coalition_id", String(64), ForeignKey("coalitions.id"), primary_key=True),
    Column("organization_id", String(128), ForeignKey(ORG), primary_key=True),
    Column("since", String(10)),
)

governance_seats = Table(
    "governance_seats",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("body", String(32), nullable=False),  # co-founder | steering-committee | secretariat
    Column("seat", Text, nullable=False, default=""),
    Column("organization_id", String(128), ForeignKey(ORG), nullable=False),
    Column("holder", Text, nullable=False, default=""),  # a person, when known
    Column("since", String(10)),
    Column("until", String(10)),  # end of term
    Column("example", Boolean, nullable=False, default=False),
    Column("source_note", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)

initiatives = Table(
    "initiatives",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("lead_organization_id", String(128), ForeignKey(ORG), nullable=False),
    Column("status", String(2), nullable=False),  # IATI ActivityStatus code
    Column("start_date", String(10)),
    Column("end_date", String(10)),
    Column("budget", Float),
    Column("currency", String(3)),
    Column("gender_marker", String(2)),  # IATI PolicySignificance for policy marker 1
    Column("iati_identifier", String(255)),
    Column("website", Text, nullable=False, default=""),
    Column("as_of", String(10), nullable=False),  # date of the latest information
    Column("example", Boolean, nullable=False, default=False),
    Column("source_note", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_initiatives_lead", "lead_organization_id"),
    Index("ix_initiatives_title", "title", "id"),  # the order of every list (0010)
)


def _child(name: str, column: Column[str]) -> Table:
    return Table(
        name,
        metadata,
        Column("initiative_id", Integer, ForeignKey("initiatives.id"), primary_key=True),
        column,
        Index(f"ix_{name}_value", column.name),
    )


initiative_areas = _child("initiative_areas", Column("area", String(16), primary_key=True))
initiative_groups = _child(
    "initiative_groups", Column("target_group", String(48), primary_key=True)
)
initiative_countries = _child(
    "initiative_countries", Column("country", String(3), primary_key=True)
)
initiative_regions = _child("initiative_regions", Column("region", String(8), primary_key=True))
initiative_sectors = _child("initiative_sectors", Column("sector", String(8), primary_key=True))

initiative_participants = Table(
    "initiative_participants",
    metadata,
    Column("initiative_id", Integer, ForeignKey("initiatives.id"), primary_key=True),
    Column("organization_id", String(128), ForeignKey(ORG), primary_key=True),
    Column("role", String(2), primary_key=True),  # IATI OrganisationRole code
    Index("ix_participants_org", "organization_id"),
)

deliverables = Table(
    "initiative_deliverables",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("initiative_id", Integer, ForeignKey("initiatives.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("measure", Text, nullable=False, default=""),  # how achievement is measured
    Column("due", String(10)),
    Column("done", Boolean, nullable=False, default=False),
    Index("ix_deliverables_initiative", "initiative_id"),
)

targets = Table(
    "initiative_targets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("initiative_id", Integer, ForeignKey("initiatives.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("indicator_id", String(64), nullable=False),  # catalogue id (checked on write)
    Column("country", String(3), nullable=False),
    Column("sex", String(8), nullable=False),  # female | male | total
    Column("baseline_value", Float),
    Column("baseline_year", Integer),
    Column("target_value", Float, nullable=False),
    Column("target_year", Integer, nullable=False),
    Index("ix_targets_initiative", "initiative_id"),
)

progress_reports = Table(
    "progress_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("initiative_id", Integer, ForeignKey("initiatives.id"), nullable=False),
    Column("date", String(10), nullable=False),
    Column("narrative", Text, nullable=False),
    Column("links", Text, nullable=False, default="[]"),  # JSON list of URLs
    Column("actor", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Index("ix_progress_initiative", "initiative_id", "date"),
)

progress_values = Table(
    "progress_values",
    metadata,
    Column("report_id", Integer, ForeignKey("progress_reports.id"), primary_key=True),
    Column("target_id", Integer, ForeignKey("initiative_targets.id"), primary_key=True),
    Column("value", Float, nullable=False),
    Column("year", Integer, nullable=False),
)

session_links = Table(
    "initiative_session_links",
    metadata,
    Column("initiative_id", Integer, ForeignKey("initiatives.id"), primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
    Column("status", String(16), nullable=False),  # confirmed | rejected
    Column("evidence", Text, nullable=False, default=""),
    Column("actor", Text, nullable=False),
    Column("at", String(32), nullable=False),
)
