"""Labelled example content of the session archive (see ``PROVENANCE.md`` here).

:func:`load_examples` files the IGF 2016 EQUALS workshop report as event "IGF" 2016, its first
revision being the original text, by the actor :data:`EXAMPLE_ACTOR` — which is how pages and
the API label it as an example. Idempotent: once the session exists (also when it was revised
since) nothing is filed again; the filing is one transaction.
"""

from __future__ import annotations

from importlib import resources

from sqlalchemy import select

from equals.archive.filing import EventRef, file_report, session_key
from equals.archive.repository import EXAMPLE_ACTOR_NAME
from equals.auth.model import Actor
from equals.sessions.parser import parse_source
from equals.sessions.reader import read_bytes
from equals.store import Store
from equals.store.tables.sessions import events, sessions

EXAMPLE_ACTOR = Actor(EXAMPLE_ACTOR_NAME)
REPORT_FILE = "igf2016-equals-workshop-report.txt"
EVENT = EventRef("IGF", 2016, kind="igf", place="Guadalajara, Mexico", dates="6–9 December 2016")


def example_bytes() -> bytes:
    return (resources.files("equals.archive.examples") / REPORT_FILE).read_bytes()


def load_examples(store: Store) -> str | None:
    """File the example report if it is not there; a one-line summary, or None."""
    data = example_bytes()
    report = parse_source(read_bytes(data, name=REPORT_FILE))
    key = session_key(report.title or "", report.date)
    with store.connect() as conn:
        found = conn.execute(
            select(sessions.c.id)
            .join(events, events.c.id == sessions.c.event_id)
            .where(events.c.name == EVENT.name, events.c.year == EVENT.year)
            .where(sessions.c.key == key)
        ).first()
    if found is not None:
        return None
    filed = file_report(store, report, actor=EXAMPLE_ACTOR, event=EVENT, source=data)
    return f"example session report filed: {report.title} (IGF 2016, session {filed.session_id})"
