"""The web forms of the registry's administration: a coalition (add, edit), a governance seat
(add, edit, end a term) and an organisation merge. Field guidance (shown beside each field),
reading the posted fields into the services' input, filling a form from a record, and pointing
an error's location at the field it concerns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from equals.core.i18n import N_
from equals.core.vocabulary import Pillar
from equals.partners.model import Coalition, Seat

COALITION_AREAS = (*(p.value for p in Pillar), "research")

COALITION_GUIDANCE: dict[str, str] = {
    "id": N_(
        "A short identifier for links and the API: lower-case letters, digits and hyphens "
        "(e.g. skills). It cannot change later."
    ),
    "name": N_("The coalition's name, as the partnership uses it (e.g. Skills Coalition)."),
    "action_area": N_(
        "The EQUALS action area it works on: Access, Skills, Leadership, or the research group."
    ),
    "description": N_("What the coalition does, in two or three sentences."),
    "lead_organization_id": N_("The partner that leads the coalition, if one does."),
    "members": N_(
        "Tick each member partner; the date it joined the coalition is optional (YYYY-MM-DD)."
    ),
}

SEAT_GUIDANCE: dict[str, str] = {
    "body": N_(
        "Co-founders started the partnership; the steering committee has seats with terms; the "
        "secretariat runs it day to day."
    ),
    "organization_id": N_("The organisation that holds the seat (its id: pick from the list)."),
    "seat": N_("The seat's name when the body has several (e.g. Chair); may stay empty."),
    "holder": N_("The person who sits for the organisation, if public."),
    "dates": N_(
        "Since when the seat is held and when the term ends; the end is not before the start."
    ),
    "edit": N_(
        "Editing corrects this term's record. When the seat changes hands, end this term and "
        "add the next holder instead, so that the seat's history stays."
    ),
    "end": N_(
        "The last day of this term (YYYY-MM-DD), not before it started. The record stays on the "
        "governance page among the past terms; add the next holder afterwards."
    ),
}

MERGE_GUIDANCE: dict[str, str] = {
    "merged": N_(
        "The duplicate to merge away: its id keeps working and leads to the surviving "
        "organisation, and its names become aliases."
    ),
    "into": N_(
        "The organisation that stays. Initiatives, coalitions, seats, contacts, aliases and "
        "editors' rights on the duplicate move to it; session reports are read through the "
        "merge and are not rewritten."
    ),
    "confirm": N_("A merge cannot be undone from the web: tick to confirm."),
}


def coalition_fields(form: Mapping[str, str], members: Sequence[str]) -> dict[str, Any]:
    """The posted coalition form as the input of ``create_coalition``/``update_coalition``:
    ticked ``member`` boxes, each with its optional ``since_<organisation id>`` date."""
    return {
        "id": form.get("id", "").strip(),
        "name": form.get("name", ""),
        "action_area": form.get("action_area", ""),
        "description": form.get("description", ""),
        "lead_organization_id": form.get("lead_organization_id", "").strip() or None,
        "members": [
            {"organization_id": oid, "since": form.get(f"since_{oid}", "").strip() or None}
            for oid in dict.fromkeys(members)
            if oid
        ],
    }


def coalition_values(c: Coalition) -> dict[str, Any]:
    """A coalition as the form's values (for editing)."""
    values: dict[str, Any] = {
        "id": c.id,
        "name": c.name,
        "action_area": c.action_area,
        "description": c.description,
        "lead_organization_id": c.lead.id if c.lead else "",
        "member": [m.organization.id for m in c.members],
    }
    for m in c.members:
        values[f"since_{m.organization.id}"] = m.since or ""
    return values


def seat_fields(form: Mapping[str, str]) -> dict[str, Any]:
    """The posted seat form as the input of ``add_seat``."""
    return {
        "body": form.get("body", ""),
        "seat": form.get("seat", ""),
        "organization_id": form.get("organization_id", "").strip(),
        "holder": form.get("holder", ""),
        "since": form.get("since", "").strip() or None,
        "until": form.get("until", "").strip() or None,
    }


def seat_values(s: Seat) -> dict[str, Any]:
    """A seat as the form's values (for editing)."""
    return {
        "body": s.body.code,
        "seat": s.seat,
        "organization_id": s.organization.id,
        "holder": s.holder,
        "since": s.since or "",
        "until": s.until or "",
    }


def admin_field(location: str) -> str:
    """The form field an error names: ``members[2].organization_id`` → ``members``."""
    loc = location.strip()
    if loc.startswith("members"):
        return "members"
    return loc.split(".")[0].split("[")[0] or "form"
