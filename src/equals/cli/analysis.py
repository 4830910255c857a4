"""Analysis commands: the composite index, the data-gap audit, years to parity."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from equals.analysis import records
from equals.analysis.audit import data_gap_audit
from equals.analysis.headline import AGE_BASE, headlines
from equals.analysis.index import compute_index
from equals.analysis.method import Aggregation, WeightScheme, load_method
from equals.analysis.pace import group_pace
from equals.analysis.trends import country_trend
from equals.cli.app import app
from equals.cli.common import DbOption, FormatOption, OutputFormat, emit, fail, open_evidence
from equals.core.errors import EqualsError, message_of
from equals.core.i18n import _, localised


@app.command("index")
def index_command(
    draws: Annotated[
        int | None,
        typer.Option(help="Monte Carlo draws for the rank intervals (default: the method's)."),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the method's).")] = None,
    weights: Annotated[
        WeightScheme | None, typer.Option(help="Nominal weights (default: the method's).")
    ] = None,
    window: Annotated[
        int | None, typer.Option(help="Reference window in years (default: the method's).")
    ] = None,
    aggregation: Annotated[
        Aggregation | None, typer.Option(help="Aggregation (default: the method's).")
    ] = None,
    method_file: Annotated[
        Path | None, typer.Option("--method", help="A method YAML file instead of the bundled.")
    ] = None,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Digital Gender Equality Index: every country's score, pillars and rank interval.

    Scores run from 0 to 1 (parity); a pillar is scored only with enough indicators and the
    overall score only with every pillar (null otherwise). Ranks come with the 5th-95th
    percentile interval of a seeded Monte Carlo analysis over the method's choices.
    """
    ev = open_evidence(db)
    try:
        known = frozenset(i.id for i in ev.catalogue)
        method = load_method(method_file, known_indicators=known)
        if window is not None and window < 1:
            raise EqualsError(_("--window must be at least 1 (years)"))
        method = method.with_choices(weights=weights, window=window, aggregation=aggregation)
        result = compute_index(ev, method, draws=draws, seed=seed)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    if format is OutputFormat.json:
        emit(records.index_records(result), format, list(records.INDEX_KEYS))
        return
    rows = records.index_records(result, names=True)
    title = _(
        "%(method)s %(version)s: data %(first)s-%(last)s, rank interval = %(low)sth-%(high)sth "
        "percentile of %(draws)s draws (seed %(seed)s)",
        method=method.title,
        version=method.version,
        first=result.first_year,
        last=result.reference_year,
        low=f"{method.uncertainty.interval[0]:g}",
        high=f"{method.uncertainty.interval[1]:g}",
        draws=result.draws,
        seed=result.seed,
    )
    emit(rows, format, list(records.INDEX_TABLE_KEYS), title=title)


class GapSummary(StrEnum):
    indicator = "indicator"
    pillar = "pillar"
    region = "region"
    income_group = "income_group"
    countries = "countries"


