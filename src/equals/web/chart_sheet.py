"""The metadata sheet of a chart's data download, as OWID grapher's: what the chart shows,
the indicator's definition and unit, every source with the years used and its licence, the
citation with the chart's URL and the access date, the exact query, and what each column
means — as ``metadata.json`` and ``README.txt`` beside the CSV in the zip (:func:`data_zip`).
The download responses of every chart (:func:`csv_download`, :func:`zip_download`; the
analysis zips too) are built here. Routes: :mod:`equals.web.chart_data`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi.responses import Response

from equals.archive.participation import GroupBy
from equals.evidence.queries import Evidence
from equals.indicators.catalogue import Indicator


# -- metadata ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SourceNote:
    """A source as the metadata sheet cites it: with the years of the data used."""

    id: str
    organisation: str
    title: str
    licence: str
    licence_url: str = ""
    citation: str = ""
    years: tuple[int, ...] = ()

    def year_text(self) -> str:
        if not self.years:
            return ""
        lo, hi = min(self.years), max(self.years)
        return str(lo) if lo == hi else f"{lo}-{hi}"

    def cite(self) -> str:
        text = self.citation or f"{self.organisation}, {self.title}"
        year = self.year_text()
        return f"{text}{f' ({year})' if year else ''}. Licence: {self.licence}."

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "organisation": self.organisation,
            "title": self.title,
            "years": self.year_text(),
            "licence": self.licence,
            "licence_url": self.licence_url,
            "citation": self.cite(),
        }


@dataclass(frozen=True, slots=True)
class ChartMetadata:
    """The metadata sheet of a chart's data download."""

    title: str
    description: str
    page_url: str  # absolute: the chart's stable link
    query_url: str  # absolute: the exact query whose CSV is in the zip
    accessed: str  # ISO date
    sources: tuple[SourceNote, ...]
    indicator: Indicator | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def citation(self) -> str:
        data = "; ".join(s.cite() for s in self.sources)
        return f"EQUALS Hub. {self.title}. {self.page_url} (accessed {self.accessed})." + (
            f" Data: {data}" if data else ""
        )

    def to_record(self, columns: tuple[str, ...] = ()) -> dict[str, Any]:
        ind = self.indicator
        return {
            "title": self.title,
            "description": self.description,
            "indicator": None
            if ind is None
            else {
                "id": ind.id,
                "title": ind.title,
                "definition": ind.definition,
                "unit": ind.unit,
                "notes": ind.notes,
            },
            "sources": [s.to_record() for s in self.sources],
            "columns": [{"column": c, "description": column_help(c)} for c in columns],
            "citation": self.citation(),
            "url": self.page_url,
            "query": self.query_url,
            "accessed": self.accessed,
            "notes": list(self.notes),
        }

    def readme(self, csv_name: str, columns: tuple[str, ...] = ()) -> str:
        lines = [self.title, "=" * len(self.title), "", self.description, ""]
        ind = self.indicator
        if ind is not None:
            lines += [
                f"Indicator: {ind.title} ({ind.id})",
                f"Definition: {ind.definition}",
                f"Unit: {ind.unit}",
            ]
            lines += [f"Notes: {ind.notes}"] if ind.notes else []
            lines.append("")
        lines.append("Sources:")
        for s in self.sources:
            years = s.year_text()
            lines.append(
                f"- {s.organisation}, {s.title} ({s.id}); years: {years or 'n/a'}; "
                f"licence: {s.licence}{f' <{s.licence_url}>' if s.licence_url else ''}"
            )
        lines += ["", *self.notes] if self.notes else []
        if columns:
            lines += ["", f"Columns of {csv_name}:"]
            lines += [f"- {c}: {column_help(c) or '(see the chart page)'}" for c in columns]
        lines += [
            "",
            "Cite as:",
            self.citation(),
            "",
            f"Chart: {self.page_url}",
            f"Query: {self.query_url}",
            f"Accessed: {self.accessed}",
            "",
            f"Files: {csv_name} (the data, as the CSV link gives it), metadata.json (this sheet "
            "as JSON), README.txt (this file).",
        ]
        return "\n".join(lines) + "\n"


