"""The web form of an initiative: field guidance (shown beside each field), reading the posted
fields into the service's input, filling the form from a record, and pointing an error's
location at the field it concerns."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from equals.core.i18n import N_
from equals.partners.model import Initiative

ROWS = 3  # target and deliverable rows in the form

GUIDANCE: dict[str, str] = {
    "title": N_(
        "A short, specific name, as the initiative is known (e.g. 'Coding clubs for girls in "
        "Kenyan secondary schools')."
    ),
    "description": N_("What it does, for whom, where and how: two or three sentences."),
    "lead_organization_id": N_(
        "The partner accountable for the initiative. Editors may only choose "
        "their own organisation."
    ),
    "action_areas": N_("The EQUALS action areas it works on: Access, Skills, Leadership."),
    "target_groups": N_("Who it is for; used to find initiatives that could coordinate."),
    "countries": N_("ISO 3166-1 alpha-3 codes, separated by commas (e.g. KEN, MEX)."),
    "regions": N_("Optional OECD DAC region codes for regional work (e.g. 298 Africa, regional)."),
    "status": N_(
        "IATI activity status: pipeline, implementation, finalisation, closed, cancelled, "
        "suspended."
    ),
    "dates": N_("Start and planned end (ISO dates). The end cannot be before the start."),
    "budget": N_("The total budget and its ISO 4217 currency (e.g. 250000 USD); not negative."),
    "gender_marker": N_(
        "OECD DAC gender-equality policy marker: 0 not targeted, 1 significant, "
        "2 principal objective."
    ),
    "sectors": N_("OECD DAC 5-digit sector codes, comma-separated (22040 = ICT)."),
    "deliverables": N_(
        "SMART deliverables: Specific, Measurable (how you will know), Achievable, "
        "Relevant, Time-bound (a due date)."
    ),
    "targets": N_(
        "A target on an indicator of the catalogue, in one country: baseline (value and "
        "year) and target (value and year). Progress is then drawn against the published series."
    ),
    "website": N_("The initiative's web page (https://…)."),
}


def _list(value: str) -> list[str]:
    return [x.strip() for x in re.split(r"[,;\s]+", value) if x.strip()]


def _num(value: str) -> str | None:
    return value.strip() or None


def initiative_fields(
    form: Mapping[str, str], multi: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """The posted form as the input of ``create_initiative``/``update_initiative``."""
    body: dict[str, Any] = {
        "title": form.get("title", ""),
        "description": form.get("description", ""),
        "lead_organization_id": form.get("lead_organization_id", ""),
        "action_areas": list(multi.get("action_areas", [])),
        "target_groups": list(multi.get("target_groups", [])),
        "countries": [c.upper() for c in _list(form.get("countries", ""))],
        "regions": _list(form.get("regions", "")),
        "sectors": _list(form.get("sectors", "")),
        "status": form.get("status", "2") or "2",
        "start_date": _num(form.get("start_date", "")),
        "end_date": _num(form.get("end_date", "")),
        "budget": _num(form.get("budget", "")),
        "currency": (form.get("currency", "").strip().upper() or None),
        "gender_marker": _num(form.get("gender_marker", "")),
        "website": form.get("website", "").strip(),
        "deliverables": [],
        "targets": [],
    }
    for n in range(ROWS):
        title = form.get(f"deliverable_title_{n}", "").strip()
        if title:
            body["deliverables"].append(
                {
                    "title": title,
                    "measure": form.get(f"deliverable_measure_{n}", ""),
                    "due": _num(form.get(f"deliverable_due_{n}", "")),
                    "done": form.get(f"deliverable_done_{n}") == "on",
                }
            )
        indicator = form.get(f"target_indicator_{n}", "").strip()
        if indicator:
            target: dict[str, Any] = {
                "indicator": indicator,
                "country": form.get(f"target_country_{n}", "").strip().upper(),
                "sex": form.get(f"target_sex_{n}", "female") or "female",
                "baseline_value": _num(form.get(f"target_baseline_value_{n}", "")),
                "baseline_year": _num(form.get(f"target_baseline_year_{n}", "")),
                "target_value": _num(form.get(f"target_value_{n}", "")),
                "target_year": _num(form.get(f"target_year_{n}", "")),
            }
            tid = form.get(f"target_id_{n}", "").strip()
            if tid.isdigit():
                target["id"] = int(tid)
            body["targets"].append(target)
    return body


def form_values(ini: Initiative) -> dict[str, Any]:
    """A record as the form's values (for editing)."""
    values: dict[str, Any] = {
        "title": ini.title,
        "description": ini.description,
        "lead_organization_id": ini.lead.id,
        "action_areas": list(ini.action_areas),
        "target_groups": [g.code for g in ini.target_groups],
        "countries": ", ".join(c.code for c in ini.countries),
        "regions": ", ".join(r.code for r in ini.regions),
        "sectors": ", ".join(s.code for s in ini.sectors),
        "status": ini.status.code,
        "start_date": ini.start_date or "",
        "end_date": ini.end_date or "",
        "budget": "" if ini.budget is None else f"{ini.budget:g}",
        "currency": ini.currency or "",
        "gender_marker": ini.gender_marker.code if ini.gender_marker else "",
        "website": ini.website,
    }
    for n, d in enumerate(ini.deliverables[:ROWS]):
        values.update(
            {
                f"deliverable_title_{n}": d.title,
                f"deliverable_measure_{n}": d.measure,
                f"deliverable_due_{n}": d.due or "",
                f"deliverable_done_{n}": d.done,
            }
        )
    for n, t in enumerate(ini.targets[:ROWS]):
        values.update(
            {
                f"target_id_{n}": t.id,
                f"target_indicator_{n}": t.indicator,
                f"target_country_{n}": t.country.code,
                f"target_sex_{n}": t.sex,
                f"target_baseline_value_{n}": ""
                if t.baseline_value is None
                else f"{t.baseline_value:g}",
                f"target_baseline_year_{n}": t.baseline_year or "",
                f"target_value_{n}": f"{t.target_value:g}",
                f"target_year_{n}": t.target_year,
            }
        )
    return values


