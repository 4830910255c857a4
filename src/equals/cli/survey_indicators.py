"""``equals survey indicators``: every ITU indicator a mapping allows, optionally published.

A thin adapter over :mod:`equals.indicators.microdata`. A mapping with problems prints the
full report and exits with code 2 before anything is estimated.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from equals.cli.common import (
    DbOption,
    FormatOption,
    OutputFormat,
    emit,
    err,
    fail,
    open_store,
    say,
)
from equals.cli.context import engine_options
from equals.cli.survey import DfOpt, EngineOpt, FileArg, LevelOpt, survey_app
from equals.core.errors import EqualsError
from equals.evidence.records import to_csv
from equals.indicators.microdata import (
    IndicatorRun,
    MappingError,
    Publication,
    SurveyMapping,
    load_mapping,
    run_indicators,
    survey_source,
    to_observations,
)
from equals.indicators.microdata.mapping import SourceInfo
from equals.indicators.microdata.publish import check_publishable
from equals.indicators.microdata.runner import RECORD_COLUMNS
from equals.survey import DfRule, EstimationOptions, open_engine
from equals.survey.results import TABLE_STAT_COLUMNS

OUT_SUFFIXES = (".csv", ".json", ".parquet")
TABLE_COLUMNS = ["itu_code", "statistic", "sex", "breakdown", *TABLE_STAT_COLUMNS, "flags"]


def _document(run: IndicatorRun, published: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON document: data, mapping, results (tidy rows), skipped, published."""
    return {**run.to_record(), "published": published}


def _write(run: IndicatorRun, out: Path, published: dict[str, Any] | None) -> None:
    suffix = out.suffix.lower()
    if suffix == ".json":
        text = json.dumps(_document(run, published), ensure_ascii=False, indent=2)
        out.write_text(text + "\n", encoding="utf-8")
    elif suffix == ".csv":
        rows = [{**r, "flags": ";".join(r["flags"])} for r in run.records()]
        out.write_text(to_csv(rows, RECORD_COLUMNS))
    else:
        run.frame().to_parquet(out, index=False)


def _source_info(mapping: SurveyMapping, given: dict[str, str | None]) -> SourceInfo:
    base = mapping.source or SourceInfo()
    fields = {k: v for k, v in given.items() if v}
    return SourceInfo(**{**base.to_descriptor(), **fields})


def _publish(
    run: IndicatorRun,
    db: str | None,
    info: SourceInfo,
    country: str,
    year: int,
    *,
    allow_synthetic: bool,
) -> tuple[Publication, dict[str, Any]]:
    source = survey_source(info, data=Path(run.data).name, country=country, year=year)
    store = open_store(db)
    try:
        pub = to_observations(
            run, source, country=country, year=year, allow_synthetic=allow_synthetic
        )
        report = store.publish(pub.source, pub.observations)
    finally:
        store.dispose()
    summary = {
        "source": report.source,
        "observations": report.observations,
        "replaced": report.replaced,
        "indicators": sorted({o.indicator for o in pub.observations}),
        "not_published": [
            {"indicator": n.indicator, "itu_code": n.itu_code, "reason": n.reason}
            for n in pub.not_published
        ],
    }
    return pub, summary


