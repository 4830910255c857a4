"""The partnership registry on the command line: ``equals partners list|show|import-iati|
export-iati|merge|remove-examples``, ``equals initiatives list|show`` and ``equals action-gaps``.

Writes run as the operator (``cli:<os user>`` in the audit log). Exit codes: 0 success; 2 bad
input (unknown partner, initiative, country, pillar; an invalid IATI file — nothing written).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from equals.auth import Actor
from equals.cli.app import app
from equals.cli.common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit,
    err,
    fail,
    open_evidence,
    open_store,
    say,
)
from equals.core.i18n import N_, Msg, _
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.partners import (
    InitiativeFilter,
    PartnerFilter,
    get_initiative,
    get_partner,
    list_initiatives,
    list_partners,
    partner_sessions,
)
from equals.partners.action import action_gaps
from equals.partners.examples import remove_examples
from equals.partners.exchange import initiative_row, partner_row
from equals.partners.iati import export_iati
from equals.partners.iati_import import import_iati
from equals.partners.initiative_read import count_initiatives, initiative_ids, read_initiatives
from equals.partners.organizations import merge

partners_app = typer.Typer(help="Partners of the EQUALS partnership: list, show, IATI in/out.")
initiatives_app = typer.Typer(help="Initiatives of the partners: list and show.")
app.add_typer(partners_app, name="partners", no_args_is_help=True)
app.add_typer(initiatives_app, name="initiatives", no_args_is_help=True)

PARTNER_COLUMNS = [
    "organization_id",
    "name",
    "stakeholder_group_label",
    "country",
    "coalitions",
    "example",
]
INITIATIVE_COLUMNS = [
    "id",
    "title",
    "lead",
    "status_label",
    "freshness",
    "action_areas",
    "countries",
    "example",
]
#: The action areas as people read them (``Pillar.label`` is the English word).
PILLAR_LABELS = {
    Pillar.ACCESS: N_("Access"),
    Pillar.SKILLS: N_("Skills"),
    Pillar.LEADERSHIP: N_("Leadership"),
}


@partners_app.command("list")
def partners_list(
    db: DbOption = None,
    stakeholder_group: Annotated[
        StakeholderGroup | None, typer.Option("--stakeholder-group", "-g", help="Filter.")
    ] = None,
    coalition: Annotated[str | None, typer.Option(help="Coalition id.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 of the headquarters.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help="Name or alias.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Partners by name (example records are marked)."""
    rows = list_partners(
        open_store(db), PartnerFilter(stakeholder_group, coalition, country, search)
    )
    emit([partner_row(p) for p in rows], fmt, PARTNER_COLUMNS, _("Partners"))


