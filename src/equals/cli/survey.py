"""Survey commands: design-based estimates and gender gaps from microdata files.

Thin adapters over :mod:`equals.survey`; every input error exits with code 2 and one message
naming the file and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from equals.cli.app import app
from equals.cli.common import FormatOption, OutputFormat, cell, emit, fail
from equals.cli.context import engine_options
from equals.core.errors import EqualsError, message_of
from equals.core.i18n import _
from equals.survey import (
    CIMethod,
    DeffMethod,
    Design,
    DfRule,
    EstimationOptions,
    LonelyPSU,
    QualityThresholds,
    Quantity,
    estimate,
    gender_gaps,
    mean,
    open_engine,
    proportion,
    ratio,
    total,
)
from equals.survey.results import STAT_COLUMNS, TABLE_STAT_COLUMNS

survey_app = typer.Typer(
    help=(
        "Design-based estimates from survey microdata (CSV, Parquet, Stata .dta, SPSS .sav), "
        "with standard errors as R's survey package: Taylor linearisation, with-replacement "
        "first stage."
    ),
    no_args_is_help=True,
)
app.add_typer(survey_app, name="survey")

# A string, not a Path: a Spark URL (s3a://bucket/key) must keep its double slash.
FileArg = Annotated[
    str,
    typer.Argument(
        metavar="FILE",
        help="Microdata: .csv, .parquet, .dta or .sav (with --engine spark also hdfs://, s3a://…).",
    ),
]
WeightOpt = Annotated[str, typer.Option("--weight", help="Sampling weight column.")]
StrataOpt = Annotated[str | None, typer.Option("--strata", help="Stratum column.")]
PsuOpt = Annotated[
    str | None,
    typer.Option("--psu", help="First-stage cluster (PSU) column; without it each row is a PSU."),
]
FpcOpt = Annotated[
    str | None,
    typer.Option(
        "--fpc",
        help="Finite population correction: PSUs in the stratum's population (values > 1) "
        "or the sampling fraction (values ≤ 1), as R's svydesign(fpc=).",
    ),
]
ByOpt = Annotated[
    str | None, typer.Option("--by", help="Domain columns, comma-separated (e.g. sex,urban).")
]
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        help="duckdb (default: one machine, out-of-core within $EQUALS_DUCKDB_MEMORY, 500MB, "
        "spilling to disk beyond it) or spark (PySpark; local[2] unless --spark-master).",
    ),
]
SparkMasterOpt = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        help="Spark master URL for --engine spark, e.g. spark://host:7077, yarn, local[4] "
        "(default local[2], or $EQUALS_SPARK_MASTER). FILE must be readable by the executors.",
    ),
]
LonelyOpt = Annotated[
    LonelyPSU,
    typer.Option(
        "--lonely-psu",
        help="Strata with one PSU: error (default), certainty/remove (no variance), adjust "
        "(centre at the population mean) or average — R's survey.lonely.psu.",
    ),
]
DfOpt = Annotated[
    DfRule,
    typer.Option(
        "--df",
        help="CI quantile: normal (as R confint) or design (t with #PSU − #strata, R degf).",
    ),
]
LevelOpt = Annotated[float, typer.Option("--level", help="Confidence level.")]
MeanOpt = Annotated[list[str] | None, typer.Option("--mean", help="Column to average.")]
PropOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--proportion",
        help="COL (0/1 → share of 1s; else one share per value) or COL=VALUE.",
    ),
]
EST_COLUMNS = ["variable", "statistic", "level", "domain", *STAT_COLUMNS, "flags"]
TABLE_COLUMNS = ["variable", "statistic", "level", "domain", *TABLE_STAT_COLUMNS, "flags"]
GAP_PARTS = ("female", "male", "difference", "parity", "relative_gap")


def _design(
    weight: str, strata: str | None, psu: str | None, fpc: str | None, lonely: LonelyPSU
) -> Design:
    return Design(weight=weight, strata=strata, psu=psu, fpc=fpc, lonely_psu=lonely)


def _by(by: str | None) -> list[str]:
    return [c.strip() for c in (by or "").split(",") if c.strip()]


def _proportion(spec: str) -> Quantity:
    col, sep, value = spec.partition("=")
    return proportion(col, value) if sep else proportion(col)


def _ratio(spec: str) -> Quantity:
    num, sep, den = spec.partition("/")
    if not sep or not num or not den:
        raise fail(_("--ratio takes NUMERATOR/DENOMINATOR, got %(spec)r", spec=spec))
    return ratio(num, den)


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    out = dict(rec)
    out["domain"] = "; ".join(f"{k}={v}" for k, v in rec["domain"].items()) or "(all)"
    out["flags"] = ";".join(rec.get("flags", []))
    return out


@survey_app.command("estimate")
def estimate_cmd(
    file: FileArg,
    weight: WeightOpt,
    strata: StrataOpt = None,
    psu: PsuOpt = None,
    fpc: FpcOpt = None,
    mean_: MeanOpt = None,
    proportion_: PropOpt = None,
    total_: Annotated[list[str] | None, typer.Option("--total", help="Column to sum.")] = None,
    ratio_: Annotated[
        list[str] | None, typer.Option("--ratio", help="NUMERATOR/DENOMINATOR columns.")
    ] = None,
    by: ByOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: SparkMasterOpt = None,
    lonely_psu: LonelyOpt = LonelyPSU.ERROR,
    df: DfOpt = DfRule.NORMAL,
    ci: Annotated[
        CIMethod,
        typer.Option("--ci", help="wald, or logit for proportions (R svyciprop 'logit')."),
    ] = CIMethod.WALD,
    deff: Annotated[
        DeffMethod,
        typer.Option(
            "--deff", help="Design effect vs SRS without (R deff=TRUE) / with replacement."
        ),
    ] = DeffMethod.SRSWOR,
    level: LevelOpt = 0.95,
    min_n: Annotated[int, typer.Option("--min-n", help="Flag small_n below this n.")] = 30,
    cv_caution: Annotated[float, typer.Option(help="Flag use_with_caution above this CV.")] = 0.166,
    cv_unreliable: Annotated[float, typer.Option(help="Flag unreliable above this CV.")] = 0.333,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Means, proportions, totals and ratios with SE, CI, design effect, CV, n and flags.

    Rows with a missing analysis value are left out of that estimate and counted in
    `missing` (R's na.rm=TRUE). Domains (--by) are subpopulations: their SEs use every PSU.
    """
    quantities = [
        *(mean(c) for c in mean_ or []),
        *(_proportion(c) for c in proportion_ or []),
        *(total(c) for c in total_ or []),
        *(_ratio(c) for c in ratio_ or []),
    ]
    if not quantities:
        raise fail(_("give at least one of --mean, --proportion, --total or --ratio"))
    try:
        options = EstimationOptions(
            level=level,
            df=df,
            ci=ci,
            deff=deff,
            quality=QualityThresholds(min_n, cv_caution, cv_unreliable),
        )
        results = estimate(
            file,
            _design(weight, strata, psu, fpc, lonely_psu),
            quantities,
            _by(by),
            options=options,
            engine=open_engine(engine, file, **engine_options(engine, spark_master)),
        )
    except EqualsError as exc:
        raise fail(exc) from exc
    except ValueError as exc:  # an option out of range (e.g. --level 1.5)
        raise fail(message_of(exc)) from exc
    records = [r.to_record() for r in results]
    if format is not OutputFormat.json:
        records = [_flat(r) for r in records]
    cols = EST_COLUMNS if format is OutputFormat.csv else TABLE_COLUMNS
    emit(records, format, cols, title=_("Survey estimates: %(file)s", file=Path(file).name))


