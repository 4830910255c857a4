"""A synthetic household ICT survey: realistic design, calibrated rates — and clearly labelled.

**Synthetic data.** Every file written here says so: the Parquet schema metadata carry
``synthetic = "true"`` and an ``equals.synthetic`` JSON note (country, seed, the calibration
figures and where each came from). Use it for demos, tests and benchmarks, never as evidence.

Design (as a national statistics office's ICT household survey, e.g. an LFS ICT module):

* Strata: regions (``REGIONS``) × urban/rural. Region population shares and urban shares
  are drawn once from the seed.
* Stage 1: enumeration areas (PSUs) allocated to strata in proportion to the square root of
  the stratum population (a compromise allocation, so weights differ between strata).
* Stage 2: ``HOUSEHOLDS_PER_EA`` households per EA, with household non-response
  (``RESPONSE_RATE``); every member of a responding household is interviewed.
* Weights: household weight = H_h / (n_h · m_i) (H_h households in the stratum, n_h sampled
  EAs, m_i responding households in the EA) — the design weight with a non-response
  adjustment in the EA; persons carry their household's weight, so Σw ≈ the population.

Persons: sex (1 male, 2 female), age, age group, education (15+), labour-force status (15+).
ICT variables (ITU Manual for Measuring ICT Access and Use by Households and Individuals):
individual Internet use (HH7), computer use (HH5), mobile phone use (HH10) and ownership
(HH18), the nine ICT skills of SDG 4.4.1 (HH15), all for persons aged 5+ (missing below);
household Internet access (HH6) and computer access (HH4), on every member's row.

Rates: a person's propensity combines a cluster random effect (on the logit scale,
``SIGMA_PSU``), a household effect (``SIGMA_HH``), urban residence, education and age;
intercepts per sex (and per urban/rural when a figure is given) are solved on a pilot sample
so that the population rates among persons aged 15+ equal the calibration targets
(:class:`Target`). ICT skills are only possible for Internet users. The cluster and
household effects give design effects of about 1.5–3 for national proportions.

Memory: the sample is generated and written in chunks of EAs (pyarrow ``ParquetWriter``), so
10 million persons need a few hundred MB.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from equals.core.i18n import Msg

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

REGIONS = 8
HOUSEHOLDS_PER_EA = 12
RESPONSE_RATE = 0.92
MEAN_EXTRA_MEMBERS = {1: 2.6, 2: 3.4}  # household size = 1 + Poisson(λ), urban / rural
SIGMA_PSU = 0.55  # SD of the EA random effect on the logit scale
SIGMA_HH = 0.75  # SD of the household random effect on the logit scale
SCOPE_AGE = 15  # calibration population: persons aged 15 and over
ICT_MIN_AGE = 5  # individual ICT questions are asked from age 5
PILOT_PERSONS = 400_000
CHUNK_PERSONS = 500_000
AGE_GROUPS = ((0, 14, "0-14"), (15, 24, "15-24"), (25, 34, "25-34"), (35, 44, "35-44"),
              (45, 54, "45-54"), (55, 64, "55-64"), (65, 74, "65-74"),
              (75, 200, "75+"))  # fmt: skip
SKILLS = (
    "copy_paste",
    "copy_move_file",
    "email_attachment",
    "spreadsheet_formula",
    "install_devices",
    "find_install_software",
    "presentation",
    "transfer_files",
    "programming",
)
# Evidence-store indicator of each variable (None: no bundled indicator).
INDICATORS: dict[str, str | None] = {
    "internet_use": "internet_use",
    "computer_use": None,
    "mobile_own": "mobile_phone_ownership",
    "mobile_use": None,
    **{f"skill_{s}": f"ict_skill_{s}" for s in SKILLS},
    "hh_internet": None,
    "hh_computer": None,
}
# Documented defaults (female, male) for a country without a published figure: round values
# near world medians; all but Internet use are scaled by the country's Internet use.
DEFAULTS: dict[str, tuple[float, float]] = {
    "internet_use": (0.60, 0.66),
    "computer_use": (0.30, 0.35),
    "mobile_own": (0.70, 0.77),
    "mobile_use": (0.80, 0.85),
    "skill_copy_paste": (0.30, 0.34),
    "skill_copy_move_file": (0.28, 0.33),
    "skill_email_attachment": (0.24, 0.28),
    "skill_spreadsheet_formula": (0.12, 0.15),
    "skill_install_devices": (0.15, 0.22),
    "skill_find_install_software": (0.14, 0.21),
    "skill_presentation": (0.12, 0.14),
    "skill_transfer_files": (0.22, 0.27),
    "skill_programming": (0.03, 0.06),
    "hh_internet": (0.62, 0.62),
    "hh_computer": (0.35, 0.35),
}
# Codes and labels written into the file's metadata.
LABELS: dict[str, dict[int | None, str]] = {
    "sex": {1: "male", 2: "female"},
    "urban": {1: "urban", 2: "rural"},
    "education": {0: "none", 1: "primary", 2: "secondary", 3: "tertiary"},
    "labour_force": {1: "employed", 2: "unemployed", 3: "outside the labour force"},
    "ict": {0: "no", 1: "yes", None: "not asked (age under 5)"},
}
SYNTHETIC_WARNING = Msg(
    "SYNTHETIC DATA generated by `equals survey simulate`: not a real survey. Rates are "
    "calibrated to published national figures; persons, households and areas are invented."
)
"""What the person simulating a survey is told (in their language where it is shown)."""
SYNTHETIC_NOTE = str(SYNTHETIC_WARNING)
"""The same note in English, as the files and mappings written store it."""


@dataclass(frozen=True, slots=True)
class Target:
    """A calibration rate of one variable, by sex (and urban/rural when known), with source."""

    variable: str
    female: float
    male: float
    source: str  # e.g. "wdi internet_use KEN 2019" or "default"
    urban: tuple[float, float] | None = None  # (female, male) in urban areas, if published
    rural: tuple[float, float] | None = None


@dataclass(frozen=True)
class SimulationSpec:
    country: str
    persons: int
    seed: int = 1
    targets: Mapping[str, Target] = field(default_factory=dict)


def default_targets(known: Mapping[str, Target] | None = None) -> dict[str, Target]:
    """Every variable's target: the published one if given, else a documented default.

    A default keeps its ratio to Internet use in :data:`DEFAULTS` (so a country with low
    Internet use gets few skills and few connected households). Skills stay below 0.9 ×
    Internet use (a skill needs use); mobile use is at least mobile ownership."""
    known = dict(known or {})
    web = known.get("internet_use") or Target("internet_use", *DEFAULTS["internet_use"], "default")
    base_f, base_m = DEFAULTS["internet_use"]
    out: dict[str, Target] = {"internet_use": web}
    for var, (f, m) in DEFAULTS.items():
        if var == "internet_use":
            continue
        if var in known:
            out[var] = known[var]
        elif var.startswith("hh_"):
            level = min(0.98, f / ((base_f + base_m) / 2) * (web.female + web.male) / 2)
            out[var] = Target(var, level, level, "default (scaled to Internet use)")
        else:
            fr, mr = min(0.98, f / base_f * web.female), min(0.98, m / base_m * web.male)
            out[var] = Target(var, fr, mr, "default (scaled to Internet use)")
    for s in SKILLS:
        t = out[f"skill_{s}"]
        f, m = min(t.female, 0.9 * web.female), min(t.male, 0.9 * web.male)
        if (f, m) != (t.female, t.male):
            out[t.variable] = Target(t.variable, f, m, t.source + " (capped at 0.9 × Internet use)")
    own, use = out["mobile_own"], out["mobile_use"]
    if use.female < own.female or use.male < own.male:
        f, m = max(use.female, own.female), max(use.male, own.male)
        out["mobile_use"] = Target("mobile_use", f, m, use.source + " (raised to ownership)")
    return out


# -- the sample design -------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """Strata, and the sampled EAs (PSUs) and households in generation order."""

    region: I64  # per stratum
    urban: I64  # per stratum: 1 urban, 2 rural
    households: F64  # per stratum: population households H_h
    n_psu: I64  # per stratum: sampled EAs
    psu_stratum: I64  # per EA
    respond: I64  # per EA: responding households
    hh_start: I64  # per EA: index of its first household
    hh_size: I64  # per household


def build_frame(persons: int, rng: np.random.Generator) -> Frame:
    """Strata, EAs and household sizes: just enough EAs for ``persons`` persons."""
    share = rng.dirichlet(np.full(REGIONS, 4.0))
    urban_share = np.clip(rng.normal(0.5, 0.15, REGIONS), 0.15, 0.9)
    region = np.repeat(np.arange(1, REGIONS + 1), 2)
    urban = np.tile(np.array([1, 2]), REGIONS)
    pop_share = share[region - 1] * np.where(urban == 1, urban_share[region - 1],
                                             1 - urban_share[region - 1])  # fmt: skip
    lam = np.array([MEAN_EXTRA_MEMBERS[int(u)] for u in urban])
    per_ea = HOUSEHOLDS_PER_EA * RESPONSE_RATE * float(np.average(1 + lam, weights=pop_share))
    n_strata = len(region)
    total_psu = max(2 * n_strata, math.ceil(persons / per_ea * 1.2) + 2 * n_strata)
    alloc = np.sqrt(pop_share)
    planned = np.maximum(2, np.round(total_psu * alloc / alloc.sum())).astype(np.int64)
    # two EAs of every stratum first (no stratum is left with one PSU), then the rest shuffled
    first = np.repeat(np.arange(n_strata), 2)
    rest = rng.permutation(np.repeat(np.arange(n_strata), planned - 2))
    psu_stratum = np.concatenate([rng.permutation(first), rest])
    respond = np.maximum(rng.binomial(HOUSEHOLDS_PER_EA, RESPONSE_RATE, len(psu_stratum)), 1)
    hh_ea = np.repeat(np.arange(len(psu_stratum)), respond)
    hh_size = 1 + rng.poisson(lam[psu_stratum[hh_ea]])
    persons_per_ea = np.bincount(hh_ea, weights=hh_size, minlength=len(psu_stratum))
    used = int(np.searchsorted(np.cumsum(persons_per_ea), persons)) + 1
    used = max(min(used, len(psu_stratum)), min(2 * n_strata, len(psu_stratum)))
    psu_stratum, respond = psu_stratum[:used], respond[:used]
    hh_size = hh_size[: int(respond.sum())]
    n_psu = np.bincount(psu_stratum, minlength=n_strata).astype(np.int64)
    population = max(persons * 20, 1_000_000)  # the country's (synthetic) population
    households = population * pop_share / (1 + lam)
    hh_start = np.cumsum(respond) - respond
    return Frame(region, urban, households, n_psu, psu_stratum, respond, hh_start, hh_size)


# -- one chunk of EAs ---------------------------------------------------------------------


def _expit(x: F64) -> F64:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


def _age_group(age: I64) -> npt.NDArray[np.object_]:
    labels = np.array([g[2] for g in AGE_GROUPS], dtype=object)
    edges = np.array([g[1] for g in AGE_GROUPS[:-1]])
    return np.asarray(labels[np.searchsorted(edges, age, side="left")])


def persons_of(frame: Frame, psus: I64, rng: np.random.Generator) -> dict[str, npt.NDArray]:  # type: ignore[type-arg]
    """Households and persons of the consecutive EAs ``psus`` (indices into the frame)."""
    h = frame.psu_stratum[psus]
    urban_ea = frame.urban[h]
    respond = frame.respond[psus]
    hh_weight_ea = frame.households[h] / (np.maximum(frame.n_psu[h], 1) * respond)
    ea_effect = rng.normal(0.0, SIGMA_PSU, len(psus))
    ea_edu = rng.normal(0.0, 0.5, len(psus))
    # households (sizes fixed by the frame)
    hh_ea = np.repeat(np.arange(len(psus)), respond)
    n_hh = len(hh_ea)
    first_hh = int(frame.hh_start[psus[0]])
    size = frame.hh_size[first_hh : first_hh + n_hh]
    hh_effect = rng.normal(0.0, SIGMA_HH, n_hh)
    # persons
    p_hh = np.repeat(np.arange(n_hh), size)
    n = len(p_hh)
    starts = np.cumsum(size) - size
    line = np.arange(n) - np.repeat(starts, size)
    ea = hh_ea[p_hh]
    is_urban = (urban_ea[ea] == 1).astype(np.float64)
    # ages: head 18–85, second member mostly an adult partner, others a young pyramid
    pyramid = np.minimum(rng.exponential(24.0, n), 95.0)
    adult = 18 + np.minimum(rng.gamma(4.0, 7.0, n), 67.0)
    age = np.where(line == 0, adult, np.where((line == 1) & (rng.random(n) < 0.75), adult, pyramid))
    age = np.floor(age).astype(np.int64)
    sex = np.where(rng.random(n) < 0.5, 2, 1).astype(np.int64)
    female = sex == 2
    # education (15+): ordinal latent
    edu_latent = (0.8 * is_urban + ea_edu[ea] + 0.4 * hh_effect[p_hh] - 0.2 * female
                  - 0.02 * np.maximum(age - 30, 0) + rng.normal(0.0, 1.0, n))  # fmt: skip
    education = np.searchsorted(np.array([-0.9, 0.4, 1.6]), edu_latent).astype(np.float64)
    adult15 = age >= SCOPE_AGE
    education[~adult15] = np.nan
    # labour force (15+)
    p_active = np.where(female, 0.55, 0.75) * np.where((age >= 25) & (age <= 59), 1.15, 0.7)
    active = rng.random(n) < np.minimum(p_active, 0.97)
    unemployed = rng.random(n) < 0.09
    lfs = np.where(active, np.where(unemployed, 2, 1), 3).astype(np.float64)
    lfs[~adult15] = np.nan
    # digital propensity (without the per-variable intercepts)
    edu_c = np.nan_to_num(education, nan=1.0) - 1.2
    propensity = (ea_effect[ea] + hh_effect[p_hh] + 0.7 * is_urban + 0.55 * edu_c
                  - 0.035 * np.maximum(age - 30, 0) - 0.8 * (age < 15))  # fmt: skip
    return {
        "region": frame.region[h][ea],
        "urban": urban_ea[ea],
        "stratum": (frame.region[h] * 10 + urban_ea)[ea],
        "psu": (psus[ea] + 1).astype(np.int64),
        "hh": p_hh + first_hh,
        "line": line + 1,
        "hh_size": size[p_hh],
        "weight": hh_weight_ea[ea],
        "sex": sex,
        "age": age,
        "education": education,
        "labour_force": lfs,
        "_propensity": propensity,
        "_hh_propensity": (ea_effect[ea] + hh_effect[p_hh] + 0.5 * is_urban),
        "_head": line == 0,
    }


# -- calibration and ICT draws ------------------------------------------------------------


def _solve(target: float, eta: F64, w: F64, cap: F64 | None = None) -> float:
    """α with Σw·cap·expit(α + η) / Σw = target (bisection on a monotone function)."""
    if not len(eta) or w.sum() <= 0:
        return 0.0
    lo, hi = -25.0, 25.0
    total = float(w.sum())
    for _ in range(60):
        mid = (lo + hi) / 2
        p = _expit(mid + eta)
        rate = float((w * (p if cap is None else p * cap)).sum()) / total
        if rate < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


Alphas = dict[tuple[str, int, int], float]  # (variable, sex, urban) → intercept; 0 = any urban
ORDER = ("hh_internet", "hh_computer", "internet_use", "computer_use", "mobile_own", "mobile_use",
         *(f"skill_{s}" for s in SKILLS))  # fmt: skip
LOADING = {"hh_internet": 1.0, "hh_computer": 1.0, "internet_use": 1.0, "computer_use": 1.0,
           "mobile_own": 0.6, "mobile_use": 0.5}  # fmt: skip


def draw_ict(
    p: dict[str, npt.NDArray],  # type: ignore[type-arg]
    targets: Mapping[str, Target],
    rng: np.random.Generator,
    alphas: Alphas | None = None,
) -> Alphas:
    """Draw every ICT variable into ``p``; with ``alphas=None`` solve them (the pilot)."""
    solved: Alphas = {} if alphas is None else alphas
    n = len(p["sex"])
    w = p["weight"]
    asked = p["age"] >= ICT_MIN_AGE
    scope = p["age"] >= SCOPE_AGE
    urban = p["urban"]
    for var in ORDER:
        t = targets[var]
        household = var.startswith("hh_")
        eta = LOADING.get(var, 0.8) * (p["_hh_propensity"] if household else p["_propensity"])
        if var == "internet_use":
            eta = eta + 1.2 * p["hh_internet"]
        elif var == "computer_use":
            eta = eta + 1.5 * p["hh_computer"] + 0.5 * p["internet_use"]
        elif var == "mobile_own":
            eta = eta + 0.6 * p["internet_use"]
        gate = p["internet_use"] if var.startswith("skill_") else None
        alpha = np.zeros(n)
        groups: list[tuple[int, int, float]] = []  # (sex, urban, target)
        if household:
            groups = [(0, 0, t.female)]
        else:
            for sex, rate in ((2, t.female), (1, t.male)):
                if t.urban and t.rural:
                    groups += [(sex, 1, t.urban[sex == 1]), (sex, 2, t.rural[sex == 1])]
                else:
                    groups.append((sex, 0, rate))
        for sex, u, rate in groups:
            member = np.ones(n, dtype=bool) if sex == 0 else p["sex"] == sex
            if u:
                member &= urban == u
            if alphas is None:
                sel = member & (p["_head"] if household else scope)
                cap = None if gate is None else gate[sel].astype(np.float64)
                if var == "mobile_use":
                    own = p["mobile_own"][sel].astype(np.float64)
                    cap = 1.0 - own
                    rate = rate - float((w[sel] * own).sum() / w[sel].sum())
                    rate = max(rate, 0.0)
                solved[(var, sex, u)] = _solve(rate, eta[sel], w[sel], cap)
            alpha[member] = solved[(var, sex, u)]
        if household:
            # one draw per household, shared by its members
            heads = np.flatnonzero(p["_head"])
            draw = rng.random(len(heads)) < _expit(alpha[heads] + eta[heads])
            value = draw[np.searchsorted(heads, np.arange(n), side="right") - 1]
        else:
            value = rng.random(n) < _expit(alpha + eta)
            if gate is not None:
                value &= gate.astype(bool)
            if var == "mobile_use":
                value |= p["mobile_own"].astype(bool)
        out = value.astype(np.float64)
        if not household:
            out[~asked] = np.nan
        p[var] = out
    return solved


# -- writing ------------------------------------------------------------------------------

COLUMNS = ("country", "region", "urban", "stratum", "psu", "hh_id", "line", "hh_size",
           "weight", "sex", "age", "age_group", "education", "labour_force",
           "internet_use", "computer_use", "mobile_use", "mobile_own",
           *(f"skill_{s}" for s in SKILLS), "hh_internet", "hh_computer")  # fmt: skip


def _table(p: dict[str, npt.NDArray], country: str) -> object:  # type: ignore[type-arg]
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    n = len(p["sex"])
    small = pa.int8()

    def ict(name: str) -> pa.Array:
        v = p[name]
        return pa.array(np.nan_to_num(v, nan=0).astype(np.int8), type=small, mask=np.isnan(v))

    cols = {
        "country": pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(n, dtype=np.int8)), pa.array([country])
        ),
        "region": pa.array(p["region"].astype(np.int16)),
        "urban": pa.array(p["urban"].astype(np.int8)),
        "stratum": pa.array(p["stratum"].astype(np.int16)),
        "psu": pa.array(p["psu"].astype(np.int32)),
        "hh_id": pa.array((p["hh"] + 1).astype(np.int64)),
        "line": pa.array(p["line"].astype(np.int8)),
        "hh_size": pa.array(p["hh_size"].astype(np.int8)),
        "weight": pa.array(p["weight"].astype(np.float64)),
        "sex": pa.array(p["sex"].astype(np.int8)),
        "age": pa.array(p["age"].astype(np.int16)),
        "age_group": pa.array(p["age_group"], type=pa.string()).dictionary_encode(),
        "education": ict("education"),
        "labour_force": ict("labour_force"),
        **{name: ict(name) for name in COLUMNS[14:]},
    }
    return pa.table(cols)


def simulate(
    spec: SimulationSpec,
    out: str | Path,
    *,
    progress: Callable[[int], None] | None = None,
    chunk_persons: int = CHUNK_PERSONS,
) -> dict[str, object]:
    """Write the synthetic survey to the Parquet file ``out``; returns its metadata note.

    Exactly ``spec.persons`` rows (the last household may be cut short). ``progress`` is
    called with the number of rows written after each chunk."""
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

    if spec.persons < 1:
        raise ValueError("persons must be at least 1")
    targets = default_targets(spec.targets)
    seeds = np.random.SeedSequence([spec.seed, _country_code(spec.country)])
    frame_seed, pilot_seed, chunk_seed = seeds.spawn(3)
    frame = build_frame(spec.persons, np.random.default_rng(frame_seed))
    pilot_rng = np.random.default_rng(pilot_seed)
    n_ea = len(frame.psu_stratum)
    per_ea = len(frame.hh_size) and float(frame.hh_size.sum()) / n_ea
    pilot_eas = min(n_ea, max(50, int(PILOT_PERSONS / per_ea)))
    pilot = persons_of(frame, np.arange(pilot_eas), pilot_rng)
    alphas = draw_ict(pilot, targets, pilot_rng)
    note: dict[str, object] = {
        "synthetic": True,
        "note": SYNTHETIC_NOTE,
        "country": spec.country,
        "persons": spec.persons,
        "seed": spec.seed,
        "design": {
            "strata": "region × urban/rural (stratum = 10·region + urban)",
            "psu": "enumeration area",
            "households_per_ea": HOUSEHOLDS_PER_EA,
            "response_rate": RESPONSE_RATE,
            "sigma_psu": SIGMA_PSU,
            "sigma_hh": SIGMA_HH,
            "calibration_scope": f"persons aged {SCOPE_AGE}+ (households: all)",
        },
        "targets": {k: asdict(v) for k, v in targets.items()},
        "labels": {k: {str(c): lab for c, lab in v.items()} for k, v in LABELS.items()},
    }
    eas_per_chunk = max(1, int(chunk_persons / per_ea))
    starts = range(0, n_ea, eas_per_chunk)
    chunk_seeds = chunk_seed.spawn(len(starts))
    written = 0
    writer: pq.ParquetWriter | None = None
    try:
        for start, seed in zip(starts, chunk_seeds, strict=True):
            if written >= spec.persons:
                break
            rng = np.random.default_rng(seed)
            psus = np.arange(start, min(start + eas_per_chunk, n_ea))
            p = persons_of(frame, psus, rng)
            draw_ict(p, targets, rng, alphas)
            p["age_group"] = _age_group(p["age"])
            table = _table(p, spec.country)
            assert isinstance(table, pa.Table)
            table = table.slice(0, min(table.num_rows, spec.persons - written))
            if writer is None:
                meta = {b"synthetic": b"true", b"equals.synthetic": json.dumps(note).encode()}
                writer = pq.ParquetWriter(
                    str(out), table.schema.with_metadata(meta), compression="zstd"
                )
            writer.write_table(table.replace_schema_metadata(writer.schema.metadata))
            written += table.num_rows
            if progress:
                progress(written)
    finally:
        if writer is not None:
            writer.close()
    if written < spec.persons:  # the frame has ≥ persons by construction
        raise RuntimeError(f"generated {written} of {spec.persons} persons")
    return note


def _country_code(country: str) -> int:
    return int.from_bytes(country.upper().encode()[:8].ljust(8, b"\0"), "little")


def iter_notes(path: str | Path) -> Iterator[tuple[str, str]]:
    """The synthetic-data labels of a Parquet file (for checks and the CLI)."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

    meta: dict[bytes, bytes] = pq.read_schema(str(path)).metadata or {}
    for key, value in meta.items():
        if key.startswith((b"synthetic", b"equals.")):
            yield key.decode(), value.decode()


def is_synthetic(path: str | Path) -> bool:
    """Whether a file is labelled as written by :func:`simulate` (Parquet metadata; a copy in
    another format loses the label)."""
    if Path(path).suffix.lower() not in (".parquet", ".pq") or not Path(path).is_file():
        return False
    try:
        return dict(iter_notes(path)).get("synthetic") == "true"
    except Exception:  # not a readable Parquet file: the engine will say so
        return False
