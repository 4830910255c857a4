"""Filed session reports: ``equals sessions file|import|list|search|show`` (the ``users``
commands live in :mod:`equals.cli.users`).

Writes name their author: ``--user`` (a user with the admin or rapporteur role), else the
operator at the command line (``cli:<os user>``); every write is in the audit log.
Exit codes: 0 success; 1 an import had failed files or a strict file was invalid; 2 bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from equals.archive.filing import EventRef, file_report
from equals.archive.importer import ImportItem, ImportStatus, import_folder
from equals.archive.repository import SessionFilter, get_session, list_sessions
from equals.archive.rules import YEAR_MAX, YEAR_MIN, check_year, event_year
from equals.archive.search import search_sessions
from equals.auth import Actor, User, get_user
from equals.cli.common import DbOption, FormatOption, OutputFormat, emit, err, fail, out
from equals.cli.problems import SEVERITY_WORDS
from equals.cli.sessions import sessions_app
from equals.core.errors import EqualsError, message_of
from equals.core.i18n import N_, _, localised
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.sessions import parse_report
from equals.settings import default_db_url
from equals.store import Store

UserOption = Annotated[
    str | None,
    typer.Option("--user", "-u", help="File as this user (default: the OS user, cli:<name>)."),
]
EventOption = Annotated[str, typer.Option("--event", help="Event name, e.g. 'IGF'.")]


def _store(db: str | None) -> Store:
    store = Store(db or default_db_url())
    store.migrate()
    return store


def _actor(store: Store, user: str | None) -> tuple[Actor, User | None]:
    """Who writes: the OS operator (no user: may revise any session) or a named user."""
    if user is None:
        return Actor.cli(), None
    try:
        u = get_user(store, user)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    if not u.can_file_sessions:
        raise fail(_("user %(user)r may not file reports (needs admin or rapporteur)", user=user))
    return Actor.of(u), u


def _year(year: int | None) -> None:
    try:
        check_year(year, "--year")
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@sessions_app.command("file")
def file_cmd(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A .txt, .md, .html or .docx file.")],
    event: EventOption = "IGF",
    year: Annotated[
        int | None, typer.Option("--year", help="The event's year (default: the report's date).")
    ] = None,
    user: UserOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Refuse a report with validation errors.")
    ] = False,
    db: DbOption = None,
) -> None:
    """File a report in the store: a new session, or a new revision of the same session."""
    _year(year)
    store = _store(db)
    actor, as_user = _actor(store, user)
    try:
        report = parse_report(file)
        the_year = year or event_year(report)
        if the_year is None:
            raise fail(
                _(
                    "the report has no date: give --year (%(first)s–%(last)s)",
                    first=YEAR_MIN,
                    last=YEAR_MAX,
                )
            )
        filed = file_report(
            store,
            report,
            actor=actor,
            event=EventRef(event, the_year),
            source=file.read_bytes(),
            strict=strict,
            user=as_user,
        )
    except EqualsError as exc:
        raise fail(message_of(exc), 1 if exc.code == "report-not-filed" else 2) from exc
    if filed.unchanged:
        what = _("unchanged (identical to the current revision)")
    elif filed.created:
        what = _("created")
    else:
        what = _("revision %(number)s", number=filed.revision)
    v = filed.validation
    out.print(
        _(
            "session %(id)s: %(what)s — %(errors)s error(s), %(warnings)s warning(s)",
            id=filed.session_id,
            what=what,
            errors=len(v.errors),
            warnings=len(v.findings) - len(v.errors),
        ),
        highlight=False,
    )


_STYLE = {
    ImportStatus.IMPORTED: "green",
    ImportStatus.WARNED: "yellow",
    ImportStatus.UNCHANGED: "dim",
    ImportStatus.FAILED: "bold red",
}
#: The status column of `sessions import` (padded to 12 characters in any language).
_STATUS_WORDS = {
    ImportStatus.IMPORTED: N_("imported"),
    ImportStatus.WARNED: N_("warned"),
    ImportStatus.UNCHANGED: N_("unchanged"),
    ImportStatus.FAILED: N_("failed"),
}


def _import_line(path: Path, item: ImportItem, dry_run: bool) -> list[Text]:
    status = str(_STATUS_WORDS[item.status])
    if dry_run and item.status is ImportStatus.UNCHANGED:
        status = _("would be unchanged")
    elif dry_run and item.status is not ImportStatus.FAILED:
        status = _("would import")
    line = Text(f"{status:12} ", style=_STYLE[item.status])
    line.append(path.name, style="bold")
    if item.layout:
        conf = f" ({item.confidence:.0%})" if item.confidence is not None else ""
        line.append(
            "  "
            + _(
                "layout %(layout)s%(confidence)s, %(fields)s field(s) found",
                layout=item.layout,
                confidence=conf,
                fields=len(item.fields),
            )
        )
    if item.session_id is not None and item.status is not ImportStatus.FAILED:
        what = _("new session") if item.created else _("revision %(number)s", number=item.revision)
        line.append("  " + _("→ session %(id)s, %(what)s", id=item.session_id, what=what))
    if item.message:
        line.append(f"  {localised(item.message)}")
    lines = [line]
    lines += [
        Text(" " * 13 + _("warning %(text)s", text=localised(w)), style="yellow")
        for w in item.warnings
    ]
    return lines


@sessions_app.command("import")
def import_cmd(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A folder of reports.")],
    event: EventOption = "IGF",
    year: Annotated[
        int | None, typer.Option("--year", help="The event's year (default: each report's date).")
    ] = None,
    user: UserOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail reports with validation errors.")
    ] = False,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Include subfolders.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Parse, validate and check each file; write nothing."),
    ] = False,
    format: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Import every report in a folder; each file is all-or-nothing. Prints, per file, the
    layout detected with its confidence, the fields found and the warnings. Exit 1 if any
    file failed, 2 for bad input."""
    if not folder.is_dir():
        raise fail(_("%(folder)s is not a folder", folder=str(folder)))
    _year(year)
    store = _store(db)
    actor, as_user = _actor(store, user)

    def show(path: Path, item: ImportItem) -> None:
        if format is OutputFormat.table:
            for line in _import_line(path, item, dry_run):
                err.print(line, highlight=False, soft_wrap=True)

    try:
        summary = import_folder(
            store,
            folder,
            actor=actor,
            event=event,
            year=year,
            strict=strict,
            recursive=recursive,
            dry_run=dry_run,
            user=as_user,
            progress=show,
        )
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    record = summary.to_record()
    if format is OutputFormat.json:
        _json(record)
    elif format is OutputFormat.csv:
        rows = [
            {**i.to_record(), "fields_found": len(i.fields), "warnings": len(i.warnings)}
            for i in summary.items
        ]
        cols = ["path", "status", "layout", "confidence", "fields_found", "warnings"]
        emit(rows, format, [*cols, "session_id", "revision", "message"])
    else:
        counts = _(
            "%(files)s file(s): %(imported)s imported, %(warned)s with warnings, "
            "%(unchanged)s unchanged, %(failed)s failed",
            files=record["files"],
            imported=record["imported"],
            warned=record["warned"],
            unchanged=record["unchanged"],
            failed=record["failed"],
        )
        if dry_run:
            counts = _("dry run, nothing written: %(summary)s", summary=counts)
        out.print(counts, highlight=False)
    if summary.failed:
        raise typer.Exit(1)