_TARGET = re.compile(r"^targets[\[.](\d+)\]?\.(\w+)")
_DELIV = re.compile(r"^deliverables[\[.](\d+)\]?\.(\w+)")
_LIST = re.compile(r"^(\w+)[\[.]\d+\]?$")


def field_of(location: str) -> str:
    """The form field an error names (``targets[0].indicator`` → ``target_indicator_0``)."""
    loc = location.strip()
    if m := _TARGET.match(loc):
        n, name = m.groups()
        name = {"target_value": "value", "target_year": "year"}.get(name, name)
        return f"target_{name}_{n}"
    if m := _DELIV.match(loc):
        return f"deliverable_{m.group(2)}_{m.group(1)}"
    if m := _LIST.match(loc):
        return m.group(1)
    return loc.split(".")[0] or "form"


PARTNER_GUIDANCE: dict[str, str] = {
    "name": N_(
        "The organisation's usual name or acronym; an alias of a known organisation "
        "(e.g. UNWOMEN) finds that organisation instead of making a new one."
    ),
    "stakeholder_group": N_("The IGF stakeholder group, plus academia."),
    "country": N_("ISO 3166-1 alpha-3 code of the headquarters; empty for international bodies."),
    "iati": N_(
        "IATI organisation identifier (e.g. XM-DAC-41146) and type, if the organisation "
        "publishes to IATI: exports then use them."
    ),
    "contacts": N_(
        "People to contact, with their role. E-mail addresses are shown only to the "
        "partner's editors and admins, never on public pages or in the public API."
    ),
    "aliases": N_("Other spellings reports use, comma-separated."),
}


def partner_fields(form: Mapping[str, str]) -> dict[str, Any]:
    """The posted partner form as the input of ``create_partner``/``update_partner``."""
    body: dict[str, Any] = {
        "name": form.get("name", ""),
        "full_name": form.get("full_name", ""),
        "stakeholder_group": form.get("stakeholder_group", ""),
        "country": form.get("country", "").strip().upper() or None,
        "website": form.get("website", "").strip(),
        "joined": _num(form.get("joined", "")),
        "iati_org_id": form.get("iati_org_id", "").strip() or None,
        "iati_org_type": form.get("iati_org_type", "").strip() or None,
        "description": form.get("description", ""),
        "aliases": [a.strip() for a in form.get("aliases", "").split(",") if a.strip()],
        "contacts": [],
    }
    if form.get("organization_id"):
        body["organization_id"] = form["organization_id"]
    for n in range(ROWS):
        name = form.get(f"contact_name_{n}", "").strip()
        if name:
            body["contacts"].append(
                {
                    "name": name,
                    "role": form.get(f"contact_role_{n}", ""),
                    "email": form.get(f"contact_email_{n}", "").strip(),
                }
            )
    return body


def partner_values(p: Any) -> dict[str, Any]:
    """A partner record (with private contacts) as the form's values."""
    values: dict[str, Any] = {
        "organization_id": p.organization_id,
        "name": p.name,
        "full_name": p.full_name,
        "stakeholder_group": p.stakeholder_group.code,
        "country": p.country.code if p.country else "",
        "website": p.website,
        "joined": p.joined or "",
        "iati_org_id": p.iati_org_id or "",
        "iati_org_type": p.iati_org_type.code if p.iati_org_type else "",
        "description": p.description,
        "aliases": ", ".join(p.aliases),
    }
    for n, c in enumerate(p.contacts[:ROWS]):
        values.update(
            {
                f"contact_name_{n}": c.name,
                f"contact_role_{n}": c.role,
                f"contact_email_{n}": c.email or "",
            }
        )
    return values


def contact_field(location: str) -> str:
    """``contacts[1].email`` → ``contact_email_1``; other locations as :func:`field_of`."""
    m = re.match(r"^contacts[\[.](\d+)\]?\.(\w+)", location.strip())
    return f"contact_{m.group(2)}_{m.group(1)}" if m else field_of(location)


def progress_fields(form: Mapping[str, str]) -> dict[str, Any]:
    """The posted progress form: ``actual_<target id>`` and ``year_<target id>`` per target."""
    values = [
        {
            "target_id": int(k.removeprefix("actual_")),
            "value": v,
            "year": form.get(f"year_{k.removeprefix('actual_')}", ""),
        }
        for k, v in form.items()
        if k.startswith("actual_") and k.removeprefix("actual_").isdigit() and v.strip()
    ]
    return {
        "date": form.get("date", ""),
        "narrative": form.get("narrative", ""),
        "links": [x for x in form.get("links", "").split() if x],
        "values": values,
    }
