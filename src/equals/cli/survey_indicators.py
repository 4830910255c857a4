"""``equals survey indicators``: every ITU indicator a mapping allows, optionally published.

A thin adapter over the library workflow :mod:`equals.evidence.survey_indicators` (validate →
run → publish). A mapping with problems prints the full report and exits with code 2 before
anything is estimated; a publication that cannot be made is refused before the run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

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
from equals.core.errors import EqualsError, message_of
from equals.core.i18n import _, localised
from equals.evidence.records import to_csv
from equals.evidence.survey_indicators import (
    PublishRequest,
    SurveyIndicatorsResult,
    plan_survey_indicators,
    publish_survey_indicators,
    run_survey_indicators,
)
from equals.indicators.microdata import MappingError
from equals.indicators.microdata.runner import RECORD_COLUMNS
from equals.survey import DfRule, EstimationOptions, open_engine
from equals.survey.results import TABLE_STAT_COLUMNS

OUT_SUFFIXES = (".csv", ".json", ".parquet")
TABLE_COLUMNS = ["itu_code", "statistic", "sex", "breakdown", *TABLE_STAT_COLUMNS, "flags"]


def _write(result: SurveyIndicatorsResult, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix == ".json":
        text = json.dumps(result.to_record(), ensure_ascii=False, indent=2)
        out.write_text(text + "\n", encoding="utf-8")
    elif suffix == ".csv":
        rows = [{**r, "flags": ";".join(r["flags"])} for r in result.run.records()]
        out.write_text(to_csv(rows, RECORD_COLUMNS))
    else:
        result.run.frame().to_parquet(out, index=False)


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
        raise fail(
            _(
                "--out must end in %(suffixes)s, got %(name)s",
                suffixes=", ".join(OUT_SUFFIXES),
                name=repr(out.name),
            )
        )
    request = None
    if publish:
        fields = {
            "id": source_id,
            "title": source_title,
            "organisation": source_organisation,
            "licence": licence,
            "licence_url": licence_url,
        }
        request = PublishRequest(
            country=country,
            year=year,
            source={k: v for k, v in fields.items() if v},
            allow_synthetic=allow_synthetic,
        )
    options = EstimationOptions(level=level, df=df)
    try:
        plan = plan_survey_indicators(file, mapping, publish=request)
        engine_ = open_engine(engine, file, **engine_options(engine, spark_master))
        run = run_survey_indicators(plan, engine=engine_, indicators=indicator, options=options)
    except MappingError as exc:
        raise fail(exc.report.localised()) from exc
    except EqualsError as exc:
        raise fail(exc) from exc
    result = SurveyIndicatorsResult(run)
    if request is not None:
        store = open_store(db)
        try:
            published = publish_survey_indicators(plan, run, store)
        except EqualsError as exc:
            raise fail(_("nothing was published: %(reason)s", reason=message_of(exc)), 2) from exc
        finally:
            store.dispose()
        result = SurveyIndicatorsResult(run, published)
    if out is not None:
        _write(result, out)
    for s in run.skipped:
        say(localised(s.message), console=err)
    if result.published is not None:
        p = result.published
        say(
            _(
                "published %(observations)s observations of %(indicators)s as source "
                "%(source)s (replaced %(replaced)s; intervals at %(level)s%%)",
                observations=p.observations,
                indicators=", ".join(p.indicators) or _("no indicator"),
                source=p.source,
                replaced=p.replaced,
                level=f"{round(p.ci_level * 100, 2):g}",
            ),
            console=err,
        )
        for n in p.not_published:
            say(localised(n.message), console=err)
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(result.to_record(), ensure_ascii=False, indent=2) + "\n")
        return
    rows = run.records()
    cols = list(RECORD_COLUMNS) if format is OutputFormat.csv else TABLE_COLUMNS
    if format is OutputFormat.csv:
        rows = [{**r, "flags": ";".join(r["flags"])} for r in rows]
    emit(rows, format, cols, title=_("ITU indicators: %(file)s", file=Path(file).name))
