"""Partnership registry: partners, memberships, contacts, coalitions, governance, initiatives,
targets, progress reports (filled in by the partnership work).

Creates the tables of ``equals.store.tables.partners`` (kept literal here: migrations are
frozen). Same DDL on SQLite and PostgreSQL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ORG = "organizations.id"


def _stamps() -> list[sa.Column[str]]:
    return [
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    ]


def _flags() -> list[sa.Column[object]]:
    return [
        sa.Column("example", sa.Boolean, nullable=False),
        sa.Column("source_note", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    ]


CHILDREN = (
    ("initiative_areas", "area", 16),
    ("initiative_groups", "target_group", 48),
    ("initiative_countries", "country", 3),
    ("initiative_regions", "region", 8),
    ("initiative_sectors", "sector", 8),
)


def upgrade() -> None:
    op.create_table(
        "partners",
        sa.Column("organization_id", sa.String(128), sa.ForeignKey(ORG), primary_key=True),
        sa.Column("stakeholder_group", sa.String(32), nullable=False),
        sa.Column("country", sa.String(3)),
        sa.Column("website", sa.Text, nullable=False),
        sa.Column("joined", sa.String(10)),
        sa.Column("iati_org_id", sa.String(128)),
        sa.Column("iati_org_type", sa.String(8)),
        sa.Column("description", sa.Text, nullable=False),
        *_flags(),
        *_stamps(),
    )
    op.create_table(
        "partner_contacts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organization_id", sa.String(128), sa.ForeignKey(ORG), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
    )
    op.create_index("ix_contacts_org", "partner_contacts", ["organization_id"])
    op.create_table(
        "organization_aliases",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("organization_id", sa.String(128), sa.ForeignKey(ORG), nullable=False),
    )
    op.create_table(
        "organization_merges",
        sa.Column("merged_id", sa.String(128), sa.ForeignKey(ORG), primary_key=True),
        sa.Column("into_id", sa.String(128), sa.ForeignKey(ORG), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
    )
    op.create_index("ix_merges_into", "organization_merges", ["into_id"])
    op.create_table(
        "coalitions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("action_area", sa.String(16), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("lead_organization_id", sa.String(128), sa.ForeignKey(ORG)),
        *_flags(),
        *_stamps(),
    )
    op.create_table(
        "coalition_members",
        sa.Column("coalition_id", sa.String(64), sa.ForeignKey("coalitions.id"), primary_key=True),
        sa.Column("organization_id", sa.String(128), sa.ForeignKey(ORG), primary_key=True),
        sa.Column("since", sa.String(10)),
    )
    op.create_table(
        "governance_seats",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("body", sa.String(32), nullable=False),
        sa.Column("seat", sa.Text, nullable=False),
        sa.Column("organization_id", sa.String(128), sa.ForeignKey(ORG), nullable=False),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("since", sa.String(10)),
        sa.Column("until", sa.String(10)),
        *_flags(),
    )
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("lead_organization_id", sa.String(128), sa.ForeignKey(ORG), nullable=False),
        sa.Column("status", sa.String(2), nullable=False),
        sa.Column("start_date", sa.String(10)),
        sa.Column("end_date", sa.String(10)),
        sa.Column("budget", sa.Float),
        sa.Column("currency", sa.String(3)),
        sa.Column("gender_marker", sa.String(2)),
        sa.Column("iati_identifier", sa.String(255)),
        sa.Column("website", sa.Text, nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        *_flags(),
        *_stamps(),
    )
    op.create_index("ix_initiatives_lead", "initiatives", ["lead_organization_id"])
    for name, column, length in CHILDREN:
        op.create_table(
            name,
            sa.Column(
                "initiative_id", sa.Integer, sa.ForeignKey("initiatives.id"), primary_key=True
            ),
            sa.Column(column, sa.String(length), primary_key=True),
        )
        op.create_index(f"ix_{name}_value", name, [column])
    op.create_table(
        "initiative_participants",
        sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id"), primary_key=True),
        sa.Column("organization_id", sa.String(128), sa.ForeignKey(ORG), primary_key=True),
        sa.Column("role", sa.String(2), primary_key=True),
    )
    op.create_index("ix_participants_org", "initiative_participants", ["organization_id"])
    op.create_table(
        "initiative_deliverables",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("measure", sa.Text, nullable=False),
        sa.Column("due", sa.String(10)),
        sa.Column("done", sa.Boolean, nullable=False),
    )
    op.create_index("ix_deliverables_initiative", "initiative_deliverables", ["initiative_id"])
    op.create_table(
        "initiative_targets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("indicator_id", sa.String(64), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("sex", sa.String(8), nullable=False),
        sa.Column("baseline_value", sa.Float),
        sa.Column("baseline_year", sa.Integer),
        sa.Column("target_value", sa.Float, nullable=False),
        sa.Column("target_year", sa.Integer, nullable=False),
    )
    op.create_index("ix_targets_initiative", "initiative_targets", ["initiative_id"])
    op.create_table(
        "progress_reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id"), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("narrative", sa.Text, nullable=False),
        sa.Column("links", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_progress_initiative", "progress_reports", ["initiative_id", "date"])
    op.create_table(
        "progress_values",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("progress_reports.id"), primary_key=True),
        sa.Column(
            "target_id", sa.Integer, sa.ForeignKey("initiative_targets.id"), primary_key=True
        ),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
    )
    op.create_table(
        "initiative_session_links",
        sa.Column("initiative_id", sa.Integer, sa.ForeignKey("initiatives.id"), primary_key=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "initiative_session_links",
        "progress_values",
        "progress_reports",
        "initiative_targets",
        "initiative_deliverables",
        "initiative_participants",
        *(name for name, _, _ in CHILDREN),
        "initiatives",
        "governance_seats",
        "coalition_members",
        "coalitions",
        "organization_merges",
        "organization_aliases",
        "partner_contacts",
        "partners",
    ):
        op.drop_table(table)