@survey_app.command("indicators")
def indicators_cmd(
    file: FileArg,
    mapping: Annotated[
        Path,
        typer.Option(
            "--mapping", help="Variable mapping (YAML): the survey's columns and codes → concepts."
        ),
    ],
    engine: EngineOpt = "duckdb",
    spark_master: Annotated[
        str | None, typer.Option("--spark-master", help="Spark master URL for --engine spark.")
    ] = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", help="Only this indicator (id or ITU code, e.g. HH7)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write the results to RESULTS.csv, .json or .parquet."),
    ] = None,
    format: FormatOption = OutputFormat.table,
    level: LevelOpt = 0.95,
    df: DfOpt = DfRule.NORMAL,
    publish: Annotated[
        bool,
        typer.Option(
            "--publish",
            help="Store the results as observations of the catalogue indicators, with SE, CI, "
            "n and flags, under a survey source (replaces an earlier publication of it).",
        ),
    ] = False,
    db: DbOption = None,
    country: Annotated[
        str | None, typer.Option("--country", help="ISO3 code (default: the mapping's).")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Survey year (default: the mapping's).")
    ] = None,
    source_id: Annotated[str | None, typer.Option("--source-id", help="Source id.")] = None,
    source_title: Annotated[str | None, typer.Option("--source-title", help="Title.")] = None,
    source_organisation: Annotated[
        str | None, typer.Option("--source-organisation", help="Producer (e.g. the NSO).")
    ] = None,
    licence: Annotated[str | None, typer.Option("--licence", help="Licence of the data.")] = None,
    licence_url: Annotated[str | None, typer.Option("--licence-url", help="Licence URL.")] = None,
    allow_synthetic: Annotated[
        bool,
        typer.Option(
            "--allow-synthetic",
            help="Publish a file written by `equals survey simulate` (labelled SYNTHETIC); "
            "for demo databases only.",
        ),
    ] = False,
) -> None:
    """Every ITU household/individual ICT indicator the mapping allows, by sex and by age
    group, urban/rural, education and labour force status, with SE, CI, design effect, CV,
    n, quality flags and gender gaps (difference M−F, parity F/M, relative (M−F)/M).

    The mapping is validated against the data first: every problem (unknown column,
    unmapped code, out-of-range value, wrong type) is listed and nothing runs (exit 2).
    Age scope is a domain (R subset semantics); missing codes leave the estimate and are
    counted in `missing`.
    """
    if out is not None and out.suffix.lower() not in OUT_SUFFIXES:
        raise fail(f"--out must end in {', '.join(OUT_SUFFIXES)}, got {out.name!r}")
    try:
        m = load_mapping(mapping)
    except MappingError as exc:
        raise fail(exc.report.render()) from exc
    info = _source_info(
        m,
        {
            "id": source_id,
            "title": source_title,
            "organisation": source_organisation,
            "licence": licence,
            "licence_url": licence_url,
        },
    )
    iso3 = (country or m.country or "").strip().upper()
    yr = year if year is not None else m.year
    if publish:
        try:  # before the run: a refusal should not wait for the estimates
            check_publishable(file, allow_synthetic=allow_synthetic)
        except EqualsError as exc:
            raise fail(exc) from exc
        missing = [n for n, v in (("--country", iso3), ("--year", yr)) if not v]
        if missing:
            raise fail(f"--publish needs {' and '.join(missing)} (or the mapping's country/year)")
        try:
            survey_source(info, data=Path(file).name, country=iso3, year=int(yr or 0))
        except EqualsError as exc:
            raise fail(exc) from exc
    try:
        eng = open_engine(engine, file, **engine_options(engine, spark_master))
        run = run_indicators(
            file,
            m,
            engine=eng,
            indicators=indicator,
            options=EstimationOptions(level=level, df=df),
        )
    except MappingError as exc:
        raise fail(exc.report.render()) from exc
    except EqualsError as exc:
        raise fail(exc) from exc
    published: dict[str, Any] | None = None
    if publish:
        try:
            _, published = _publish(
                run, db, info, iso3, int(yr or 0), allow_synthetic=allow_synthetic
            )
        except EqualsError as exc:
            raise fail(f"nothing was published: {exc}") from exc
    if out is not None:
        _write(run, out, published)
    for s in run.skipped:
        say(f"skipped {s.indicator.itu_code}: {s.reason}", console=err)
    if published is not None:
        say(
            f"published {published['observations']} observations of "
            f"{', '.join(published['indicators']) or 'no indicator'} as source "
            f"{published['source']} (replaced {published['replaced']})",
            console=err,
        )
        for n in published["not_published"]:
            say(f"not published {n['itu_code']}: {n['reason']}", console=err)
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(_document(run, published), ensure_ascii=False, indent=2) + "\n")
        return
    rows = run.records()
    cols = list(RECORD_COLUMNS) if format is OutputFormat.csv else TABLE_COLUMNS
    if format is OutputFormat.csv:
        rows = [{**r, "flags": ";".join(r["flags"])} for r in rows]
    emit(rows, format, cols, title=f"ITU indicators: {Path(file).name}")
