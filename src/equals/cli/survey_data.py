"""``equals survey simulate``: a synthetic household ICT survey calibrated to published figures.

The calibration figures come from the evidence store (the bundled ITU / World Bank / UNSD
series); this adapter looks them up so that :mod:`equals.survey.simulate` depends on nothing
but numpy and pyarrow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from equals.cli.common import DbOption, err, fail, open_evidence, say
from equals.cli.survey import survey_app
from equals.core.errors import EqualsError
from equals.core.i18n import _, localised
from equals.evidence.queries import Evidence
from equals.indicators.microdata.simulated import mapping_path, simulated_mapping
from equals.survey.simulate import (
    INDICATORS,
    SYNTHETIC_WARNING,
    SimulationSpec,
    Target,
    default_targets,
    simulate,
)


def published_targets(ev: Evidence, country: str) -> dict[str, Target]:
    """Each simulated variable's latest published female/male rate for ``country``.

    Urban and rural rates are used when the store has ``urban`` / ``rural`` breakdowns."""
    found: dict[str, Target] = {}
    for var, indicator in INDICATORS.items():
        if indicator is None:
            continue
        row = ev.gap(indicator, country)
        if row is None or row.female is None or row.male is None:
            continue
        split: dict[str, tuple[float, float]] = {}
        for breakdown in ev.breakdowns(indicator):
            place = next((p for p in ("urban", "rural") if p in breakdown.lower()), None)
            part = ev.gap(indicator, country, breakdown=breakdown) if place else None
            if place and part and part.female is not None and part.male is not None:
                split[place] = (part.female / 100, part.male / 100)
        found[var] = Target(
            var,
            row.female / 100,
            row.male / 100,
            f"{row.source}: {indicator}, {row.area} {row.year}",
            urban=split.get("urban") if len(split) == 2 else None,
            rural=split.get("rural") if len(split) == 2 else None,
        )
    return found


@survey_app.command(
    "simulate",
    help=(
        "Write a SYNTHETIC household ICT survey (Parquet) for demos, tests and benchmarks.\n\n"
        "The file is labelled synthetic (Parquet metadata 'synthetic' = 'true' and an "
        "'equals.synthetic' note with the seed and the calibration figures). Design: strata "
        "= regions × urban/rural; enumeration areas (PSUs), ~12 households each, every member "
        "interviewed; weights = design weight with an EA non-response adjustment. Columns: "
        "stratum, psu, hh_id, weight, sex (1 male, 2 female), age, age_group, urban (1 urban, "
        "2 rural), region, education, labour_force, internet_use, computer_use, mobile_use, "
        "mobile_own, skill_* (9 ICT skills), hh_internet, hh_computer (0/1; individual ICT "
        "variables missing under age 5). Female and male rates among persons aged 15+ are "
        "calibrated to the country's latest published figures (a documented default, scaled "
        "to Internet use, where there is none); EA and household random effects give design "
        "effects of about 1.5–3.\n\n"
        "Example: equals survey simulate --country KEN --persons 100000 --out ken.parquet\n"
        "then: equals survey gap ken.parquet --weight weight --strata stratum --psu psu "
        "--sex sex --female 2 --male 1 --proportion internet_use --by urban"
    ),
)
def simulate_cmd(
    country: Annotated[str, typer.Option("--country", help="ISO3 code, e.g. KEN.")],
    persons: Annotated[int, typer.Option("--persons", min=1, help="Number of person rows.")],
    out_file: Annotated[Path, typer.Option("--out", help="Output file (.parquet).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same file).")] = 1,
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    if out_file.suffix.lower() not in (".parquet", ".pq"):
        raise fail(_("%(file)s: --out must be a .parquet file", file=out_file))
    if not out_file.parent.exists():
        raise fail(
            _(
                "%(file)s: directory %(directory)s does not exist",
                file=out_file,
                directory=out_file.parent,
            )
        )
    try:
        ev = open_evidence(db)
        area = ev.area(country)
        known = published_targets(ev, area.code)
    except EqualsError as exc:
        raise fail(exc) from exc
    targets = default_targets(known)
    say(localised(SYNTHETIC_WARNING), console=err, style="bold")
    say(
        _(
            "Calibration figures for %(name)s (%(code)s), female / male:",
            name=area.name,
            code=area.code,
        ),
        console=err,
    )
    for var, t in targets.items():
        say(f"  {var:28} {t.female:6.1%} / {t.male:6.1%}  ← {t.source}", console=err)
    spec = SimulationSpec(area.code, persons, seed, targets)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn(
            _("%(done)s/%(total)s persons", done="{task.completed:,}", total="{task.total:,}")
        ),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task(_("simulating"), total=persons)
        simulate(spec, out_file, progress=lambda done: bar.update(task, completed=done))
    say(
        _(
            "wrote %(persons)s synthetic person records to %(file)s",
            persons=f"{persons:,}",
            file=out_file,
        )
    )
    mapping = mapping_path(out_file)
    mapping.write_text(simulated_mapping(area.code, seed=seed), encoding="utf-8")
    say(  # soft-wrapped: a command to copy is never folded
        _(
            "wrote its variable mapping to %(mapping)s; try:\n"
            "  equals survey indicators %(file)s --mapping %(mapping)s",
            mapping=mapping,
            file=out_file,
        )
    )
