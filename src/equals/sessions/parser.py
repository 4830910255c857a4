"""``parse_report``: a session report (text, Markdown or DOCX) → :class:`ParsedReport`.

Steps: read the source into lines (:mod:`reader`), cut them into labelled blocks
(:mod:`segment`), choose the template (a recognised heading, else the one whose labels the
report uses most), then type each block by its field's kind. Nothing is dropped: text the
parser cannot place is kept in ``unplaced``/``extra`` and reported in ``warnings``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from equals.core.i18n import N_
from equals.sessions import people as pp
from equals.sessions.dates import parse_date, parse_time_range
from equals.sessions.detect import detect
from equals.sessions.entities import Organization
from equals.sessions.igf import IgfSession, find_igf_id
from equals.sessions.labels import all_labels
from equals.sessions.layout_warnings import layout_warnings
from equals.sessions.model import ExtraField, ExtraValue, ParsedReport, ParseWarning
from equals.sessions.numbers import first_count
from equals.sessions.participation import Participation, participation
from equals.sessions.reader import ReportFormat, ReportInput, read_bytes, read_path, read_text
from equals.sessions.segment import Segments, segment
from equals.sessions.template import (
    FieldKind,
    ReportTemplate,
    TemplateField,
    templates,
)
from equals.sessions.text import (
    assemble_paragraphs,
    clean,
    normalize_label,
    slug,
    strip_bullet,
)


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


def _text(values: list[tuple[str, bool]]) -> str:
    return clean(" ".join(t for t, _ in values))


def _extra_value(kind: FieldKind, values: list[tuple[str, bool]], wrapped: bool) -> ExtraValue:
    if kind is FieldKind.COUNT:
        count = first_count(_text(values))
        return count.value if count else None
    if kind is FieldKind.LINES:
        return tuple(t for v, _ in values if (t := _SYMBOL_BULLET.sub("", v).strip()))
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


Chunk = tuple[str, list[tuple[str, bool]]]  # (label as written, value lines)
_SYMBOL_BULLET = re.compile(r"^\s*[-*•●▪◦+]\s+")
_YEAR = re.compile(r"\b(20[0-4]\d)\b")


def _flat(chunks: list[Chunk]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for i, (_, vals) in enumerate(chunks):
        if i:
            out.append(("", False))
        out.extend(vals)
    return out


def _role_label(label: str) -> str:
    """``"Speaker 3"`` → ``"Speaker"``; ``"2. Online Moderator:"`` → ``"Online Moderator"``."""
    text, _ = strip_bullet(clean(label))
    return re.sub(r"\s+#?\d{1,3}$", "", text).strip(" :")


def _report_year(seg: Segments, igf: IgfSession | None) -> int | None:
    if igf is not None:
        return igf.year
    index = all_labels()
    for b in seg.blocks:
        is_date = any(m.field_id == "date" for m in index.match(b.label))
        if is_date and (year := _YEAR.search(_text(b.values()))):
            return int(year.group(1))
    return None


def parse_source(src: ReportInput, *, template: str | None = None) -> ParsedReport:
    index = all_labels()
    tmpls = templates()
    seg = segment(src.lines, index, tuple(tmpls.values()))
    opening = [seg.heading] if seg.heading else []
    opening += [ln.text for ln in seg.preamble if ln.text][:6]
    igf_found = find_igf_id(opening)
    igf = igf_found[0] if igf_found else None
    heading_key = normalize_label(seg.heading or (igf.text if igf else ""))
    layout = detect(
        [b.label for b in seg.blocks],
        heading_key,
        tmpls,
        index,
        year=_report_year(seg, igf),
        forced=template,
    )
    tmpl = tmpls[layout.template]
    wrapped = src.format is not ReportFormat.MARKDOWN
    warnings = [ParseWarning.from_message(code, message) for code, message in src.notes]
    values: dict[str, list[Chunk]] = {}
    seen: dict[str, set[str]] = {}
    labels: list[tuple[str, str]] = []
    extra: list[ExtraField] = []

    for block in seg.blocks:
        matches = index.match(block.label)
        field_id = next((m.field_id for m in matches if m.template_id == tmpl.id), None)
        if field_id is None:  # another version's label for a field this template also has
            same = [m.field_id for m in matches if tmpl.field(m.field_id)]
            field_id = same[0] if same else None
        label = clean(block.label)
        if field_id is None:
            fid = matches[0].field_id if matches else slug(label)
            kind = FieldKind.PARAGRAPHS
            if matches:
                f = tmpls[matches[0].template_id].field(fid)
                kind = f.kind if f else kind
            text = _text(block.values())
            extra.append(
                ExtraField(
                    fid, label, kind.value, _extra_value(kind, block.values(), wrapped), text
                )
            )
            code = "field-not-in-template" if matches else "unknown-label"
            warnings.append(
                ParseWarning.of(
                    code,
                    N_("label %(label)r is not a field of %(template)s"),
                    fid,
                    text,
                    label=label,
                    template=tmpl.id,
                )
            )
            continue
        key = normalize_label(block.label)
        numbered = any(m.numbered for m in matches)
        exact = all(m.exact for m in matches)
        f = tmpl.field(field_id)
        listing = f is not None and f.kind in (FieldKind.PEOPLE, FieldKind.SPEAKERS)
        if field_id in values:
            if not numbered and (key in seen[field_id] or not listing or not exact):
                warnings.append(
                    ParseWarning.of(
                        "duplicate-field",
                        N_("%(label)r appears again; values merged"),
                        field_id,
                        _text(block.values()),
                        label=label,
                    )
                )
        else:
            labels.append((field_id, label))
        seen.setdefault(field_id, set()).add(key)
        values.setdefault(field_id, []).append((_role_label(block.label), block.values()))

    title_text, preamble_values, unplaced = _preamble(seg, tmpl, igf_found, layout.known)
    for fid, text in preamble_values:
        if fid not in values:
            values[fid] = [("", [(text, True)])]
            labels.append((fid, ""))
    for text in unplaced:
        warnings.append(
            ParseWarning.of("unplaced-text", N_("text before the first field label"), None, text)
        )
    warnings.extend(layout_warnings(layout, tmpls, [b.label for b in seg.blocks]))
    report = _typed(tmpl, values, wrapped, warnings, extra)
    if title_text and not report.get("title"):
        report["title"] = title_text
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
        layout=layout,
        igf=igf,
        participation=_participation(extra),
        **report,  # type: ignore[arg-type]
    )


def _preamble(
    seg: Segments,
    tmpl: ReportTemplate,
    igf_found: tuple[IgfSession, str] | None,
    known: bool,
) -> tuple[str | None, list[tuple[str, str]], list[str]]:
    """Title, preamble fields (e.g. 2019's theme line) and unplaced text before any label."""
    title: str | None = None
    need_title_next = False
    fills: list[tuple[str, str]] = []
    slots = list(tmpl.preamble) if known and igf_found else []
    unplaced: list[str] = []
    igf_line = igf_found[0].text if igf_found else None
    if seg.heading and igf_found and igf_line == " ".join(seg.heading.split()):
        title, need_title_next = igf_found[1] or None, not igf_found[1]
    for ln in seg.preamble:
        text = ln.text
        if not text:
            continue
        if tmpl.is_ignored(normalize_label(text)):
            continue
        if igf_line is not None and " ".join(text.split()) == igf_line:
            rest = igf_found[1] if igf_found else ""
            title, need_title_next = rest or title, not rest
            continue
        if need_title_next:
            title, need_title_next = text, False
            continue
        if ln.heading == 1 and title is None:
            title = text
            continue
        if (title is not None or igf_found) and slots:
            fills.append((slots.pop(0), text))
            continue
        unplaced.append(text)
    return title, fills, unplaced


_PARTICIPATION_FIELDS = (
    "participants",
    "participants_onsite",
    "participants_online",
    "women",
    "participation",
    "gender_issues",
    "gender_extent",
)


def _participation(extra: list[ExtraField]) -> Participation | None:
    texts = {e.id: e.text for e in extra if e.id in _PARTICIPATION_FIELDS and e.text}
    return participation(texts)


def _typed(
    tmpl: ReportTemplate,
    values: dict[str, list[Chunk]],
    wrapped: bool,
    warnings: list[ParseWarning],
    extra: list[ExtraField],
) -> dict[str, object]:
    out: dict[str, object] = {}
    for field_id, chunks in values.items():
        f = tmpl.field(field_id)
        assert f is not None
        vals = _flat(chunks)
        if f.kind in (FieldKind.PEOPLE, FieldKind.SPEAKERS) and f.is_standard:
            _people(f, chunks, warnings, out)
            continue
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


def _people(
    f: TemplateField, chunks: list[Chunk], warnings: list[ParseWarning], out: dict[str, object]
) -> None:
    found = pp.parse_people_chunks(chunks)
    if f.id == "organizers":  # "Organizer 1: Name, Organisation" lines
        out["organizers_text"] = _text(_flat(chunks))
        out["organizer_people"] = found
        orgs: dict[str, Organization] = {}
        for p in found:
            if p.organization is not None:
                orgs.setdefault(p.organization.id or p.organization.name.casefold(), p.organization)
        out["organizers"] = tuple(orgs.values())
        return
    out[f.id] = found
    for p in found:
        if not p.name:
            warnings.append(
                ParseWarning.of(
                    "unparsed-speaker",
                    N_("no person's name found in %(value)r"),
                    f.id,
                    p.raw,
                    value=p.raw,
                )
            )


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
                ParseWarning.of(
                    "unparsed-date", N_("cannot read a date in %(value)r"), f.id, text, value=text
                )
            )
    elif f.id == "time":
        out["time_text"] = text
        start, end = parse_time_range(text)
        out["start_time"], out["end_time"] = start, end
        if text and start is None:
            warnings.append(
                ParseWarning.of(
                    "unparsed-time", N_("cannot read a time in %(value)r"), f.id, text, value=text
                )
            )
    elif f.id == "organizers":
        out["organizers_text"] = text
        out["organizers"] = pp.parse_organizations(vals)
    else:
        out[f.id] = tuple(assemble_paragraphs(vals, wrapped=wrapped))