@app.command("data-gaps")
def data_gaps_command(
    indicator: Annotated[str | None, typer.Option(help="Only this indicator.")] = None,
    country: Annotated[str | None, typer.Option(help="Only this country (ISO3).")] = None,
    summary: Annotated[
        GapSummary | None,
        typer.Option(help="Summarise by group; 'countries' = where we know least first."),
    ] = None,
    detail: Annotated[
        bool, typer.Option(help="Add status, age, total-only year, years and sources.")
    ] = False,
    recent_years: Annotated[
        int, typer.Option(min=0, max=100, help="Data this many years old or newer is recent.")
    ] = 5,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Data-gap audit: for every country × indicator, the latest year with data by sex.

    ``latest_year`` is null when a country has no value at all; ``by_sex`` is false when it
    has only totals (or one sex). Summaries count cells by status for each group.
    """
    ev = open_evidence(db)
    try:
        ind = ev.indicator(indicator).id if indicator else None
        code = ev.area(country).code if country else None
        audit = data_gap_audit(ev, recent_years=recent_years)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    title = _("Data-gap audit, reference year %(year)s", year=audit.reference_year)
    if summary is GapSummary.countries:
        rows = records.coverage_records(audit.coverage())
        emit(rows, format, list(records.COVERAGE_KEYS), title=title)
        return
    if summary is not None:
        rows = records.summary_records(audit.summary(summary.value))
        emit(rows, format, list(records.SUMMARY_KEYS), title=title)
        return
    cells = [
        c
        for c in audit.cells
        if (ind is None or c.indicator == ind) and (code is None or c.country == code)
    ]
    keys = records.DATA_GAP_DETAIL_KEYS if detail else records.DATA_GAP_KEYS
    if format is OutputFormat.table and not detail:
        keys = (*keys, "status", "age")
        rows = records.data_gap_records(cells, detail=True, flat=True)
    else:
        flat = format is not OutputFormat.json
        rows = records.data_gap_records(cells, detail=detail, flat=flat)
    emit(rows, format, list(keys), title=title)


@app.command("parity-years")
def parity_years_command(
    country: Annotated[str, typer.Argument(metavar="ISO3")],
    indicator: Annotated[str, typer.Argument(metavar="INDICATOR")],
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Trend of one country's gender gap and the years until parity at the current pace.

    Fits log(F/M) on the year (OLS, the method in trend_method.yaml), projects it with a 95%
    prediction interval and gives the first year in the ITU parity band 0.98-1.02, or
    'diverging' / 'not at current pace'; never from fewer than the stated minimum of points.
    """
    ev = open_evidence(db)
    try:
        trend = country_trend(ev, country, indicator)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    summary = records.trend_summary(trend)
    if format is OutputFormat.json:
        summary["series"] = records.trend_rows(trend)
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        return
    title = f"{trend.country} {trend.indicator}: {localised(trend.message)}"
    if trend.parity_year_low is not None and trend.status.value != "at_parity":
        high = trend.parity_year_high or _(
            "after %(year)s",
            year=trend.last_year + trend.method.horizon,  # type: ignore[operator]
        )
        title = _(
            "%(title)s (95%% prediction interval: %(low)s-%(high)s)",
            title=title,
            low=trend.parity_year_low,
            high=high,
        )
    emit(records.trend_rows(trend), format, list(records.TREND_ROW_KEYS), title=title)


class HeadlineLevel(StrEnum):
    groups = "groups"
    countries = "countries"


@app.command("headlines")
def headlines_command(
    indicator: Annotated[
        str, typer.Argument(metavar="INDICATOR", help=f"One of {', '.join(AGE_BASE)}.")
    ],
    level: Annotated[
        HeadlineLevel, typer.Option(help="World, regions, income groups; or countries.")
    ] = HeadlineLevel.groups,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """How many women and men do not use the Internet, own no phone or have no account.

    Each country's latest rates by sex applied to the World Bank population of that sex, year
    and age base; groups sum their countries with data and state the coverage (share of the
    group's women in countries with data) and the years used.
    """
    ev = open_evidence(db)
    try:
        h = headlines(ev, indicator)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    title = _(
        "Women and men who %(meaning)s (%(note)s); population: %(source)s",
        meaning=_(h.meaning),  # the library's phrases, translated in the pages catalogue
        note=_(h.age_note),
        source=h.population_source,
    )
    if level is HeadlineLevel.countries:
        rows = [asdict(c) for c in h.countries]
        emit(rows, format, list(rows[0]) if rows else ["country"], title=title)
        return
    rows = [
        {**asdict(g), "year_mix": ";".join(f"{y}:{n}" for y, n in g.year_mix)} for g in h.groups
    ]
    columns = list(rows[0])
    if format is OutputFormat.table:
        columns = [
            "label",
            "women_without",
            "men_without",
            "fewer_women",
            "female_rate_weighted",
            "male_rate_weighted",
            "countries",
            "coverage_women",
            "year_min",
            "year_max",
        ]
    emit(rows, format, columns, title=title)


@app.command("pace")
def pace_command(
    indicator: Annotated[str, typer.Argument(metavar="INDICATOR")],
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Pace towards parity by region, income group and world: the mean annual change of the
    parity score of the countries with a trend, unweighted and weighted by female population."""
    ev = open_evidence(db)
    try:
        pace = group_pace(ev, indicator)
    except EqualsError as exc:
        raise fail(message_of(exc), 2) from exc
    rows = [
        {**asdict(g), "statuses": ";".join(f"{k}:{n}" for k, n in g.statuses)} for g in pace.groups
    ]
    emit(rows, format, list(rows[0]), title=_("Weights: %(source)s", source=pace.weights_source))
