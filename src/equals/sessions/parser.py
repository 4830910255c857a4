"""``parse_report``: a session report (text, Markdown or DOCX) → :class:`ParsedReport`.

Steps: read the source into lines (:mod:`reader`), cut them into labelled blocks
(:mod:`segment`), choose the template (a recognised heading, else the one whose labels the
report uses most), then type each block by its field's kind. Nothing is dropped: text the
parser cannot place is kept in ``unplaced``/``extra`` and reported in ``warnings``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from equals.sessions import people as pp
from equals.sessions.dates import parse_date, parse_time_range
from equals.sessions.labels import all_labels
from equals.sessions.model import ExtraField, ExtraValue, ParsedReport, ParseWarning
from equals.sessions.reader import ReportFormat, Source, read_bytes, read_path, read_text
from equals.sessions.segment import Segments, segment
from equals.sessions.template import (
    DEFAULT_TEMPLATE,
    FieldKind,
    ReportTemplate,
    TemplateField,
    templates,
)
from equals.sessions.text import assemble_paragraphs, clean, normalize_label, slug


def parse_report(
    source: str | Path | bytes,
    *,
    format: ReportFormat | str | None = None,
    template: str | None = None,
) -> ParsedReport:
    """Parse a report given as a path, the report's text, or a file's bytes.

    A ``str`` is taken as a path when it is one line naming an existing file, else as the
    report's text. Raises :class:`~equals.sessions.reader.UnreadableReportError` (code
    ``unreadable-report``) for a missing, binary or corrupt file; never for odd content.
    """
    fmt = ReportFormat(format) if format else None
    if isinstance(source, bytes):
        src = read_bytes(source, fmt)
    elif isinstance(source, Path):
        src = read_path(source, fmt)
    elif "\n" not in source and len(source) < 1024 and _is_file(source):
        src = read_path(Path(source), fmt)
    else:
        src = read_text(source, fmt)
    return parse_source(src, template=template)


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _choose_template(seg: Segments, forced: str | None) -> ReportTemplate:
    tmpls = templates()
    if forced:
        return tmpls[forced]
    key = normalize_label(seg.heading)
    for t in tmpls.values():
        if key and t.matches_heading(key):
            return t
    index = all_labels()
    score: Counter[str] = Counter()
    for tid, _ in {(m.template_id, m.field_id) for b in seg.blocks for m in index.match(b.label)}:
        score[tid] += 1
    best = max(score.values(), default=0)
    winners = [tid for tid in tmpls if score[tid] == best]
    return tmpls[DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in winners else winners[0]]


def _text(values: list[tuple[str, bool]]) -> str:
    return clean(" ".join(t for t, _ in values))


def _extra_value(kind: FieldKind, values: list[tuple[str, bool]], wrapped: bool) -> ExtraValue:
    if kind is FieldKind.COUNT:
        m = re.search(r"\d[\d,  ]*", _text(values))
        return int(re.sub(r"\D", "", m.group())) if m else None
    if kind in (FieldKind.PARAGRAPHS, FieldKind.SENTENCES):
        return tuple(assemble_paragraphs(values, wrapped=wrapped))
    if kind in (FieldKind.PEOPLE, FieldKind.SPEAKERS):
        return tuple(p.name or p.raw for p in pp.parse_people(values))
    if kind is FieldKind.ORGANIZATIONS:
        return tuple(o.name for o in pp.parse_organizations(values))
    if kind is FieldKind.DATE:
        d = parse_date(_text(values))
        return d.isoformat() if d else None
    return _text(values) or None


def parse_source(src: Source, *, template: str | None = None) -> ParsedReport:
    index = all_labels()
    tmpls = tuple(templates().values())
    seg = segment(src.lines, index, tmpls)
    tmpl = _choose_template(seg, template)
    wrapped = src.format is not ReportFormat.MARKDOWN
    warnings: list[ParseWarning] = []
    values: dict[str, list[tuple[str, bool]]] = {}
    labels: list[tuple[str, str]] = []
    extra: list[ExtraField] = []

    for block in seg.blocks:
        field_id = index.field_in(block.label, tmpl.id)
        if field_id is None:  # another version's label for a field this template also has
            same = [m.field_id for m in index.match(block.label) if tmpl.field(m.field_id)]
            field_id = same[0] if same else None
        label = clean(block.label)
        if field_id is None:
            other = index.match(block.label)
            fid = other[0].field_id if other else slug(label)
            kind = FieldKind.PARAGRAPHS
            if other:
                f = templates()[other[0].template_id].field(fid)
                kind = f.kind if f else kind
            text = _text(block.values())
            extra.append(
                ExtraField(
                    fid, label, kind.value, _extra_value(kind, block.values(), wrapped), text
                )
            )
            code = "field-not-in-template" if other else "unknown-label"
            warnings.append(
                ParseWarning(code, f"label {label!r} is not a field of {tmpl.id}", fid, text)
            )
            continue
        if field_id in values:
            warnings.append(
                ParseWarning(
                    "duplicate-field",
                    f"{label!r} appears again; values merged",
                    field_id,
                    _text(block.values()),
                )
            )
            values[field_id].append(("", False))
        else:
            labels.append((field_id, label))
        values.setdefault(field_id, []).extend(block.values())

    unplaced: list[str] = []
    title_from_heading: str | None = None
    for ln in seg.preamble:
        if not ln.text:
            continue
        if ln.heading == 1 and title_from_heading is None and "title" not in values:
            title_from_heading = ln.text
            continue
        unplaced.append(ln.text)
        warnings.append(
            ParseWarning("unplaced-text", "text before the first field label", None, ln.text)
        )

    report = _typed(tmpl, values, wrapped, warnings, extra)
    if title_from_heading is not None:
        report["title"] = title_from_heading
    return ParsedReport(
        template=tmpl.id,
        extra=tuple(extra),
        heading=clean(seg.heading),
        present=tuple(values),
        labels=tuple(labels),
        unplaced=tuple(unplaced),
        warnings=tuple(warnings),
        source=src.name,
        format=src.format.value,
        **report,  # type: ignore[arg-type]
    )


def _typed(
    tmpl: ReportTemplate,
    values: dict[str, list[tuple[str, bool]]],
    wrapped: bool,
    warnings: list[ParseWarning],
    extra: list[ExtraField],
) -> dict[str, object]:
    out: dict[str, object] = {}
    for field_id, vals in values.items():
        f = tmpl.field(field_id)
        assert f is not None
        if not f.is_standard:
            if not _text(vals):
                continue  # present but empty: recorded in ``present`` only
            extra.append(
                ExtraField(
                    f.id, f.label, f.kind.value, _extra_value(f.kind, vals, wrapped), _text(vals)
                )
            )
            continue
        _standard(f, vals, wrapped, warnings, out)
    # A time given with the date ("9 December 2016, 10:15-11:15").
    if out.get("start_time") is None and out.get("date_text"):
        start, end = parse_time_range(str(out["date_text"]))
        if start:
            out["start_time"], out["end_time"] = start, end
    return out


def _standard(
    f: TemplateField,
    vals: list[tuple[str, bool]],
    wrapped: bool,
    warnings: list[ParseWarning],
    out: dict[str, object],
) -> None:
    text = _text(vals)
    if f.id == "title":
        out["title"] = text or None
    elif f.id == "date":
        out["date_text"] = text
        day: dt.date | None = parse_date(text)
        out["date"] = day.isoformat() if day else None
        if text and day is None:
            warnings.append(
                ParseWarning("unparsed-date", f"cannot read a date in {text!r}", f.id, text)
            )
    elif f.id == "time":
        out["time_text"] = text
        start, end = parse_time_range(text)
        out["start_time"], out["end_time"] = start, end
        if text and start is None:
            warnings.append(
                ParseWarning("unparsed-time", f"cannot read a time in {text!r}", f.id, text)
            )
    elif f.id == "organizers":
        out["organizers_text"] = text
        out["organizers"] = pp.parse_organizations(vals)
    elif f.kind in (FieldKind.PEOPLE, FieldKind.SPEAKERS):
        found = pp.parse_people(vals)
        out[f.id] = found
        for p in found:
            if not p.name:
                warnings.append(
                    ParseWarning(
                        "unparsed-speaker", f"no person's name found in {p.raw!r}", f.id, p.raw
                    )
                )
    else:
        out[f.id] = tuple(assemble_paragraphs(vals, wrapped=wrapped))
