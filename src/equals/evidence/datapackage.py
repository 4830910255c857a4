"""The evidence base as a Frictionless Data Package, so that it opens in any tool that reads one.

::

    from equals.evidence import Evidence
    from equals.evidence.datapackage import write_datapackage
    from equals.releases import current_release_names, list_releases

    write_datapackage(Evidence(store), "evidence.zip",         # or a directory
                      release_names=current_release_names(store), releases=list_releases(store))

Resources (one CSV each, UTF-8, empty cell = missing):

- ``observations`` — every value of the bundled (or newer imported) source releases, with the
  release it comes from;
- ``survey_estimates`` — estimates published from survey microdata, with standard errors,
  confidence intervals, unweighted counts and quality flags;
- ``gaps`` — each country's latest comparable year per indicator, source and breakdown, with
  the parity score F/M, relative gap (M−F)/M and difference F−M (as the pages and the API);
- ``indicators`` (the catalogue), ``areas`` (countries and aggregates), ``sources`` (with each
  source's licence and current release) and ``releases`` (name and SHA-256 of each release in
  use: an import's file, or the bundled files of the source).

Each resource carries a Table Schema (types, constraints, primary and foreign keys) and its
own ``licenses`` and ``sources`` (those of the sources whose rows it holds); the package's
``licenses`` are their union. This is not the backup (``equals.backup``: the whole database
for a restore): it is the published evidence only, shaped for analysis. Release information
comes from ``equals.releases`` through the caller (the two are sibling feature packages).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select

from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.core.version import __version__
from equals.evidence.queries import Evidence
from equals.indicators.bundle import default_data_dir
from equals.indicators.model import Source
from equals.store import schema

BUNDLED = "bundled"
PROJECT_LICENCE = {"name": "MIT", "title": "MIT (EQUALS Hub's own catalogue and metadata)"}
PROJECT_SOURCE = {"title": "EQUALS Hub (indicator catalogue, gap computations)"}


class DataPackageError(ValidationError):
    code = "datapackage-invalid"


class ReleaseLike(Protocol):
    """What the package needs to know of a release (``equals.releases.Release`` fits)."""

    @property
    def source(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def file_name(self) -> str: ...
    @property
    def release_date(self) -> str: ...
    @property
    def current(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class DataPackageReport:
    path: str
    rows: dict[str, int]  # resource -> rows written

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# -- Table Schemas ------------------------------------------------------------------------------
def _f(name: str, type_: str, description: str, **extra: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_, "description": description}
    field.update(extra)
    return field


def _required(**more: Any) -> dict[str, Any]:
    return {"constraints": {"required": True, **more}}


KEEP_EMPTY: dict[str, Any] = {"missingValues": []}  # "" is a value here, not missing
SEX = _f("sex", "string", "female, male or total", **_required(enum=["female", "male", "total"]))
INDICATOR = _f("indicator", "string", "Indicator id (resource indicators)", **_required())
AREA = _f("area", "string", "ISO 3166 alpha-3 code or aggregate code (resource areas)",
          **_required())  # fmt: skip
YEAR = _f("year", "integer", "Reference year", **_required())
BREAKDOWN = _f("breakdown", "string",
               "Population subgroup as dimension=value pairs; empty for the whole population",
               **KEEP_EMPTY)  # fmt: skip
SOURCE = _f("source", "string", "Source id (resource sources)", **_required())
RELEASE = _f("release", "string", "Release of the source the value comes from (resource "
             "releases): an imported release's name, or bundled", **_required())  # fmt: skip
TO_INDICATORS = {"fields": "indicator", "reference": {"resource": "indicators", "fields": "id"}}
TO_AREAS = {"fields": "area", "reference": {"resource": "areas", "fields": "code"}}
TO_SOURCES = {"fields": "source", "reference": {"resource": "sources", "fields": "id"}}

SCHEMAS: dict[str, dict[str, Any]] = {
    "observations": {
        "fields": [
            INDICATOR, AREA, YEAR, SEX, BREAKDOWN,
            _f("value", "number", "The value exactly as the source publishes it", **_required()),
            SOURCE, RELEASE,
            _f("flag", "string", "The source's own flag, if any", **KEEP_EMPTY),
            _f("note", "string", "The source's own note, if any", **KEEP_EMPTY),
        ],
        "primaryKey": ["indicator", "area", "year", "sex", "breakdown", "source"],
        "foreignKeys": [
            TO_INDICATORS, TO_AREAS, TO_SOURCES,
            {"fields": ["source", "release"],
             "reference": {"resource": "releases", "fields": ["source", "release"]}},
        ],
    },
    "survey_estimates": {
        "fields": [
            INDICATOR, AREA, YEAR, SEX, BREAKDOWN,
            _f("value", "number", "Design-based estimate", **_required()),
            _f("se", "number", "Standard error (Taylor linearisation)"),
            _f("ci_low", "number", "Lower confidence limit"),
            _f("ci_high", "number", "Upper confidence limit"),
            _f("ci_level", "number", "Confidence level of the limits, e.g. 0.95"),
            _f("n", "integer", "Unweighted respondents"),
            _f("flags", "string", "Quality flags, ';'-separated", **KEEP_EMPTY),
            SOURCE,
        ],
        "primaryKey": ["indicator", "area", "year", "sex", "breakdown", "source"],
        "foreignKeys": [TO_INDICATORS, TO_AREAS, TO_SOURCES],
    },
    "gaps": {
        "fields": [
            INDICATOR, AREA, YEAR, BREAKDOWN,
            _f("female", "number", "Women's value"),
            _f("male", "number", "Men's value"),
            _f("total", "number", "Value for both sexes"),
            _f("female_se", "number", "Standard error of the women's value (survey estimates)"),
            _f("male_se", "number", "Standard error of the men's value (survey estimates)"),
            _f("parity", "number", "Gender parity score F/M (ITU; parity band 0.98–1.02)"),
            _f("relative", "number", "Relative gap (M−F)/M (GSMA, EIU)"),
            _f("difference", "number", "Difference F−M (World Bank)"),
            _f("distance_from_parity", "number", "Women's share minus 50 (share indicators)"),
            _f("status", "string", "favours_men, parity, favours_women or not_computable",
               **_required()),
            SOURCE,
            _f("release", "string", "Release(s) the values come from; per sex when they "
               "differ", **KEEP_EMPTY),
            _f("note", "string", "The source's note, if any", **KEEP_EMPTY),
        ],
        "primaryKey": ["indicator", "source", "breakdown", "area"],
        "foreignKeys": [TO_INDICATORS, TO_AREAS, TO_SOURCES],
    },
    "indicators": {
        "fields": [
            _f("id", "string", "Indicator id", **_required()),
            _f("title", "string", "Title", **_required()),
            _f("short_title", "string", "Short title"),
            _f("pillar", "string", "EQUALS action area",
               **_required(enum=["access", "skills", "leadership"])),
            _f("kind", "string", "ratio (female and male rates) or female_share",
               **_required()),
            _f("unit", "string", "Unit of the values", **_required()),
            _f("definition", "string", "Definition"),
            _f("default_source", "string", "The source the pages use by default",
               **_required()),
            _f("sources", "string", "Every source with values, ';'-separated"),
            _f("breakdowns", "string", "Subgroup dimensions, ';'-separated", **KEEP_EMPTY),
            _f("sdg", "string", "SDG indicator code", **KEEP_EMPTY),
            _f("higher_is_better", "boolean", "Whether a higher value is better"),
            _f("notes", "string", "Choices made", **KEEP_EMPTY),
        ],
        "primaryKey": ["id"],
        "foreignKeys": [
            {"fields": "default_source", "reference": {"resource": "sources", "fields": "id"}}
        ],
    },
    "areas": {
        "fields": [
            _f("code", "string", "ISO 3166 alpha-3, or a namespaced aggregate code",
               **_required()),
            _f("name", "string", "Name", **_required()),
            _f("kind", "string", "country or aggregate",
               **_required(enum=["country", "aggregate"])),
            _f("iso2", "string", "ISO 3166 alpha-2"),
            _f("m49", "integer", "UN M49 code"),
            _f("region", "string", "Region"),
            _f("subregion", "string", "Subregion"),
            _f("income_group", "string", "World Bank income group"),
            _f("defined_by", "string", "Who defines the aggregate"),
        ],
        "primaryKey": ["code"],
    },
    "sources": {
        "fields": [
            _f("id", "string", "Source id", **_required()),
            _f("organisation", "string", "Publisher", **_required()),
            _f("title", "string", "Title", **_required()),
            _f("licence", "string", "Licence of the source's values", **_required()),
            _f("licence_url", "string", "Licence text", **KEEP_EMPTY),
            _f("retrieved_from", "string", "Where the files came from", **_required()),
            _f("coverage", "string", "Coverage", **KEEP_EMPTY),
            _f("citation", "string", "How to cite it", **_required()),
            _f("origin", "string", "bundled (shipped data) or survey (published estimates)",
               **_required()),
            _f("releases", "string", "Releases in use, ';'-separated (resource releases)",
               **KEEP_EMPTY),
        ],
        "primaryKey": ["id"],
    },
    "releases": {
        "fields": [
            _f("source", "string", "Source id", **_required()),
            _f("release", "string", "Release name: an import's label (and date), or bundled",
               **_required()),
            _f("kind", "string", "bundled or import", **_required(enum=["bundled", "import"])),
            _f("file_name", "string", "The imported file; the bundled files, ';'-separated",
               **_required()),
            _f("release_date", "string", "Publication date, when known", **KEEP_EMPTY),
            _f("sha256", "string", "SHA-256 of the imported file; of the bundled files "
               "(each file's path and bytes, in order)",
               **_required(pattern="[0-9a-f]{64}")),
        ],
        "primaryKey": ["source", "release"],
        "foreignKeys": [TO_SOURCES],
    },
}  # fmt: skip

TITLES = {
    "observations": "Observations: every value, with source and release",
    "survey_estimates": "Estimates published from survey microdata, with uncertainty",
    "gaps": "Gender gaps: each country's latest comparable year",
    "indicators": "Indicator catalogue",
    "areas": "Countries and aggregates",
    "sources": "Sources, with licences and releases in use",
    "releases": "Releases in use, with SHA-256",
}


# -- rows ---------------------------------------------------------------------------------------
def bundled_sha256(source: Source, data_dir: Path | None = None) -> str:
    """SHA-256 over the source's bundled files: each file's path (relative to the data folder)
    and bytes, in the order ``sources.yaml`` lists them."""
    data_dir = data_dir or default_data_dir()
    h = hashlib.sha256()
    for name in source.files:
        path = data_dir / name
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"")
        h.update(b"\0")
    return h.hexdigest()


def _joined(values: Iterable[Any]) -> str:
    return ";".join(str(v) for v in values)


def _observation_rows(
    ev: Evidence, release_names: Mapping[tuple[str, str, str], str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(observations of bundled/imported sources, published survey estimates)."""
    o = schema.observations
    origins = {s.id: s.origin for s in ev.sources().values()}
    q = select(o).order_by(o.c.indicator_id, o.c.area_code, o.c.year, o.c.sex, o.c.breakdown,
                           o.c.source_id)  # fmt: skip
    plain: list[dict[str, Any]] = []
    survey: list[dict[str, Any]] = []
    with ev.store.connect() as conn:
        for r in conn.execute(q).mappings():
            key = {
                "indicator": r["indicator_id"],
                "area": r["area_code"],
                "year": r["year"],
                "sex": r["sex"],
                "breakdown": r["breakdown"],
                "value": r["value"],
            }
            if origins.get(r["source_id"]) == BUNDLED:
                release = release_names.get((r["source_id"], r["indicator_id"], r["sex"]), BUNDLED)
                plain.append({**key, "source": r["source_id"], "release": release,
                              "flag": r["flag"], "note": r["note"]})  # fmt: skip
            else:
                survey.append({**key, "se": r["se"], "ci_low": r["ci_low"],
                               "ci_high": r["ci_high"], "ci_level": r["ci_level"], "n": r["n"],
                               "flags": r["flags"] or "", "source": r["source_id"]})  # fmt: skip
    return plain, survey