def _filters(
    event: str | None, year: int | None, area: str | None, stakeholder: str | None
) -> SessionFilter:
    _year(year)
    try:
        return SessionFilter(
            event=event,
            year=year,
            area=Pillar(area.lower()) if area else None,
            stakeholder=StakeholderGroup(stakeholder.lower().replace(" ", "_").replace("-", "_"))
            if stakeholder
            else None,
        )
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    except ValueError as exc:
        raise fail(
            _(
                "%(error)s; areas: %(areas)s; stakeholder groups: %(groups)s",
                error=exc,
                areas=", ".join(Pillar),
                groups=", ".join(StakeholderGroup),
            )
        ) from exc


FilterEvent = Annotated[str | None, typer.Option("--event", help="Event name.")]
FilterYear = Annotated[int | None, typer.Option("--year", help="Event year.")]
FilterArea = Annotated[
    str | None, typer.Option("--area", help="Action area: access, skills, leadership.")
]
FilterGroup = Annotated[
    str | None,
    typer.Option("--stakeholder", help="Stakeholder group of a speaker, e.g. civil_society."),
]


@sessions_app.command("list")
def list_cmd(
    event: FilterEvent = None,
    year: FilterYear = None,
    area: FilterArea = None,
    stakeholder: FilterGroup = None,
    format: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List filed sessions, filtered by event, year, action area or stakeholder group."""
    rows = [
        s.to_record() for s in list_sessions(_store(db), _filters(event, year, area, stakeholder))
    ]
    cols = ["id", "event", "year", "date", "title", "areas", "speakers", "revisions", "valid"]
    emit(rows, format, cols, title=_("Sessions"))


@sessions_app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help='Words, "phrases", prefix*, OR, -exclude.')],
    event: FilterEvent = None,
    year: FilterYear = None,
    area: FilterArea = None,
    stakeholder: FilterGroup = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500)] = 20,
    format: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Full-text search of filed reports, best match first, with highlighted snippets."""
    try:
        hits = search_sessions(
            _store(db), query, _filters(event, year, area, stakeholder), limit=limit
        )
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    if format is not OutputFormat.table:
        emit(
            [h.to_record() for h in hits],
            format,
            ["id", "event", "year", "title", "rank", "snippet"],
        )
        return
    if not hits:
        out.print(_("no matches"))
    for h in hits:
        title = Text(f"[{h.session.id}] ", style="bold")
        for t, hit in h.title.parts:
            title.append(t, style="bold yellow" if hit else "bold")
        title.append(f"  ({h.session.event} {h.session.year})", style="dim")
        out.print(title)
        body = Text("    ")
        for t, hit in h.snippet.parts:
            body.append(t, style="bold yellow" if hit else "")
        out.print(body)


@sessions_app.command("show")
def show_cmd(
    session_id: Annotated[int, typer.Argument(metavar="ID", help="Session id (see list).")],
    format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table (readable) or json.")
    ] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """One session: roles, action areas with evidence, diversity, revisions (who, when)."""
    try:
        detail = get_session(_store(db), session_id)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    rec = detail.to_record()
    if format is not OutputFormat.table:
        _json(rec)
        return
    s = detail.summary
    out.print(Text(s.title, style="bold"))
    when = " ".join(x for x in (s.date, s.start_time and f"{s.start_time}–{s.end_time or ''}") if x)
    heading = _(
        "%(event)s %(year)s · %(when)s · template %(template)s · version %(version)s",
        event=s.event,
        year=s.year,
        when=when,
        template=s.template_id,
        version=s.version,
    )
    if s.example:
        heading += " · " + _("example content")
    out.print(heading, highlight=False)
    for r in detail.roles:
        if r.role == "organizer":
            who, extra = r.organization or r.raw, ""
        else:
            who = r.name or r.raw
            extra = ", ".join(x for x in (r.organization, r.stakeholder_group) if x)
        out.print(f"  {r.role:10} {who}" + (f" ({extra})" if extra else ""), highlight=False)
    for a in detail.areas:
        sentences = _("%(n)s sentence(s)", n=a["sentences"])
        out.print(Text.assemble((str(a["area"]), "bold"), f" — {sentences}"))
        for e in a["evidence"][:3]:
            out.print(f"    “{e['sentence']}”", highlight=False)
    d = rec["diversity"]
    not_stated = _("not stated")
    out.print(
        _(
            "diversity: %(speakers)s speaker(s), %(groups)s group(s), balance %(balance)s; "
            "women/participants as stated: %(women)s/%(participants)s",
            speakers=d["speakers"],
            groups=d["distinct_groups"],
            balance=d["group_balance"],
            women=not_stated if detail.women is None else detail.women,
            participants=not_stated if detail.participants is None else detail.participants,
        ),
        highlight=False,
    )
    for rv in detail.revisions:
        out.print(
            "  "
            + _(
                "revision %(number)s: %(at)s by %(actor)s (%(validity)s; %(source)s)",
                number=rv.number,
                at=rv.created_at,
                actor=rv.actor,
                validity=_("valid") if rv.valid else _("invalid"),
                source=rv.source_name,
            ),
            highlight=False,
        )
    # The current revision's findings, in the reader's language (JSON keeps the English).
    for f in detail.findings():
        where = f" ({f.field})" if f.field else ""
        out.print(
            f"  {SEVERITY_WORDS[f.severity]} {f.code}{where}: {f.text()}",
            highlight=False,
            markup=False,
        )
