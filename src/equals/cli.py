"""The ``equals`` command line: thin Typer commands over the library.

Exit codes: 0 success; 1 a report found problems; 2 bad input (unknown indicator or country,
bad option value, unreadable file).
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from equals import __version__
from equals.core.errors import EqualsError
from equals.indicators.gaps import GapMetric
from equals.settings import ENV_DB, default_db_url
from equals.store import InitReport, Store
from equals.store.profile import country_profile
from equals.store.queries import Evidence
from equals.store.records import (
    GAP_COLUMNS,
    gap_record,
    indicator_record,
    profile_record,
    source_record,
    to_csv,
)

app = typer.Typer(
    name="equals",
    help="EQUALS Hub: evidence on the gender digital divide (Access, Skills, Leadership).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
indicators_app = typer.Typer(help="Browse the indicator catalogue.", no_args_is_help=True)
app.add_typer(indicators_app, name="indicators")

out = Console()
err = Console(stderr=True)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=ENV_DB,
        help=(
            f"Database URL (default: ${ENV_DB}, else SQLite at "
            "~/.local/share/equals-hub/equals.db)."
        ),
        show_default=False,
    ),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _progress_init(store: Store, *, force: bool = False) -> InitReport:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def step(desc: str, done: int, total: int) -> None:
            if desc not in tasks:
                tasks[desc] = bar.add_task(desc, total=max(total, 1))
            bar.update(tasks[desc], completed=done, total=max(total, 1))

        return store.init(force=force, progress=step)


def open_evidence(db: str | None) -> Evidence:
    """Open the store, loading the bundled data first if it has never been loaded."""
    store = Store(db or default_db_url())
    if not store.is_initialised():
        err.print("Database not initialised: loading the bundled data first…")
        _progress_init(store)
    return Evidence(store)


def emit(
    records: list[dict[str, Any]], fmt: OutputFormat, columns: list[str], title: str = ""
) -> None:
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(to_csv(records, columns))
    else:
        table = Table(title=title or None, show_lines=False)
        for i, c in enumerate(columns):
            table.add_column(c, overflow="fold", no_wrap=(i == 0))
        for r in records:
            table.add_row(*(_cell(r.get(c)) for c in columns))
        out.print(table)


def _cell(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v) >= 1 else f"{v:.3f}"
    if isinstance(v, list):
        return ", ".join(map(str, v))
    return str(v)


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"equals-hub {__version__}")
        raise typer.Exit(0)


@app.command()
def init(
    db: DbOption = None,
    force: Annotated[
        bool, typer.Option(help="Reload even if this data is already loaded.")
    ] = False,
) -> None:
    """Create the database and load the bundled data (idempotent: safe to run again)."""
    store = Store(db or default_db_url())
    try:
        report = _progress_init(store, force=force)
    except EqualsError as exc:
        raise fail(str(exc)) from exc
    verb = "Loaded" if report.loaded else "Already up to date:"
    out.print(
        f"{verb} {report.observations:,} observations, {report.indicators} indicators, "
        f"{report.areas} areas, {report.sources} sources into {report.url}"
    )


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the dashboard and the JSON API (loads the bundled data on first start)."""
    import uvicorn

    from equals.settings import Settings
    from equals.web.app import create_app

    url = db or default_db_url()
    store = Store(url)
    if not store.is_initialised():
        _progress_init(store)
    store.dispose()
    out.print(f"EQUALS Hub on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(Settings(db_url=url)), host=host, port=port, log_level="info")


@indicators_app.command("list")
def indicators_list(db: DbOption = None, format: FormatOption = OutputFormat.table) -> None:
    """All indicators: id, title, pillar, unit, source, licence and coverage."""
    ev = open_evidence(db)
    records = [indicator_record(s.indicator, s) for s in ev.indicator_summaries()]
    cols = [
        "id",
        "title",
        "pillar",
        "unit",
        "source",
        "licence",
        "countries",
        "year_min",
        "year_max",
    ]
    emit(records, format, cols, title="EQUALS Hub indicators")


@indicators_app.command("show")
def indicators_show(
    indicator_id: Annotated[str, typer.Argument(metavar="ID")],
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """One indicator: definition, sources with licences, coverage."""
    ev = open_evidence(db)
    try:
        summary = ev.indicator_summary(indicator_id)
    except EqualsError as exc:
        raise fail(str(exc)) from exc
    rec = indicator_record(summary.indicator, summary)
    rec["years"] = ev.years(indicator_id)
    if format is OutputFormat.json:
        rec["sources_detail"] = [source_record(s) for s in summary.sources]
        sys.stdout.write(json.dumps(rec, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"field": k, "value": _cell(v)} for k, v in rec.items()]
    emit(rows, format, ["field", "value"], title=summary.indicator.title)


@app.command()
def gaps(
    indicator_id: Annotated[str, typer.Argument(metavar="ID")],
    year: Annotated[
        int | None, typer.Option(help="Exact year (default: each country's latest).")
    ] = None,
    metric: Annotated[GapMetric, typer.Option(help="Gap metric to rank by.")] = GapMetric.PARITY,
    source: Annotated[
        str | None, typer.Option(help="Source id (default: the indicator's).")
    ] = None,
    breakdown: Annotated[str, typer.Option(help="e.g. location=urban")] = "",
    limit: Annotated[int | None, typer.Option(help="Show only the first N rows.")] = None,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Gender gap of every country for one indicator, largest gap against women first."""
    ev = open_evidence(db)
    try:
        rows = ev.gaps(indicator_id, year=year, source=source, breakdown=breakdown)
    except EqualsError as exc:
        raise fail(str(exc)) from exc
    ind = ev.indicator(indicator_id)

    def key(r: Any) -> tuple[int, float]:
        v = r.gap.metric(metric)
        if v is None:
            return (1, 0.0)
        # parity: low = women behind; relative: high = women behind; difference: low.
        return (0, -v if metric is GapMetric.RELATIVE else v)

    rows = sorted(rows, key=key)[:limit]
    records = [gap_record(r) for r in rows]
    cols = (
        list(GAP_COLUMNS)
        if format is not OutputFormat.table
        else ["country", "country_name", "year", "female", "male", metric.value, "status", "source"]
    )
    emit(records, format, cols, title=f"{ind.title}: {metric.value} gap")


@app.command()
def country(
    code: Annotated[str, typer.Argument(metavar="ISO3")],
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """A country's latest female and male values and gaps for every indicator."""
    ev = open_evidence(db)
    try:
        profile = country_profile(ev, code)
    except EqualsError as exc:
        raise fail(str(exc)) from exc
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(profile_record(profile), ensure_ascii=False, indent=2) + "\n")
        return
    records = []
    for e in profile.entries:
        latest = gap_record(e.latest) if e.latest else {}
        records.append(
            {
                "pillar": e.indicator.pillar.value,
                "indicator": e.indicator.id,
                "year": latest.get("year"),
                "female": latest.get("female"),
                "male": latest.get("male"),
                "parity": latest.get("parity"),
                "status": latest.get("status", "not_computable"),
                "source": e.indicator.default_source,
            }
        )
    for i in profile.missing:
        records.append({"pillar": i.pillar.value, "indicator": i.id, "status": "no data"})
    cols = ["pillar", "indicator", "year", "female", "male", "parity", "status", "source"]
    emit(records, format, cols, title=f"{profile.area.name} ({profile.area.code})")


@app.command()
def sources(db: DbOption = None, format: FormatOption = OutputFormat.table) -> None:
    """Every data source with organisation, licence and where it was retrieved from."""
    ev = open_evidence(db)
    records = [source_record(s) for s in ev.sources().values()]
    emit(records, format, ["id", "organisation", "title", "licence", "retrieved_from"])


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
