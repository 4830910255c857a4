"""The partnership registry: partners (organisations with a membership), contacts, coalitions,
governance, initiatives with SMART deliverables and indicator targets, progress reports,
evidence-to-action views, session links and IATI exchange.

A library first (a notebook can use it); the CLI and the web app are thin adapters::

    from equals.partners import create_partner, create_initiative, action_gaps
    create_partner(store, {"name": "GSMA", "stakeholder_group": "private_sector"}, actor=actor)

Writes take the :class:`equals.auth.Actor` who makes them and, from the web, the
:class:`equals.auth.User` whose rights are checked (:mod:`equals.partners.permissions`); each
write is one transaction with its audit entry (before/after).
"""

from __future__ import annotations

from equals.partners.coalitions import (
    add_seat,
    create_coalition,
    end_term,
    get_coalition,
    get_seat,
    governance,
    list_coalitions,
    update_coalition,
    update_seat,
)
from equals.partners.freshness import FreshnessRule, freshness
from equals.partners.initiative_read import InitiativeFilter, get_initiative, list_initiatives
from equals.partners.initiatives import create_initiative, update_initiative
from equals.partners.progress import add_progress, list_progress
from equals.partners.registry import (
    PartnerFilter,
    create_partner,
    get_partner,
    list_partners,
    partner_sessions,
    update_partner,
)

__all__ = [
    "FreshnessRule",
    "InitiativeFilter",
    "PartnerFilter",
    "add_progress",
    "add_seat",
    "create_coalition",
    "create_initiative",
    "create_partner",
    "end_term",
    "freshness",
    "get_coalition",
    "get_initiative",
    "get_partner",
    "get_seat",
    "governance",
    "list_coalitions",
    "list_initiatives",
    "list_partners",
    "list_progress",
    "partner_sessions",
    "update_coalition",
    "update_initiative",
    "update_partner",
    "update_seat",
]
