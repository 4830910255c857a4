"""Organisations, stakeholder groups and regional groups as normalised entities.

The alias tables are data (``data/organizations.yaml``, ``data/stakeholders.yaml``): one
"UN Women" whether a report writes "UNWOMEN", "UN-Women" or "UN Women", so sessions can later
be linked to the partner registry by ``Organization.id``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from equals.core.vocabulary import StakeholderGroup
from equals.sessions.text import clean, compact_key, normalize_label


@dataclass(frozen=True, slots=True)
class Organization:
    """An organisation as a report names it: ``name`` is canonical when ``id`` is known."""

    name: str
    id: str | None = None
    full_name: str = ""
    raw: str = ""


def _data(name: str) -> Any:
    return yaml.safe_load((resources.files("equals.sessions") / "data" / name).read_text("utf-8"))


@cache
def _org_table() -> dict[str, Organization]:
    table: dict[str, Organization] = {}
    for entry in _data("organizations.yaml"):
        org = Organization(name=entry["name"], id=entry["id"], full_name=entry.get("full_name", ""))
        for alias in (entry["name"], entry.get("full_name", ""), *entry.get("aliases", [])):
            if alias:
                table[compact_key(alias)] = org
    return table


def known_organization(text: str) -> Organization | None:
    """The registry entry for a name (or its bracketed acronym), if it is in the table."""
    table = _org_table()
    if hit := table.get(compact_key(text)):
        return hit
    for inner in re.findall(r"\(([^()]+)\)", text):
        if hit := table.get(compact_key(inner)):
            return hit
    return None


def normalize_organization(text: str) -> Organization:
    raw = clean(text)
    hit = known_organization(raw)
    if hit:
        return Organization(name=hit.name, id=hit.id, full_name=hit.full_name, raw=raw)
    return Organization(name=raw.strip(" ,;:-–—"), raw=raw)


@cache
def _stakeholders() -> tuple[dict[str, StakeholderGroup], dict[str, str]]:
    d = _data("stakeholders.yaml")
    groups = {
        normalize_label(p): StakeholderGroup(g)
        for g, phrases in d["groups"].items()
        for p in phrases
    }
    regions = {normalize_label(p): name for name, phrases in d["regions"].items() for p in phrases}
    return groups, regions


def stakeholder_group(text: str) -> StakeholderGroup | None:
    """``"Private Sector"``, ``"International Organisation"``, ``"CSO"`` → the vocabulary."""
    return _stakeholders()[0].get(normalize_label(text))


def trailing_stakeholder_group(text: str) -> tuple[str, StakeholderGroup] | None:
    """``"Jac SM Kee Civil Society"`` → (``"Jac SM Kee"``, civil society); multi-word groups only
    (and single-word ones after at least two other words)."""
    words = text.split()
    for n in (3, 2, 1):
        if len(words) <= (n if n > 1 else 2):
            continue
        group = stakeholder_group(" ".join(words[-n:]))
        if group is not None:
            return " ".join(words[:-n]), group
    return None


def regional_group(text: str) -> str | None:
    return _stakeholders()[1].get(normalize_label(text))


def country_name(text: str) -> str | None:
    """The English short name when ``text`` is a country name (not a bare code)."""
    return _country_name(clean(text)) if len(text) < 200 else None


@cache
def _countries() -> dict[str, str]:
    """Every country's name, official name and common name (casefolded) → its short name:
    pycountry's lookup, read once into a dict (a lookup per string scans every country)."""
    import pycountry

    table: dict[str, str] = {}
    for c in pycountry.countries:
        short = str(getattr(c, "common_name", None) or c.name)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                table.setdefault(str(value).casefold(), short)
    return table


def _country_name(t: str) -> str | None:
    if len(t) < 4 or not t[0].isupper():
        return None
    return _countries().get(t.casefold())
