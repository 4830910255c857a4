"""CSV and JSON exports of partners and initiatives, with each code's label beside it.

One row per partner / initiative; list-valued fields are joined with ``; `` (codes in one
column, their labels in the next). Contacts' e-mail addresses are never exported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from equals.partners.model import CodeLabel, Initiative, Partner

PARTNER_COLUMNS = [
    "organization_id",
    "name",
    "full_name",
    "stakeholder_group",
    "stakeholder_group_label",
    "country",
    "country_name",
    "website",
    "joined",
    "iati_org_id",
    "iati_org_type",
    "iati_org_type_label",
    "coalitions",
    "aliases",
    "example",
    "source_note",
    "version",
]
INITIATIVE_COLUMNS = [
    "id",
    "title",
    "lead_organization_id",
    "lead",
    "status",
    "status_label",
    "freshness",
    "freshness_label",
    "action_areas",
    "target_groups",
    "target_groups_label",
    "countries",
    "countries_label",
    "regions",
    "regions_label",
    "sectors",
    "sectors_label",
    "start_date",
    "end_date",
    "budget",
    "currency",
    "gender_marker",
    "gender_marker_label",
    "participants",
    "targets",
    "iati_identifier",
    "as_of",
    "example",
    "source_note",
    "version",
]


def _codes(items: Sequence[CodeLabel]) -> tuple[str, str]:
    return "; ".join(x.code for x in items), "; ".join(x.label for x in items)


def partner_row(p: Partner) -> dict[str, Any]:
    return {
        "organization_id": p.organization_id,
        "name": p.name,
        "full_name": p.full_name,
        "stakeholder_group": p.stakeholder_group.code,
        "stakeholder_group_label": p.stakeholder_group.label,
        "country": p.country.code if p.country else "",
        "country_name": p.country.label if p.country else "",
        "website": p.website,
        "joined": p.joined or "",
        "iati_org_id": p.iati_org_id or "",
        "iati_org_type": p.iati_org_type.code if p.iati_org_type else "",
        "iati_org_type_label": p.iati_org_type.label if p.iati_org_type else "",
        "coalitions": "; ".join(p.coalitions),
        "aliases": "; ".join(p.aliases),
        "example": p.example,
        "source_note": p.source_note,
        "version": p.version,
    }


def initiative_row(i: Initiative) -> dict[str, Any]:
    groups, group_labels = _codes(i.target_groups)
    countries, country_labels = _codes(i.countries)
    regions, region_labels = _codes(i.regions)
    sectors, sector_labels = _codes(i.sectors)
    return {
        "id": i.id,
        "title": i.title,
        "lead_organization_id": i.lead.id,
        "lead": i.lead.name,
        "status": i.status.code,
        "status_label": i.status.label,
        "freshness": i.freshness.code,
        "freshness_label": i.freshness.label,
        "action_areas": "; ".join(i.action_areas),
        "target_groups": groups,
        "target_groups_label": group_labels,
        "countries": countries,
        "countries_label": country_labels,
        "regions": regions,
        "regions_label": region_labels,
        "sectors": sectors,
        "sectors_label": sector_labels,
        "start_date": i.start_date or "",
        "end_date": i.end_date or "",
        "budget": "" if i.budget is None else i.budget,
        "currency": i.currency or "",
        "gender_marker": i.gender_marker.code if i.gender_marker else "",
        "gender_marker_label": i.gender_marker.label if i.gender_marker else "",
        "participants": "; ".join(f"{p.organization.id} ({p.role.label})" for p in i.participants),
        "targets": "; ".join(
            f"{t.indicator} {t.country.code} {t.sex}: {t.target_value:g} by {t.target_year}"
            for t in i.targets
        ),
        "iati_identifier": i.iati_identifier or "",
        "as_of": i.as_of,
        "example": i.example,
        "source_note": i.source_note,
        "version": i.version,
    }


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _safe(v) for k, v in r.items()})
    return out.getvalue()


def _safe(v: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def partners_csv(partners: Sequence[Partner]) -> str:
    return to_csv([partner_row(p) for p in partners], PARTNER_COLUMNS)


def initiatives_csv(initiatives: Sequence[Initiative]) -> str:
    return to_csv([initiative_row(i) for i in initiatives], INITIATIVE_COLUMNS)


def to_json(items: Sequence[Partner] | Sequence[Initiative]) -> str:
    return json.dumps([x.model_dump(mode="json") for x in items], ensure_ascii=False, indent=1)