@partners_app.command("show")
def partners_show(
    organization_id: Annotated[str, typer.Argument(help="Organisation id, e.g. apc.")],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """One partner, with its coalitions, initiatives and the sessions its people spoke at."""
    store = open_store(db)
    p = get_partner(store, organization_id)
    inis = list_initiatives(store, InitiativeFilter(organization=p.organization_id))
    sessions = partner_sessions(store, p.organization_id)
    if fmt is OutputFormat.json:
        rec = p.model_dump(mode="json")
        rec["initiatives"] = [{"id": i.id, "title": i.title} for i in inis]
        rec["sessions"] = [{"id": s.id, "title": s.title, "date": s.date} for s in sessions]
        sys.stdout.write(json.dumps(rec, ensure_ascii=False, indent=2) + "\n")
        return
    row = partner_row(p)
    emit([{"field": k, "value": v} for k, v in row.items()], fmt, ["field", "value"], p.name)
    if fmt is OutputFormat.table:
        for i in inis:
            say(
                _(
                    "initiative %(id)s: %(title)s (%(status)s; %(freshness)s)",
                    id=i.id,
                    title=i.title,
                    status=i.status.label,
                    freshness=i.freshness.label,
                )
            )
        for s in sessions:
            say(
                _(
                    "session %(id)s: %(title)s (%(event)s %(year)s)",
                    id=s.id,
                    title=s.title,
                    event=s.event,
                    year=s.year,
                )
            )


@partners_app.command("export-iati")
def partners_export_iati(
    db: DbOption = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")] = None,
    organization: Annotated[str | None, typer.Option(help="Only this organisation's.")] = None,
    country: Annotated[str | None, typer.Option(help="Only initiatives in this country.")] = None,
) -> None:
    """Initiatives as IATI activity XML 2.03 (skipped ones are listed on stderr)."""
    result = export_iati(
        open_store(db), InitiativeFilter(organization=organization, country=country)
    )
    if out is None:
        sys.stdout.buffer.write(result.xml)
    else:
        out.write_bytes(result.xml)
    for line in [*result.skipped, *result.notes]:
        say(Msg("note: %(line)s", line=line).localised(), console=err)
    say(_("%(n)s activities exported", n=len(result.exported)), console=err)


@partners_app.command("import-iati")
def partners_import_iati(
    file: Annotated[
        Path, typer.Argument(help="IATI activity XML file.", exists=True, dir_okay=False)
    ],
    db: DbOption = None,
    lead: Annotated[
        str | None, typer.Option(help="Lead organisation for activities that name none.")
    ] = None,
) -> None:
    """Import IATI activities (one transaction; what cannot be mapped is listed)."""
    data = file.read_bytes()
    if len(data) > 50_000_000:
        raise fail(Msg("%(file)s: larger than 50 MB; split the file", file=str(file)))
    rep = import_iati(open_store(db), data, actor=Actor.cli(), name=file.name, lead=lead)
    say(
        _(
            "%(activities)s activities: %(created)s created, %(updated)s updated, "
            "%(reports)s progress reports",
            activities=rep.activities,
            created=len(rep.created),
            updated=len(rep.updated),
            reports=rep.progress_reports,
        )
    )
    for oid in rep.organizations_created:
        say(_("new organisation: %(id)s", id=oid))
    for line in rep.unmapped:
        say(Msg("not imported: %(line)s", line=line).localised())


@partners_app.command("merge")
def partners_merge(
    merged: Annotated[str, typer.Argument(help="Organisation id to merge away.")],
    into: Annotated[str, typer.Argument(help="Organisation id that stays.")],
    db: DbOption = None,
) -> None:
    """Merge a duplicate organisation into another (audited)."""
    detail = merge(open_store(db), merged, into, actor=Actor.cli())
    moved = sum(detail["moved"].values())
    say(
        _(
            "merged %(merged)s into %(into)s (%(moved)s references moved)",
            merged=merged,
            into=into,
            moved=moved,
        )
    )


@partners_app.command("remove-examples")
def partners_remove_examples(db: DbOption = None) -> None:
    """Delete the example partners, coalitions, seats and initiatives (not loaded again)."""
    removed = remove_examples(open_store(db), actor=Actor.cli())
    say(_("removed %(what)s", what=", ".join(f"{n} {k}" for k, n in removed.items())))


@initiatives_app.command("list")
def initiatives_list(
    db: DbOption = None,
    organization: Annotated[str | None, typer.Option(help="Lead or participant.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO3.")] = None,
    area: Annotated[Pillar | None, typer.Option(help="Action area.")] = None,
    target_group: Annotated[str | None, typer.Option("--target-group")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q")] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=100_000, help="How many initiatives to show (one page).")
    ] = 1000,
    offset: Annotated[
        int, typer.Option(min=0, max=10_000_000, help="How many matching initiatives to skip.")
    ] = 0,
    with_total: Annotated[
        bool,
        typer.Option(
            "--with-total",
            help="JSON: an object with total, offset, limit and items instead of the array.",
        ),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Initiatives by title, one page (--limit, --offset) of all that match.

    The table ends with "Showing first–last of total" (the total is the API's X-Total-Count);
    JSON stays an array unless --with-total; CSV has the rows only."""
    f = InitiativeFilter(organization, country, area, target_group, None, search)
    with open_store(db).connect() as conn:  # the page and its total from one snapshot
        total = count_initiatives(conn, f)
        rows = read_initiatives(conn, initiative_ids(conn, f, limit, offset))
    records = [initiative_row(i) for i in rows]
    if fmt is OutputFormat.json and with_total:
        page = {"total": total, "offset": offset, "limit": limit, "items": records}
        sys.stdout.write(json.dumps(page, ensure_ascii=False, indent=2) + "\n")
        return
    emit(records, fmt, INITIATIVE_COLUMNS, _("Initiatives"))
    if fmt is OutputFormat.table:
        say(showing(offset, len(records), total))


def showing(offset: int, shown: int, total: int) -> str:
    """The table's paging line: "Showing 101–200 of 345" (or that none are on this page)."""
    if shown == 0:
        return _("Showing none of %(total)s (offset %(offset)s)", total=total, offset=offset)
    return _(
        "Showing %(first)s–%(last)s of %(total)s",
        first=offset + 1,
        last=offset + shown,
        total=total,
    )


@initiatives_app.command("show")
def initiatives_show(
    initiative_id: Annotated[int, typer.Argument(help="Initiative id.", min=1)],
    db: DbOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """One initiative with its targets."""
    ini = get_initiative(open_store(db), initiative_id)
    if fmt is OutputFormat.json:
        sys.stdout.write(ini.model_dump_json(indent=2) + "\n")
        return
    row = initiative_row(ini)
    emit([{"field": k, "value": v} for k, v in row.items()], fmt, ["field", "value"], ini.title)


GAP_COLUMNS = [
    "rank",
    "country",
    "country_name",
    "gap",
    "initiatives",
    "score",
    "parity",
    "indicator",
    "year",
    "source",
]


@app.command("action-gaps")
def action_gaps_command(
    pillar: Annotated[Pillar, typer.Option("--pillar", "-p", help="access, skills or leadership.")],
    db: DbOption = None,
    target_group: Annotated[str | None, typer.Option("--target-group")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 1000,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Where the gap is largest and the fewest initiatives work, most under-served first.

    score = max(gap, 0) / (1 + initiatives); gap = 1 − parity (F/M) of the action area's
    headline indicator at its latest year (docs/partners.md)."""
    rows = action_gaps(open_evidence(db), pillar, target_group=target_group)[:limit]
    title = _("Under-served: %(area)s", area=str(PILLAR_LABELS[pillar]))
    emit([r.model_dump(mode="json") for r in rows], fmt, GAP_COLUMNS, title)
