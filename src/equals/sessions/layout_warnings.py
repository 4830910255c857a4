"""Warnings about the layout itself: unknown, or guessed where the guess matters."""

from __future__ import annotations

from collections.abc import Mapping

from equals.core.i18n import N_
from equals.sessions.detect import UNCERTAIN, Detection
from equals.sessions.labels import all_labels
from equals.sessions.model import ParseWarning
from equals.sessions.template import ReportTemplate


def _placement(labels: list[str], tmpl: ReportTemplate) -> tuple[str | None, ...]:
    """Where each label goes in a template (``None``: not a field of it)."""
    index = all_labels()
    out: list[str | None] = []
    for label in labels:
        matches = index.match(label)
        own = next((m.field_id for m in matches if m.template_id == tmpl.id), None)
        out.append(own or next((m.field_id for m in matches if tmpl.field(m.field_id)), None))
    return tuple(out)


def layout_warnings(
    layout: Detection, tmpls: Mapping[str, ReportTemplate], labels: list[str]
) -> list[ParseWarning]:
    if layout.forced:
        return []
    if not layout.known:
        return [
            ParseWarning.of(
                "unknown-layout",
                N_(
                    "no field label of any known IGF layout was found, so nothing could be placed; "
                    "the text is kept under 'unplaced'. Known layouts: %(layouts)s "
                    "(choose one with --template ID)"
                ),
                layouts=", ".join(tmpls),
            )
        ]
    # A low confidence matters only when a close runner-up would read the labels differently.
    chosen = _placement(labels, tmpls[layout.template])
    rivals = [
        t
        for t, score in layout.alternatives[:3]
        if score >= 0.75 * layout.score and _placement(labels, tmpls[t]) != chosen
    ]
    if layout.confidence < UNCERTAIN and rivals:
        others = ", ".join(t for t, _ in layout.alternatives[:2]) or "none"
        return [
            ParseWarning.of(
                "uncertain-layout",
                N_(
                    "layout guessed as %(layout)s with low confidence %(confidence)s (next: "
                    "%(others)s); check the fields or choose the layout with --template ID"
                ),
                layout=layout.template,
                confidence=f"{layout.confidence:.2f}",
                others=others,
            )
        ]
    return []
