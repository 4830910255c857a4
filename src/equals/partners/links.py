"""Sessions ↔ initiatives: suggestions from the reports' text, confirmed (or rejected) by an
editor; nothing is ever linked without that decision.

A session is suggested for an initiative when its filed report mentions the initiative's title,
or a part of the title of two words or more (case, punctuation and spacing ignored; a trailing
"initiative"/"programme" word is optional), with the sentence that mentions it as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from equals.archive.repository import SessionSummary, summaries_by_id
from equals.auth import Actor, User, record_audit
from equals.auth.model import now
from equals.core.errors import NotFoundError
from equals.partners.initiative_read import read_initiative
from equals.partners.permissions import Action, require
from equals.store import Store
from equals.store.tables import partners as t
from equals.store.tables.sessions import session_search, sessions

_TAIL = re.compile(r"\s+(initiatives?|programmes?|programs?|project)$", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _needles(title: str) -> list[str]:
    """The phrases that name an initiative: its title, and each comma- or dash-separated part
    of it of two words or more ("Digital Government Unit, Ministry of …")."""
    core = _TAIL.sub("", title.strip())
    parts = [core, *(p for p in re.split(r"\s*[,;:–—(]\s*|\s+-\s+", core) if p != core)]
    out = [_words(_TAIL.sub("", p)) for p in parts]
    return [n for n in dict.fromkeys(out) if len(n) >= 4 and (" " in n or n == out[0])]


@dataclass(frozen=True, slots=True)
class LinkSuggestion:
    initiative_id: int
    session_id: int
    session_title: str
    evidence: str  # the sentence that names the initiative


def suggest_links(store: Store, initiative_id: int) -> list[LinkSuggestion]:
    """Sessions whose report names the initiative and that no one has decided on yet."""
    with store.connect() as conn:
        ini = read_initiative(conn, initiative_id)
        decided = set(
            conn.execute(
                select(t.session_links.c.session_id).where(
                    t.session_links.c.initiative_id == initiative_id
                )
            ).scalars()
        )
        docs = conn.execute(
            select(session_search.c.session_id, session_search.c.title, session_search.c.body)
        ).all()
    needles = _needles(ini.title)
    out = []
    for sid, title, body in docs:
        if sid in decided or not needles:
            continue
        for sentence in _SENTENCE.split(" ".join(str(body).split())):
            padded = f" {_words(sentence)} "
            if any(f" {n} " in padded for n in needles):
                out.append(LinkSuggestion(initiative_id, int(sid), str(title), sentence[:600]))
                break
    return out


def decide_link(
    store: Store,
    initiative_id: int,
    session_id: int,
    *,
    confirm: bool,
    actor: Actor,
    user: User | None = None,
    evidence: str = "",
) -> None:
    """Confirm (or reject) that a session report is about an initiative (audited)."""
    with store.transaction() as conn:
        ini = read_initiative(conn, initiative_id)
        require(user, Action.DECIDE_SESSION_LINK, ini.lead.id)
        if conn.execute(select(sessions.c.id).where(sessions.c.id == session_id)).first() is None:
            raise NotFoundError("session", str(session_id))
        s = t.session_links
        key = (s.c.initiative_id == initiative_id, s.c.session_id == session_id)
        before = conn.execute(select(s.c.status).where(*key)).scalar_one_or_none()
        status = "confirmed" if confirm else "rejected"
        conn.execute(s.delete().where(*key))
        conn.execute(
            s.insert().values(
                initiative_id=initiative_id,
                session_id=session_id,
                status=status,
                evidence=evidence,
                actor=actor.name,
                at=now(),
            )
        )
        record_audit(
            conn,
            actor,
            f"session-link.{'confirm' if confirm else 'reject'}",
            "initiative",
            initiative_id,
            {"session_id": session_id, "before": before, "after": status},
        )


def linked_sessions(store: Store, initiative_id: int) -> list[SessionSummary]:
    s = t.session_links
    with store.connect() as conn:
        ids = [
            int(x)
            for x in conn.execute(
                select(s.c.session_id).where(
                    s.c.initiative_id == initiative_id, s.c.status == "confirmed"
                )
            ).scalars()
        ]
        found = summaries_by_id(conn, ids)
    return [found[i] for i in ids if i in found]


def linked_initiatives(store: Store, session_id: int) -> list[tuple[int, str]]:
    """(id, title) of initiatives confirmed for a session."""
    s, i = t.session_links, t.initiatives
    with store.connect() as conn:
        rows = conn.execute(
            select(i.c.id, i.c.title)
            .join(s, s.c.initiative_id == i.c.id)
            .where(s.c.session_id == session_id, s.c.status == "confirmed")
            .order_by(i.c.title)
        ).all()
    return [(int(a), str(b)) for a, b in rows]
