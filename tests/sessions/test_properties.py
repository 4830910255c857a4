"""Property tests: parsing never raises on arbitrary input, and never drops text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from equals.sessions import (
    UnreadableReportError,
    parse_report,
    to_docx,
    to_record,
    validate_report,
)

LABELS = [
    "Session Title",
    "Date",
    "Time",
    "Session Organiser",
    "Chair/Moderator",
    "Rapporteur/Note Taker",
    "List of Speakers and their institutional affiliations",
    "Key Issues raised (1 sentence per issue)",
    "Please describe the Discussions that took place during the workshop session",
    "Key takeaways",
    "Theme",
]
WORDS = st.from_regex(r"[A-Za-zÀ-ÿ]{1,9}", fullmatch=True)
VALUE = st.lists(
    st.one_of(WORDS, st.sampled_from([",", "-", "–", ".", "(", ")", ":", "&", "12", "2016"])),
    min_size=0,
    max_size=12,
).map(" ".join)
SEP = st.sampled_from([": ", "\t", ":\n", "\n", " "])
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text())
def test_parsing_never_raises_on_text(text: str) -> None:
    if not text.strip():  # an empty report is the one clean error (issue 10)
        with pytest.raises(UnreadableReportError, match="empty"):
            parse_report(text)
        return
    report = parse_report(text)
    json.dumps(to_record(report))
    validate_report(report)


@FAST
@given(st.text(), st.sampled_from(["text", "markdown"]))
def test_parsing_never_raises_in_either_format(text: str, fmt: str) -> None:
    try:
        parse_report(text, format=fmt)
    except UnreadableReportError as exc:
        assert not text.strip() and "empty" in str(exc)


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_report_or_the_clean_error(data: bytes) -> None:
    try:
        report = parse_report(data)
    except UnreadableReportError as exc:
        assert exc.code == "unreadable-report"
    else:
        json.dumps(to_record(report))


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=500))
def test_arbitrary_files(tmp_path_factory: object, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("bytes")) / "report.docx"  # type: ignore[attr-defined]
    path.write_bytes(b"PK\x03\x04" + data)
    try:
        parse_report(path)
    except UnreadableReportError as exc:
        assert str(path) in str(exc)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


@FAST
@given(
    st.lists(st.tuples(st.sampled_from(LABELS), SEP, VALUE), max_size=8),
    st.lists(VALUE, max_size=2),
)
def test_no_text_is_dropped(fields: list[tuple[str, str, str]], preamble: list[str]) -> None:
    lines = [p for p in preamble if p.strip()]
    lines += [f"{label}{sep}{value}" for label, sep, value in fields]
    assume(any(line.strip() for line in lines))
    report = parse_report("\n".join(lines))
    dumped = json.dumps(to_record(report), ensure_ascii=False)
    label_words = {w.lower() for label in LABELS for w in _words(label)}
    for value in [*preamble, *(v for _, _, v in fields)]:
        for word in _words(value):
            if word.lower() in label_words:
                continue  # may have been read as (part of) a label
            assert word in dumped, (word, lines)


STYLES = st.sampled_from(["## {l}\n\n{v}", "**{l}:** {v}", "- **{l}**: {v}", "| {l} | {v} |"])


@FAST
@given(st.lists(st.tuples(st.sampled_from(LABELS), STYLES, VALUE), max_size=8))
def test_no_text_is_dropped_from_markdown(fields: list[tuple[str, str, str]]) -> None:
    lines = [style.format(l=label, v=value) for label, style, value in fields]
    assume(any(line.strip() for line in lines))
    report = parse_report("\n".join(lines), format="markdown")
    dumped = json.dumps(to_record(report), ensure_ascii=False)
    label_words = {w.lower() for label in LABELS for w in _words(label)}
    for _, _, value in fields:
        for word in _words(value):
            assert word.lower() in label_words or word in dumped, (word, lines)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS), VALUE), max_size=8))
def test_docx_export_round_trips(fields: list[tuple[str, str]]) -> None:
    assume(fields)
    report = parse_report("\n".join(f"{label}: {value}" for label, value in fields))
    before, after = to_record(report), to_record(parse_report(to_docx(report)))
    for key in ("title", "date", "start_time", "organizers", "speakers", "key_issues", "extra"):
        assert before[key] == after[key], key


@FAST
@given(st.text())
def test_html_never_raises_but_the_clean_error(text: str) -> None:
    try:
        report = parse_report(f"<html><body><p>{text}</p><script>x</script></body></html>",
                              format="html")  # fmt: skip
    except UnreadableReportError as exc:
        assert "no text" in str(exc) or "empty" in str(exc)
    else:
        json.dumps(to_record(report), ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "Session Title: bad \ud800 title\nDate: 9 December 2016",  # a lone surrogate
        "Session Title: a\x00b",
        "Session Title: " + "x" * 1_000_000,
        "Key Issues raised: " + "word " * 200_000,
        ":" * 100_000,
        "Estimate the overall number of the participants present at the session: " + "9" * 40,
        "\n".join(["## Speaker"] * 5000),
        "| a |" * 10000,
    ],
)
def test_odd_input_gives_a_report_that_serialises(text: str) -> None:
    report = parse_report(text)
    json.dumps(to_record(report), ensure_ascii=False).encode("utf-8")
    validate_report(report)
    assert report.participation is None or report.participation.participants is None