def _gap_rows(
    ev: Evidence, release_names: Mapping[tuple[str, str, str], str]
) -> list[dict[str, Any]]:
    o = schema.observations
    with ev.store.connect() as conn:
        series = conn.execute(
            select(o.c.indicator_id, o.c.source_id, o.c.breakdown).distinct()
        ).all()
    origins = {s.id: s.origin for s in ev.sources().values()}
    rows: list[dict[str, Any]] = []
    for ind_id, source, breakdown in sorted(series):
        for r in ev.gaps(ind_id, source=source, breakdown=breakdown):
            releases = {
                sex: release_names.get((source, ind_id, sex), BUNDLED)
                for sex in ("female", "male", "total")
                if getattr(r, sex) is not None
            }
            distinct = set(releases.values())
            if origins.get(source) != BUNDLED:
                release = ""
            elif len(distinct) <= 1:
                release = next(iter(distinct), BUNDLED)
            else:
                release = "; ".join(f"{k}: {v}" for k, v in releases.items())
            g = r.gap
            rows.append({
                "indicator": ind_id, "area": r.area, "year": r.year, "breakdown": r.breakdown,
                "female": r.female, "male": r.male, "total": r.total,
                "female_se": r.female_se, "male_se": r.male_se, "parity": g.parity,
                "relative": g.relative, "difference": g.difference,
                "distance_from_parity": g.distance_from_parity, "status": g.status.value,
                "source": source, "release": release, "note": r.note,
            })  # fmt: skip
    return rows