#: What each column of the charts' CSVs means (metadata.json "columns", README.txt).
COLUMN_HELP: dict[str, str] = {
    "indicator": "Catalogue indicator id",
    "country": "ISO 3166-1 alpha-3 code",
    "country_name": "Country or territory name",
    "year": "Year of the data (the latest year with data when no year was chosen)",
    "sex": "female, male or total",
    "breakdown": "Breakdown of the population (empty: none; e.g. location=urban)",
    "value": "The value as the source publishes it, in the indicator's unit",
    "female": "Women's value, in the indicator's unit (for a female-share indicator: women's "
    "share)",
    "male": "Men's value, in the indicator's unit",
    "total": "Value for women and men together",
    "parity": "ITU gender parity score: women's value / men's value",
    "relative": "Relative gap (men - women) / men (GSMA, EIU)",
    "difference": "Difference women - men (World Bank)",
    "distance_from_parity": "Women's share - 50 (female-share indicators only)",
    "status": "Against the ITU parity band 0.98-1.02: favours_men, parity, favours_women or "
    "not_computable",
    "region": "UN region",
    "subregion": "UN subregion",
    "income_group": "World Bank income group",
    "source": "Source id (see the sources in this sheet)",
    "licence": "Licence of the value",
    "flag": "Quality flag of the estimate, if any",
    "note": "Note from the source",
    "rank": "Rank, most under-served first",
    "pillar": "Action area",
    "gap": "1 - parity (F/M) of the action area's headline indicator; above 0: women behind",
    "initiatives": "Active initiatives in this country and action area",
    "score": "Under-served score: max(gap, 0) / (1 + initiatives)",
    "series": "published (the country's series), baseline, actual (reported) or target",
    "date": "Date of the progress report (reported actuals)",
    "reports": "Filed session reports behind the row",
    "participants": "Sum of participants over the reports stating both participants and women",
    "women": "Sum of women present over the same reports",
    "women_share": "Women / participants, pooled over the reports stating both",
    "women_share_mean": "Mean of the per-report shares of women",
    "women_speakers_share": "Share of women among speakers, where reports state it",
    "women_moderators_share": "Share of women among moderators, where reports state it",
    "gender_discussed": "Share of reports whose gender reflection says gender was discussed",
}


def column_help(column: str) -> str:
    """What a CSV column means ("" when unknown)."""
    if column in COLUMN_HELP:
        return COLUMN_HELP[column]
    if column.endswith("_reports") and column.removesuffix("_reports") in COLUMN_HELP:
        return f"Reports behind {column.removesuffix('_reports')}"
    if column.startswith("missing_"):
        return f"Reports that do not state {column.removeprefix('missing_').replace('_', ' ')}"
    if column in {g.value for g in GroupBy}:
        return f"Group: {column.replace('_', ' ')}"
    return ""


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def source_notes(ev: Evidence, csv_text: str) -> tuple[SourceNote, ...]:
    """The sources named in a CSV's ``source`` column, with the years of their rows."""
    years: dict[str, set[int]] = {}
    for row in csv.DictReader(io.StringIO(csv_text)):
        sid = row.get("source") or ""
        if not sid:
            continue
        got = years.setdefault(sid, set())
        if (row.get("year") or "").isdigit():
            got.add(int(row["year"]))
    known = ev.sources()
    notes = []
    for sid in sorted(years):
        s = known.get(sid)
        if s is None:
            notes.append(SourceNote(sid, sid, sid, "see the data", years=tuple(sorted(years[sid]))))
            continue
        notes.append(
            SourceNote(
                s.id,
                s.organisation,
                s.title,
                s.licence,
                s.licence_url,
                s.citation,
                tuple(sorted(years[sid])),
            )
        )
    return tuple(notes)


def zip_download(name: str, files: Mapping[str, str]) -> Response:
    """A zip of text files as an attachment ``{name}.zip`` (every chart's data download)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for file_name, text in files.items():
            z.writestr(file_name, text)
    return Response(
        buf.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'},
    )


def data_zip(name: str, csv_text: str, meta: ChartMetadata) -> Response:
    """The zip download: ``{name}.csv``, ``metadata.json`` and ``README.txt``."""
    columns = tuple(next(csv.reader(io.StringIO(csv_text)), []))
    files = {
        f"{name}.csv": csv_text,
        "metadata.json": json.dumps(meta.to_record(columns), indent=2, ensure_ascii=False),
        "README.txt": meta.readme(f"{name}.csv", columns),
    }
    return zip_download(name, files)


def csv_download(name: str, text: str) -> Response:
    """CSV text as an attachment ``{name}.csv``."""
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
