"""Evidence commands: init, serve, indicators, gaps, country, sources."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from enum import StrEnum
from typing import Annotated

import typer

from equals.cli.app import app
from equals.cli.common import (
    DbOption,
    FormatOption,
    OutputFormat,
    cell,
    emit,
    fail,
    open_evidence,
    open_store,
    progress_init,
    say,
)
from equals.cli.context import cli_settings
from equals.core.errors import EqualsError
from equals.core.i18n import _, localised
from equals.evidence.database import database_state
from equals.evidence.profile import country_profile
from equals.evidence.records import (
    GAP_COLUMNS,
    gap_record,
    indicator_record,
    profile_record,
    source_record,
)
from equals.evidence.sdmx import gaps_csv
from equals.indicators.gaps import GapMetric
from equals.releases import add_release_keys, current_release_names
from equals.settings import Settings, default_db_url
from equals.store import Store

indicators_app = typer.Typer(help="Browse the indicator catalogue.", no_args_is_help=True)
app.add_typer(indicators_app, name="indicators")


@app.command()
def init(
    db: DbOption = None,
    force: Annotated[
        bool, typer.Option(help="Reload even if this data is already loaded.")
    ] = False,
    examples: Annotated[
        bool,
        typer.Option(
            "--examples/--no-examples",
            help="Add the labelled example content (example session report, partners).",
        ),
    ] = True,
) -> None:
    """Create the database and load the bundled data (idempotent: safe to run again)."""
    store = Store(db or default_db_url())
    try:
        database_state(store)  # an unreachable database is reported as such (exit 3)
        setup = progress_init(store, force=force, examples=examples)
    except EqualsError as exc:
        raise fail(exc) from exc
    report = setup.init
    for line in setup.examples:
        say(localised(line))  # a feature's summary: localised when it is a Msg
    counts = {
        "observations": f"{report.observations:,}",
        "indicators": report.indicators,
        "areas": report.areas,
        "sources": report.sources,
        "url": report.url,
    }
    if report.loaded:
        line = _(
            "Loaded %(observations)s observations, %(indicators)s indicators, %(areas)s areas, "
            "%(sources)s sources into %(url)s",
            **counts,
        )
    else:
        line = _(
            "Already up to date: %(observations)s observations, %(indicators)s indicators, "
            "%(areas)s areas, %(sources)s sources into %(url)s",
            **counts,
        )
    say(line)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the dashboard and the JSON API (loads the bundled data on first start)."""
    import uvicorn

    from equals.web.app import create_app

    url = db or default_db_url()
    open_store(url).dispose()
    address = f"http://{host}:{port}"
    say(_("EQUALS Hub on %(url)s  (API docs: %(url)s/docs)", url=address))
    # Outside loopback, cookies are Secure unless EQUALS_SECURE_COOKIES says otherwise.
    secure = Settings.from_env(host=host).secure_cookies
    settings = replace(cli_settings(), db_url=url, secure_cookies=secure)
    if secure:
        say(
            _(
                "Sign-in cookies are Secure (sent over HTTPS only): serve through HTTPS, or set "
                "EQUALS_SECURE_COOKIES=0 for a plain-HTTP test on a trusted network."
            )
        )
    uvicorn.run(
        create_app(settings), host=host, port=port, log_config=None, log_level=settings.log_level
    )


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
    emit(records, format, cols, title=_("EQUALS Hub indicators"))


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
        raise fail(exc) from exc
    rec = indicator_record(summary.indicator, summary)
    rec["years"] = ev.years(indicator_id)
    if format is OutputFormat.json:
        rec["sources_detail"] = [source_record(s) for s in summary.sources]
        sys.stdout.write(json.dumps(rec, ensure_ascii=False, indent=2) + "\n")
        return
    rows = [{"field": k, "value": cell(v)} for k, v in rec.items()]
    emit(rows, format, ["field", "value"], title=summary.indicator.title)


class GapsFormat(StrEnum):
    """``equals gaps`` output: the common formats and SDMX-CSV 2.0 (docs/data-refresh.md)."""

    table = "table"
    csv = "csv"
    json = "json"
    sdmx_csv = "sdmx-csv"


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
    limit: Annotated[int | None, typer.Option(min=1, help="Show only the first N rows.")] = None,
    db: DbOption = None,
    format: Annotated[
        GapsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = GapsFormat.table,
) -> None:
    """Gender gap of every country for one indicator, largest gap against women first."""
    ev = open_evidence(db)
    try:
        rows = ev.gaps(indicator_id, year=year, source=source, breakdown=breakdown, metric=metric)[
            :limit
        ]
    except EqualsError as exc:
        raise fail(exc) from exc
    ind = ev.indicator(indicator_id)
    records = [gap_record(r) for r in rows]
    if format is GapsFormat.sdmx_csv:
        names = current_release_names(ev.store)
        origins = {s.id: s.origin for s in ev.sources().values()}
        sys.stdout.write(gaps_csv(add_release_keys(records, names, origins), {ind.id: ind.unit}))
        return
    cols = (
        ["country", "country_name", "year", "female", "male", metric.value, "status", "source"]
        if format is GapsFormat.table
        else list(GAP_COLUMNS)
    )
    emit(
        records,
        OutputFormat(format.value),
        cols,
        title=_("%(indicator)s: %(metric)s gap", indicator=ind.title, metric=metric.value),
    )


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
        raise fail(exc) from exc
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
