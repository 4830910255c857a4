"""``equals data``: newer releases of bundled sources, imported from files (library:
:mod:`equals.releases`), and the evidence as a Frictionless Data Package
(:mod:`equals.evidence.datapackage`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from equals.auth.model import Actor
from equals.cli.app import app
from equals.cli.common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit,
    open_evidence,
    open_store,
    say,
)
from equals.core.i18n import _, localised
from equals.evidence.datapackage import write_datapackage
from equals.releases import (
    ReleaseDiff,
    current_release_names,
    import_release,
    importable_sources,
    list_releases,
    prepare,
    release_observations_of,
)
from equals.releases.validate import skip_reason

data_app = typer.Typer(
    help="Fresh data without a new release: import, compare and list source releases; "
    "the evidence as a Data Package.",
    no_args_is_help=True,
)
app.add_typer(data_app, name="data")

FileArg = Annotated[
    Path,
    typer.Argument(
        metavar="FILE",
        help="A release file: the source's CSV layout as bundled, SDMX-ML or SDMX-CSV.",
        show_default=False,
    ),
]
SourceOption = Annotated[
    str,
    typer.Option(
        "--source",
        help=f"Source id to refresh: {', '.join(importable_sources())}.",
        show_default=False,
    ),
]
SkipAreasOption = Annotated[
    bool,
    typer.Option(
        "--skip-unknown-areas",
        help="Leave out rows whose area is not a known country or aggregate (counted) "
        "instead of refusing the file.",
    ),
]


def _summary(d: ReleaseDiff) -> list[str]:
    counts = {
        "added": len(d.added),
        "revised": len(d.revised),
        "removed": len(d.removed),
        "unchanged": d.unchanged,
    }
    if d.metadata_changed:
        first = _(
            "%(added)s new row(s), %(revised)s revised value(s), %(removed)s removed row(s), "
            "%(unchanged)s unchanged (%(notes)s with a new note or flag)",
            notes=d.metadata_changed,
            **counts,
        )
    else:
        first = _(
            "%(added)s new row(s), %(revised)s revised value(s), %(removed)s removed row(s), "
            "%(unchanged)s unchanged",
            **counts,
        )
    lines = [first]
    for ind, years in d.new_years:
        lines.append(
            _(
                "new years for %(indicator)s: %(years)s",
                indicator=ind,
                years=", ".join(map(str, years)),
            )
        )
    lines.extend(_by_series(d))
    lines.extend(_("warning: %(text)s", text=localised(w)) for w in d.warnings)
    big = d.largest_revision
    if big is not None:
        change = f"{big.old!r} -> {big.new!r} ({big.change:+.6g})"
        where = " ".join(map(str, big.key[:4]))
        if big.relative is not None:
            lines.append(
                _(
                    "largest revision: %(where)s %(change)s (%(relative)s)",
                    where=where,
                    change=change,
                    relative=f"{big.relative:+.1%}",
                )
            )
        else:
            lines.append(_("largest revision: %(where)s %(change)s", where=where, change=change))
    return lines


def _by_series(d: ReleaseDiff) -> list[str]:
    """One line per (indicator, sex) with changes: counts and the size of the revisions."""
    out = []
    for ind, sex in d.scope:
        mine = [r for r in d.revised if (r.key[0], r.key[3]) == (ind, sex)]
        added = sum(1 for k in d.added if (k[0], k[3]) == (ind, sex))
        removed = sum(1 for k in d.removed if (k[0], k[3]) == (ind, sex))
        if not (mine or added or removed):
            continue
        series = f"{ind}/{sex}"
        if mine:
            sizes = [abs(r.change) for r in mine]
            big = max(mine, key=lambda r: abs(r.change))
            text = _(
                "%(series)s: %(added)s new, %(revised)s revised, %(removed)s removed; "
                "mean |revision| %(mean)s, largest %(largest)s (%(country)s %(year)s)",
                series=series,
                added=added,
                revised=len(mine),
                removed=removed,
                mean=f"{sum(sizes) / len(sizes):.4g}",
                largest=f"{big.change:+.4g}",
                country=big.key[1],
                year=big.key[2],
            )
        else:
            text = _(
                "%(series)s: %(added)s new, %(revised)s revised, %(removed)s removed",
                series=series,
                added=added,
                revised=len(mine),
                removed=removed,
            )
        out.append(text)
    return out


def _diff_records(d: ReleaseDiff) -> list[dict[str, Any]]:
    def base(change: str, key: tuple[str, str, int, str, str]) -> dict[str, Any]:
        return {
            "change": change,
            "indicator": key[0],
            "country": key[1],
            "year": key[2],
            "sex": key[3],
            "breakdown": key[4],
        }

    recs: list[dict[str, Any]] = []
    for r in d.revised:
        recs.append(
            {
                **base("revised", r.key),
                "old": r.old,
                "new": r.new,
                "change_abs": r.change,
                "change_rel": r.relative,
            }
        )
    recs.extend(
        {**base("added", k), "old": None, "new": v}
        for k, v in zip(d.added, d.added_values, strict=True)
    )
    recs.extend(
        {**base("removed", k), "old": v, "new": None}
        for k, v in zip(d.removed, d.removed_values, strict=True)
    )
    return recs


DIFF_COLUMNS = [
    "change", "indicator", "country", "year", "sex", "breakdown", "old", "new", "change_abs",
    "change_rel",
]  # fmt: skip


@data_app.command("diff")
def diff_command(
    file: FileArg,
    source: SourceOption,
    limit: Annotated[
        int | None, typer.Option(help="Show only the first N changed rows.", min=0)
    ] = None,
    skip_unknown_areas: SkipAreasOption = False,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """What importing FILE would change: new years, revised values with the size of each
    revision, removed rows. Writes nothing."""
    store = open_store(db)
    parsed, d = prepare(store, file, source, skip_unknown_areas=skip_unknown_areas)
    records = _diff_records(d)[:limit]
    if format is OutputFormat.table:
        say(
            _(
                "%(file)s (%(format)s, SHA-256 %(sha)s…): %(rows)s rows read, "
                "%(observations)s observations of %(source)s",
                file=parsed.file_name,
                format=parsed.format,
                sha=parsed.sha256[:12],
                rows=parsed.rows_read,
                observations=len(parsed.observations),
                source=source,
            )
        )
        for reason, n in parsed.skipped:
            say(_("skipped: %(n)s row(s), %(reason)s", n=n, reason=localised(skip_reason(reason))))
        for line in _summary(d):
            say(line)
        if not records:
            return
    emit(records, format, DIFF_COLUMNS, title=_("Changes to %(source)s", source=source))


@data_app.command("import")
def import_command(
    file: FileArg,
    source: SourceOption,
    release: Annotated[
        str, typer.Option(help="Release name (default: the file's, e.g. 2024.Q2.G.01).")
    ] = "",
    release_date: Annotated[
        str, typer.Option("--release-date", help="Publication date, YYYY-MM-DD.")
    ] = "",
    skip_unknown_areas: SkipAreasOption = False,
    allow_removals: Annotated[
        bool,
        typer.Option(
            "--allow-removals",
            help="Import even if the file lacks more than 5% of the current rows of its series.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Validate FILE completely, then load it as the current release of SOURCE in one
    transaction, with its provenance (file, SHA-256, release, row counts, who). The rows it
    replaces stay queryable (`equals data observations ID`)."""
    store = open_store(db)
    report = import_release(
        store,
        file,
        source,
        actor=Actor.cli(),
        label=release,
        release_date=release_date,
        skip_unknown_areas=skip_unknown_areas,
        allow_removals=allow_removals,
    )
    for w in report.warnings:
        say(localised(w))
    if report.release is None:
        return
    r = report.release
    say(
        _(
            "imported release %(id)s of %(source)s: %(name)s, %(observations)s observations",
            id=r.id,
            source=r.source,
            name=r.name,
            observations=r.observations,
        )
    )
    for line in _summary(report.diff):
        say(line)