def _indicator_rows(ev: Evidence) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id, "title": i.title, "short_title": i.label, "pillar": i.pillar.value,
            "kind": i.kind.value, "unit": i.unit, "definition": i.definition,
            "default_source": i.default_source, "sources": _joined(i.sources),
            "breakdowns": _joined(i.breakdowns), "sdg": i.sdg or "",
            "higher_is_better": i.higher_is_better, "notes": i.notes or "",
        }
        for i in ev.catalogue
    ]  # fmt: skip


def _area_rows(ev: Evidence) -> list[dict[str, Any]]:
    return [
        {
            "code": a.code, "name": a.name, "kind": a.kind.value, "iso2": a.iso2, "m49": a.m49,
            "region": a.region, "subregion": a.subregion, "income_group": a.income_group,
            "defined_by": a.defined_by,
        }
        for a in sorted(ev.areas().values(), key=lambda a: a.code)
    ]  # fmt: skip


def _release_rows(
    sources: Mapping[str, Source],
    used: set[tuple[str, str]],
    releases: Sequence[ReleaseLike],
    data_dir: Path | None,
) -> list[dict[str, Any]]:
    """One row per (source, release) that values in the package come from."""
    imported = {(r.source, r.name): r for r in releases if r.kind == "import"}
    rows = []
    for source, name in sorted(used):
        if name == BUNDLED:
            s = sources[source]
            rows.append({"source": source, "release": BUNDLED, "kind": BUNDLED,
                         "file_name": _joined(s.files), "release_date": "",
                         "sha256": bundled_sha256(s, data_dir)})  # fmt: skip
            continue
        r = imported.get((source, name))
        if r is None:
            raise DataPackageError(
                Msg(
                    "values of %(source)s come from release %(release)s, which is not in the "
                    "list of releases given",
                    source=source,
                    release=repr(name),
                ),
                location="releases",
            )
        rows.append({"source": source, "release": name, "kind": r.kind,
                     "file_name": r.file_name, "release_date": r.release_date,
                     "sha256": r.sha256})  # fmt: skip
    return rows


