"""Tolerant label matching: every spelling seen in practice finds its field."""

from __future__ import annotations

import pytest

from equals.sessions import parse_report
from equals.sessions.labels import all_labels
from equals.sessions.text import normalize_label

VARIANTS = [
    ("Session Organizer", "organizers"),
    ("Session Organiser", "organizers"),
    ("Workshop Organiser:", "organizers"),
    ("WORKSHOP ORGANIZERS", "organizers"),
    ("Organizer(s)", "organizers"),
    ("Chair/Moderator", "moderators"),
    ("Chairperson/Moderator", "moderators"),
    ("Chair / Moderator :", "moderators"),
    ("Moderator", "moderators"),
    ("Rapporteur/Notetaker", "rapporteurs"),
    ("Rapporteur/Note Taker", "rapporteurs"),
    ("Rapporteur / Note-taker", "rapporteurs"),
    ("List of Speakers and their institutional affiliations", "speakers"),
    ("List of speakers and their\ninstitutional affiliations", "speakers"),
    ("Key Issues raised (1 sentence per issue):", "key_issues"),
    ("Key issues raised (1\nsentence per issue)", "key_issues"),
    (
        "If there were presentations during the session, please provide a 1-paragraph "
        "summary for each Presentation",
        "presentations",
    ),
    (
        "If there are Presentations during the workshop session, please provide a "
        "1-paragraph summary for each Presentation",
        "presentations",
    ),
    (  # a wording not in the list, close enough to match
        "If there were any presentations during the workshop, please provide a one "
        "paragraph summary for each presentation",
        "presentations",
    ),
    ("Please describe the Discussions that took place during the workshop session: "
     "(3 paragraphs)", "discussions"),
    ("Please describe any Participant suggestions regarding the way forward/ potential next "
     "steps /key takeaways: (3 paragraphs)", "suggestions"),
    ("Key Takeaways", "suggestions"),
]  # fmt: skip


@pytest.mark.parametrize(("label", "field"), VARIANTS)
def test_label_variant_matches(label: str, field: str) -> None:
    assert all_labels().field_in(label, "igf-2016-workshop") == field


@pytest.mark.parametrize(("label", "field"), VARIANTS)
def test_label_variant_in_a_report(label: str, field: str) -> None:
    one_line = " ".join(label.split())
    report = parse_report(f"Session Title: T\n{one_line}\nDoreen Bogdan-Martin, ITU\n")
    assert field in report.present
    if one_line == "Key Takeaways":
        # Alone, "Key Takeaways" is the way forward on the 2015/2016/2018 forms but the key
        # messages on the 2020-2023 form: a real ambiguity, so the guess is flagged.
        assert [w.code for w in report.warnings] == ["uncertain-layout"]
    else:
        assert report.warnings == ()


def test_normalisation() -> None:
    assert normalize_label("Key Issues raised (1") == "key issues raised"
    assert normalize_label("Rapporteur/Note Taker:") == "rapporteur notetaker"
    assert normalize_label("Session Organiser") == normalize_label("session organizer")
    assert normalize_label("Theme [as listed here]") == "theme"


def test_unrelated_text_is_not_a_label() -> None:
    index = all_labels()
    for text in ("The discussion was led by a panel", "Paul Mitchell", "Access", "Datum"):
        assert not index.is_label(text), text


def test_wrapped_flattened_labels() -> None:
    text = (
        "List of Speakers and\tPaul Mitchell, Microsoft – Private Sector\n"
        "their institutional\tClaire Sibthorpe, GSMA – Private Sector\n"
        "affiliations\t\n"
        "Key Issues raised (1\tOne issue that wraps\n"
        "sentence per issue):\tacross two lines.\n"
    )
    report = parse_report(text)
    assert [p.name for p in report.speakers] == ["Paul Mitchell", "Claire Sibthorpe"]
    assert report.key_issues == ("One issue that wraps across two lines.",)
    assert report.labels[0][1] == "List of Speakers and their institutional affiliations"