RELEASE_COLUMNS = [
    "id", "source", "kind", "label", "release_date", "current", "file_name", "sha256",
    "imported_at", "imported_by", "rows_read", "observations", "skipped", "added", "revised",
    "removed", "unchanged", "scope",
]  # fmt: skip


TABLE_COLUMNS = [
    "id", "source", "kind", "label", "release_date", "current", "file_name", "observations",
    "added", "revised", "removed", "imported_by", "imported_at",
]  # fmt: skip


@data_app.command("releases")
def releases_command(
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Imported releases (newest first) and the bundled baselines they replaced."""
    store = open_store(db)
    records = [
        {
            "id": r.id,
            "source": r.source,
            "kind": r.kind,
            "label": r.label,
            "release_date": r.release_date,
            "current": r.current,
            "file_name": r.file_name,
            "sha256": r.sha256,
            "imported_at": r.imported_at,
            "imported_by": r.imported_by,
            "rows_read": r.rows_read,
            "observations": r.observations,
            "skipped": r.skipped,
            "added": r.added,
            "revised": r.revised,
            "removed": r.removed,
            "unchanged": r.unchanged,
            "scope": [f"{i}/{s}" for i, s in r.scope],
        }
        for r in list_releases(store, source)
    ]
    cols = RELEASE_COLUMNS
    if format is OutputFormat.table:
        cols = TABLE_COLUMNS
        if not records:
            say(_("No release imported yet: every number comes from the bundled data."))
            return
    emit(records, format, cols, title=_("Data releases"))


@data_app.command("observations")
def observations_command(
    release_id: Annotated[int, typer.Argument(metavar="RELEASE_ID")],
    db: DbOption = None,
    format: FormatOption = OutputFormat.csv,
) -> None:
    """Every observation of one release, also one that a newer release replaced."""
    store = open_store(db)
    rows = release_observations_of(store, release_id)
    records = [
        {
            "indicator": o.indicator,
            "country": o.area,
            "year": o.year,
            "sex": o.sex.value,
            "breakdown": o.breakdown,
            "value": o.value,
            "source": o.source,
            "release": release_id,
            "flag": o.flag,
            "note": o.note,
        }
        for o in rows
    ]
    cols = ["indicator", "country", "year", "sex", "breakdown", "value", "source", "release",
            "flag", "note"]  # fmt: skip
    emit(records, format, cols, title=_("Release %(id)s", id=release_id))


@data_app.command("package")
def package_command(
    target: Annotated[
        Path,
        typer.Argument(
            metavar="OUT_DIR_OR_ZIP",
            help="A directory (absent or empty), or a file ending in .zip.",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace the target if it exists.")] = (
        False
    ),
    db: DbOption = None,
) -> None:
    """Write the evidence as a Frictionless Data Package: observations (with the release each
    value comes from), published survey estimates, gender gaps, the indicator catalogue, areas,
    sources with their licences, and the releases in use with their SHA-256. Validated with
    the frictionless library before it is kept; a failure leaves nothing behind."""
    ev = open_evidence(db)
    store = ev.store
    report = write_datapackage(
        ev,
        target,
        release_names=current_release_names(store),
        releases=list_releases(store),
        overwrite=force,
    )
    say(
        _("wrote %(rows)s rows in %(resources)d resources to %(path)s; validated with frictionless")
        % {"rows": f"{report.total_rows:,}", "resources": len(report.rows), "path": report.path}
    )
    for name, n in report.rows.items():
        say(f"  {name}: {n:,}")
