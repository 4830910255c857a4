"""Templates are data: descriptors round-trip; bad descriptors fail with a clear location."""

from __future__ import annotations

import pytest

from equals.core.errors import DataFileError, NotFoundError
from equals.sessions import FieldKind, ReportTemplate, load_template, parse_report, templates
from equals.sessions.template import STANDARD_FIELDS

ALL = [
    "igf-2015-workshop",
    "igf-2016-workshop",
    "igf-2018-session",
    "igf-2019-report",
    "igf-2020-short-report",
    "igf-session-page",
]


def test_bundled_templates() -> None:
    assert set(templates()) == set(ALL)
    t2016 = load_template("igf-2016-workshop")
    assert [f.id for f in t2016.fields] == list(STANDARD_FIELDS)
    assert t2016.field("key_issues") is not None
    key_issues = t2016.field("key_issues")
    assert key_issues is not None and key_issues.expect.sentences_per_item == 1
    discussions = t2016.field("discussions")
    assert discussions is not None and discussions.expect.paragraphs == 3
    assert all(f.guidance for t in templates().values() for f in t.fields)
    t2018 = load_template("igf-2018-session")
    women = t2018.field("women")
    assert women is not None and women.kind is FieldKind.COUNT


@pytest.mark.parametrize("template_id", ALL)
def test_descriptor_round_trip(template_id: str) -> None:
    t = load_template(template_id)
    assert ReportTemplate.from_descriptor(t.to_descriptor()) == t


def test_a_new_template_is_data() -> None:
    d = load_template("igf-2016-workshop").to_descriptor()
    d["id"], d["title"], d["headings"] = "igf-2099", "IGF 2099", ["^igf 2099"]
    d["fields"].append({"id": "mood", "label": "Mood of the room", "kind": "text"})
    t = ReportTemplate.from_descriptor(d)
    assert t.field("mood") is not None and t.field("mood") == t.fields[-1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fields": [{"id": "x", "label": "X", "kind": "poem"}]}, "poem"),
        ({"fields": [{"id": "x", "label": "X", "kind": "text", "colour": 1}]}, "colour"),
        ({"fields": [{"id": "x", "kind": "text"}]}, "label"),
        ({"fields": [{"id": "x", "label": "X", "kind": "text", "expect": {"pages": 2}}]}, "pages"),
        ({"id": ""}, "needs id"),
    ],
)
def test_bad_descriptors(change: dict[str, object], message: str) -> None:
    d = {"id": "t", "title": "T", "fields": [{"id": "a", "label": "A", "kind": "text"}]} | change
    with pytest.raises(DataFileError, match=message):
        ReportTemplate.from_descriptor(d)


def test_unknown_template() -> None:
    with pytest.raises(NotFoundError, match="igf-2016-workshop"):
        load_template("igf-1999")


def test_forced_template() -> None:
    r = parse_report("Session Title: T\nTheme: Access", template="igf-2018-session")
    assert r.template == "igf-2018-session"
    assert r.extra[0].id == "theme" and r.warnings == ()