def _source_rows(sources: Mapping[str, Source], used: set[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id, "organisation": s.organisation, "title": s.title, "licence": s.licence,
            "licence_url": s.licence_url, "retrieved_from": s.retrieved_from,
            "coverage": s.coverage, "citation": s.cite(), "origin": s.origin,
            "releases": _joined(sorted(name for src, name in used if src == s.id)),
        }
        for s in sorted(sources.values(), key=lambda s: s.id)
    ]  # fmt: skip


# -- licences and sources of resources ----------------------------------------------------------
def licence_name(text: str) -> str:
    """A licence as a package ``name``: ``CC BY 4.0`` -> ``cc-by-4.0``."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-") or "unknown"


def _licences(sources: Iterable[Source]) -> list[dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for s in sources:
        lic = {"name": licence_name(s.licence), "title": s.licence}
        if s.licence_url:
            lic["path"] = s.licence_url
        out.setdefault(lic["name"], lic)
    return [out[k] for k in sorted(out)]


def _provenance(sources: Iterable[Source]) -> list[dict[str, str]]:
    return [
        {"title": f"{s.organisation}: {s.title}", "id": s.id}
        for s in sorted(sources, key=lambda s: s.id)
    ]


def _area_sources(ev: Evidence, with_values: set[str]) -> list[Source]:
    """Where the areas come from: reference sources without values (country names and codes)
    and sources that ship entity files (regions, income groups)."""
    return [
        s
        for s in ev.sources().values()
        if s.origin == BUNDLED
        and (s.id not in with_values or any("entities" in f for f in s.files))
    ]


# -- writing ------------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in columns])
            n += 1
    return n


def validate_datapackage(descriptor: str | Path) -> list[str]:
    """Problems found by the ``frictionless`` library (schemas, types, constraints, primary and
    foreign keys), one line each; empty when the package is valid. ``descriptor`` is a
    ``datapackage.json`` or a zip holding one."""
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(descriptor)).validate()
    problems = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    return problems + [e.message for e in report.errors]


def write_datapackage(
    ev: Evidence,
    target: str | Path,
    *,
    release_names: Mapping[tuple[str, str, str], str],
    releases: Sequence[ReleaseLike],
    overwrite: bool = False,
    validate: bool = True,
    data_dir: Path | None = None,
) -> DataPackageReport:
    """Write the evidence package to ``target``: a directory (absent or empty), or a file
    ending in ``.zip``. ``release_names`` maps (source, indicator, sex) to the imported release
    its rows come from (``equals.releases.current_release_names``); ``releases`` are the
    releases (``equals.releases.list_releases``). Validated with ``frictionless`` before it is
    kept (unless ``validate=False``); a failure leaves nothing behind."""
    target = Path(target)
    as_zip = target.suffix.lower() == ".zip"
    if (
        target.exists()
        and not overwrite
        and (as_zip or not target.is_dir() or any(target.iterdir()))
    ):
        raise DataPackageError(
            Msg("the target exists; choose another or pass --force"), location=str(target)
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".equals-datapackage-", dir=target.parent))
    try:
        rows = _build(ev, work, release_names, releases, data_dir)
        if validate:
            problems = validate_datapackage(work / "datapackage.json")
            if problems:
                raise DataPackageError(
                    Msg(
                        "the package failed validation: %(problems)s",
                        problems="; ".join(problems[:5]),
                    ),
                    location=str(target),
                )
        if as_zip:
            partial = work.with_suffix(".zip")
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(work.rglob("*")):
                    if path.is_file():
                        zf.write(path, path.relative_to(work).as_posix())
            partial.replace(target)
            shutil.rmtree(work)
        else:
            if target.exists():
                shutil.rmtree(target)
            work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        work.with_suffix(".zip").unlink(missing_ok=True)
        raise
    return DataPackageReport(str(target), rows)


def _build(
    ev: Evidence,
    work: Path,
    release_names: Mapping[tuple[str, str, str], str],
    releases: Sequence[ReleaseLike],
    data_dir: Path | None,
) -> dict[str, int]:
    sources = ev.sources()
    observations, survey = _observation_rows(ev, release_names)
    gaps = _gap_rows(ev, release_names)
    used = {(r["source"], r["release"]) for r in observations}
    with_values = {r["source"] for r in observations} | {r["source"] for r in survey}
    tables: dict[str, tuple[list[dict[str, Any]], list[Source]]] = {
        "observations": (observations, [sources[s] for s in {r["source"] for r in observations}]),
        "survey_estimates": (survey, [sources[s] for s in {r["source"] for r in survey}]),
        "gaps": (gaps, [sources[s] for s in {r["source"] for r in gaps}]),
        "indicators": (_indicator_rows(ev), []),
        "areas": (_area_rows(ev), _area_sources(ev, with_values)),
        "sources": (_source_rows(sources, used), []),
        "releases": (_release_rows(sources, used, releases, data_dir), []),
    }
    (work / "data").mkdir()
    counts: dict[str, int] = {}
    resources: list[dict[str, Any]] = []
    all_licences: list[Source] = []
    for name, (table_rows, from_sources) in tables.items():
        schema_ = SCHEMAS[name]
        columns = [f["name"] for f in schema_["fields"]]
        counts[name] = _write_csv(work / "data" / f"{name}.csv", columns, table_rows)
        licences = _licences(from_sources)
        provenance = _provenance(from_sources)
        if name in ("indicators", "areas", "sources", "releases", "gaps"):
            licences.append(dict(PROJECT_LICENCE))
            provenance.append(dict(PROJECT_SOURCE))
        all_licences.extend(from_sources)
        resources.append({
            "name": name, "title": TITLES[name], "path": f"data/{name}.csv",
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "licenses": licences, "sources": provenance,
            "schema": {**schema_, "missingValues": [""]},
        })  # fmt: skip
    descriptor = {
        "profile": "tabular-data-package",
        "name": "equals-hub-evidence",
        "title": "EQUALS Hub evidence: sex-disaggregated indicators of the gender digital divide",
        "description": (
            "Every value EQUALS Hub publishes, with its source, licence and release; gender "
            "gaps; the indicator catalogue; countries and aggregates. Each resource lists the "
            "licences of the sources whose values it holds: check them before reuse."
        ),
        "version": __version__,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "licenses": [*_licences(all_licences), dict(PROJECT_LICENCE)],
        "sources": _provenance(sources.values()),
        "resources": resources,
    }
    (work / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return counts
