"""Words of the session pages in the reader's language: action areas, stakeholder groups,
roles, finding severities (Jinja filters ``area``, ``group``, ``role``, ``severity``), and
stored findings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from equals.core.i18n import DEFAULT_LANGUAGE, N_, LazyString, _, current_language
from equals.core.problems import REGISTRY
from equals.sessions.validate import Finding

AREAS: dict[str, LazyString] = {
    "access": N_("Access"),
    "skills": N_("Skills"),
    "leadership": N_("Leadership"),
}
GROUPS: dict[str, LazyString] = {
    "government": N_("Government"),
    "private_sector": N_("Private sector"),
    "civil_society": N_("Civil society"),
    "technical_community": N_("Technical community"),
    "academia": N_("Academia"),
    "intergovernmental": N_("Intergovernmental"),
}
ROLES: dict[str, LazyString] = {
    "organizer": N_("Organizer"),
    "moderator": N_("Moderator"),
    "rapporteur": N_("Rapporteur"),
    "speaker": N_("Speaker"),
    "participant": N_("Participant"),
}
SEVERITIES: dict[str, LazyString] = {
    "error": N_("error"),
    "warning": N_("warning"),
    "info": N_("info"),
}


def area_label(value: object) -> str:
    """``access`` → ``Access`` (``Accès`` …); unknown: as written, capitalised."""
    text = str(getattr(value, "value", value))
    label = AREAS.get(text)
    return str(label) if label is not None else text.capitalize()


def group_label(value: object) -> str:
    """``civil_society`` → ``Civil society`` (``Société civile`` …); unknown: as written."""
    text = str(value)
    label = GROUPS.get(text)
    return str(label) if label is not None else text.replace("_", " ").capitalize()


def role_label(value: object) -> str:
    text = str(value)
    label = ROLES.get(text)
    return str(label) if label is not None else text.capitalize()


def severity_label(value: object) -> str:
    text = str(value)
    label = SEVERITIES.get(text)
    return str(label) if label is not None else text


def stored_findings(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """Findings as stored with a revision: in the reader's language when their message id was
    stored beside them (:meth:`Finding.shown`); one filed without (before migration 0011) shows
    the meaning of its code in another language, its English message in English."""
    out = []
    for f in findings:
        entry = REGISTRY.get(f.code)
        meaning = entry.meaning if entry else ""
        if f.msgid or not meaning or current_language() == DEFAULT_LANGUAGE:
            out.append(f.shown())
        else:
            out.append({**f.to_record(), "message": _(meaning)})
    return out