@survey_app.command("gap")
def gap_cmd(
    file: FileArg,
    weight: WeightOpt,
    sex: Annotated[str, typer.Option("--sex", help="Sex column.")],
    female: Annotated[str, typer.Option("--female", help="Value of --sex for women.")],
    male: Annotated[str, typer.Option("--male", help="Value of --sex for men.")],
    strata: StrataOpt = None,
    psu: PsuOpt = None,
    fpc: FpcOpt = None,
    proportion_: PropOpt = None,
    mean_: MeanOpt = None,
    by: ByOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: SparkMasterOpt = None,
    lonely_psu: LonelyOpt = LonelyPSU.ERROR,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Female and male estimates and the gaps: difference M−F, parity F/M, relative (M−F)/M.

    SEs use the covariance of the female and male estimates from the same PSUs
    (R: svyby(covmat=TRUE) + svycontrast).
    """
    quantities = [*(_proportion(c) for c in proportion_ or []), *(mean(c) for c in mean_ or [])]
    if not quantities:
        raise fail(_("give at least one of --proportion or --mean"))
    try:
        results = gender_gaps(
            file,
            _design(weight, strata, psu, fpc, lonely_psu),
            quantities,
            sex=sex,
            female=female,
            male=male,
            by=_by(by),
            engine=open_engine(engine, file, **engine_options(engine, spark_master)),
        )
    except EqualsError as exc:
        raise fail(exc) from exc
    except ValueError as exc:  # an option out of range (e.g. --level 1.5)
        raise fail(message_of(exc)) from exc
    records = [r.to_record() for r in results]
    if format is OutputFormat.json:
        emit(records, format, [])
        return
    flat = []
    for rec in records:
        row = _flat(rec)
        for part in GAP_PARTS:
            p = rec[part]
            row[part] = f"{cell(p['estimate'])} ({cell(p['se'])})"
            row[f"{part}_estimate"], row[f"{part}_se"] = p["estimate"], p["se"]
        flat.append(row)
    cols = ["variable", "level", "domain", *GAP_PARTS, "flags"]
    if format is OutputFormat.csv:
        cols = ["variable", "level", "domain"]
        cols += [f"{p}_{k}" for p in GAP_PARTS for k in ("estimate", "se")] + ["flags"]
    emit(flat, format, cols, title=_("Gender gaps: %(file)s", file=Path(file).name))
