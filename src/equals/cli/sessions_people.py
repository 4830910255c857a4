"""People and editors of filed reports: ``equals sessions people|candidates|merge|split|
distinct`` (identities across reports; merges by an admin, audited, reversible) and
``equals sessions grant|revoke`` (who may revise a report besides its owner).

Writes name their author: ``--user`` (checked: merges need an admin; grants the session's owner
or an admin), else the operator at the command line (``cli:<os user>``).
Exit codes: 0 success; 2 bad input, unknown ids, or not allowed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from equals.archive.access import editors, grant_editor, revoke_editor
from equals.archive.people import (
    get_person,
    list_people,
    mark_distinct,
    merge_candidates,
    merge_people,
    split_person,
)
from equals.auth import Actor, User, get_user
from equals.cli.common import DbOption, FormatOption, OutputFormat, emit, fail, out
from equals.cli.sessions import sessions_app
from equals.core.errors import EqualsError, message_of
from equals.core.i18n import _
from equals.settings import default_db_url
from equals.store import Store

AsUser = Annotated[
    str | None, typer.Option("--user", "-u", help="Act as this user (default: the OS user).")
]
PersonArg = Annotated[int, typer.Argument(metavar="PERSON", help="Person (identity) id.", min=1)]


def _store(db: str | None) -> Store:
    store = Store(db or default_db_url())
    store.migrate()
    return store


def _who(store: Store, user: str | None) -> tuple[Actor, User | None]:
    if user is None:
        return Actor.cli(), None
    try:
        u = get_user(store, user)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    return Actor.of(u), u


@sessions_app.command("people")
def people_cmd(
    query: Annotated[str, typer.Argument(help="Part of a name (empty: everyone).")] = "",
    person: Annotated[
        int | None, typer.Option("--id", help="Show one identity with its sessions.", min=1)
    ] = None,
    format: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """People across filed reports: each identity with its organisations, groups and years."""
    store = _store(db)
    try:
        found = [get_person(store, person)] if person else list_people(store, query)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    rows = [p.to_record() for p in found]
    for r in rows:
        r["sessions"] = len(r["sessions"])
    cols = ["id", "name", "names", "organizations", "stakeholder_groups", "years", "sessions"]
    emit(rows, format, cols, title=_("People"))


@sessions_app.command("candidates")
def candidates_cmd(
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="0..1")
    ] = 0.3,
    format: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Identities that may be one person, most likely first, with the reasons."""
    rows = [
        {
            "a": f"{c.a.id} {c.a.name}",
            "b": f"{c.b.id} {c.b.name}",
            "confidence": c.confidence,
            # Tables are read by people: the reasons in their language (JSON/CSV: English).
            "reasons": "; ".join(
                c.localised_reasons() if format is OutputFormat.table else c.reasons
            ),
        }
        for c in merge_candidates(_store(db), min_confidence=min_confidence)
    ]
    emit(rows, format, ["a", "b", "confidence", "reasons"], title=_("Merge candidates"))


@sessions_app.command("merge")
def merge_cmd(
    person: PersonArg,
    into: Annotated[int, typer.Argument(metavar="INTO", help="Identity to merge into.", min=1)],
    user: AsUser = None,
    db: DbOption = None,
) -> None:
    """Merge PERSON into INTO (an admin's decision; audited; undo with ``split``)."""
    store = _store(db)
    actor, as_user = _who(store, user)
    try:
        merged = merge_people(store, person, into, actor=actor, by=as_user)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    out.print(
        _(
            "person %(person)s merged into %(into)s (%(name)s)",
            person=person,
            into=merged.id,
            name=merged.name,
        ),
        highlight=False,
    )


@sessions_app.command("split")
def split_cmd(person: PersonArg, user: AsUser = None, db: DbOption = None) -> None:
    """Undo the merge of PERSON: an identity of its own again (admin; audited)."""
    store = _store(db)
    actor, as_user = _who(store, user)
    try:
        split_person(store, person, actor=actor, by=as_user)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    out.print(
        _("person %(person)s is an identity of its own again", person=person), highlight=False
    )


@sessions_app.command("distinct")
def distinct_cmd(
    person: PersonArg,
    other: Annotated[int, typer.Argument(metavar="OTHER", min=1)],
    user: AsUser = None,
    db: DbOption = None,
) -> None:
    """Record that PERSON and OTHER are different people (never offered for merging again)."""
    store = _store(db)
    actor, as_user = _who(store, user)
    try:
        added = mark_distinct(store, person, other, actor=actor, by=as_user)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    out.print(_("recorded") if added else _("already recorded"), highlight=False)


SessionArg = Annotated[int, typer.Argument(metavar="SESSION", help="Session id.", min=1)]
UserArg = Annotated[str, typer.Argument(metavar="USER", help="User name.")]


@sessions_app.command("grant")
def grant_cmd(session: SessionArg, name: UserArg, user: AsUser = None, db: DbOption = None) -> None:
    """Let USER revise SESSION (by its owner or an admin; audited)."""
    store = _store(db)
    actor, as_user = _who(store, user)
    try:
        added = grant_editor(store, session, name, actor=actor, by=as_user)
        who = ", ".join(e.user for e in editors(store, session))
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    if added:
        line = _("session %(session)s: granted; editors: %(who)s", session=session, who=who)
    else:
        line = _("session %(session)s: already granted; editors: %(who)s", session=session, who=who)
    out.print(line, highlight=False)


@sessions_app.command("revoke")
def revoke_cmd(
    session: SessionArg, name: UserArg, user: AsUser = None, db: DbOption = None
) -> None:
    """Withdraw USER's right to revise SESSION (by its owner or an admin; audited)."""
    store = _store(db)
    actor, as_user = _who(store, user)
    try:
        removed = revoke_editor(store, session, name, actor=actor, by=as_user)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    if removed:
        line = _("session %(session)s: revoked", session=session)
    else:
        line = _("session %(session)s: was not granted", session=session)
    out.print(line, highlight=False)
