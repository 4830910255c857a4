"""One line per report for people checking a batch: detected layout, confidence, IGF id,
fields found and warnings (``equals sessions detect``; usable by any importer)."""

from __future__ import annotations

from typing import Any

from equals.sessions.model import ParsedReport


def report_summary(report: ParsedReport) -> dict[str, Any]:
    layout = report.layout
    return {
        "file": report.source,
        "format": report.format,
        "layout": report.template if layout is None or layout.known else "unknown",
        "template": report.template,  # the template the fields were read with
        "confidence": round(layout.confidence, 2) if layout else None,
        "known": layout.known if layout else True,
        "forced": layout.forced if layout else False,
        "igf": report.igf.code if report.igf else None,
        "title": report.title,
        "fields": list(report.present),
        "warnings": [w.code for w in report.warnings],
        "messages": [w.message for w in report.warnings if w.code.endswith("layout")],
    }
