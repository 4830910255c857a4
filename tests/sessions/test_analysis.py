"""Action-area tags with evidence; panel diversity; stated gender balance only."""

from __future__ import annotations

import pytest

from equals.core.vocabulary import Pillar
from equals.sessions import action_areas, diversity, gender_balance, parse_report
from equals.sessions.analysis import lexicon

from .conftest import EXAMPLE, FIXTURES


def test_example_discusses_all_three_areas_with_evidence() -> None:
    tags = {t.area: t for t in action_areas(parse_report(EXAMPLE))}
    assert set(tags) == set(Pillar)
    skills = [e.sentence for e in tags[Pillar.SKILLS].evidence]
    assert (
        "The second major area of discussion was regarding strategies to engage and enroll "
        "more women in ICT studies." in skills
    )
    leadership = tags[Pillar.LEADERSHIP].evidence
    assert any("entrepreneur*" in e.terms and e.field == "discussions" for e in leadership)


def test_tags_need_evidence() -> None:
    r = parse_report("Session Title: Budget review\nDiscussions: The accounts were approved.")
    assert action_areas(r) == ()
    r = parse_report("Session Title: T\nDiscussions: Broadband prices were discussed.")
    (tag,) = action_areas(r)
    assert tag.area is Pillar.ACCESS
    assert tag.evidence[0].sentence == "Broadband prices were discussed."


def test_lexicon_is_data_for_every_area() -> None:
    assert set(lexicon()) == set(Pillar)
    assert all(len(v) >= 5 for v in lexicon().values())


def test_panel_diversity_one_session() -> None:
    d = diversity([parse_report(EXAMPLE)]).to_record()
    assert d["speakers"] == 7
    assert d["stakeholder_groups"] == {
        "private_sector": 2,
        "civil_society": 2,
        "intergovernmental": 2,
        "government": 1,
    }
    assert d["distinct_groups"] == 4
    assert d["organizations"]["UN Women"] == 1
    assert 0 < d["group_balance"] < 1
    assert d["gender"]["basis"] == "not stated"


def test_diversity_across_an_event() -> None:
    reports = [parse_report(EXAMPLE), parse_report(FIXTURES / "igf2018-short.txt")]
    d = diversity(reports).to_record()
    assert d["sessions"] == 2 and d["speakers"] == 8
    assert d["stakeholder_groups"]["civil_society"] == 3
    assert d["organizations"]["APC"] == 2  # "Association for … (APC)" and "APC": one entity


def test_gender_only_where_stated() -> None:
    stated = gender_balance(parse_report(FIXTURES / "igf2018-short.txt"))
    assert (stated.participants, stated.women) == (60, 35)
    assert stated.women_share == pytest.approx(35 / 60)
    # The 2016 example names seven speakers, several of them women, but never states gender.
    unstated = gender_balance(parse_report(EXAMPLE))
    assert (unstated.participants, unstated.women, unstated.women_share) == (None, None, None)
