"""Filing reports: one transaction per report, revisions kept (who, when), people linked to
sessions through roles with their affiliation, organisations as normalised entities,
action areas with evidence, stated counts only — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from equals.archive.filing import (
    EventRef,
    ReportNotFiledError,
    UnknownSessionError,
    file_report,
)
from equals.archive.repository import (
    SessionFilter,
    event_diversity,
    get_session,
    list_events,
    list_sessions,
    session_report,
)
from equals.auth import Actor, Role, audit_entries, create_user
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.sessions import parse_report, to_record
from equals.sessions.record_io import from_record
from equals.store import Store
from equals.store.tables.sessions import organizations, people, report_revisions

from ..conftest import EXAMPLE, FIXTURES
from .conftest import SESSION_TABLES, install_poison, report_text, table_rows

IGF2016 = EventRef("IGF", 2016, place="Guadalajara")


def test_the_example_is_filed_with_its_people_roles_and_areas(store: Store) -> None:
    filed = file_report(
        store, parse_report(EXAMPLE), actor=Actor.cli(), event=IGF2016, source=EXAMPLE.read_bytes()
    )
    assert filed.created and filed.revision == 1 and not filed.unchanged
    d = get_session(store, filed.session_id)
    assert d.summary.title.startswith("EQUALS: The need for collaboration")
    assert (d.summary.event, d.summary.year, d.summary.date) == ("IGF", 2016, "2016-12-09")
    assert (d.summary.start_time, d.summary.end_time) == ("10:15", "11:15")
    assert [r.organization for r in d.people("organizer")] == ["ITU", "UN Women"]
    assert [r.name for r in d.people("moderator")] == ["Doreen Bogdan-Martin"]
    assert d.people("rapporteur") == ()
    speakers = d.people("speaker")
    assert len(speakers) == 7 and d.summary.speakers == 7
    assert all(s.organization and s.stakeholder_group for s in speakers)
    mitchell = speakers[0]
    assert (mitchell.name, mitchell.organization_id, mitchell.stakeholder_group) == (
        "Paul Mitchell",
        "microsoft",
        "private_sector",
    )
    assert [a["area"] for a in d.areas] == ["access", "skills", "leadership"]
    assert all(a["evidence"] and a["sentences"] == len(a["evidence"]) for a in d.areas)
    assert any("access" in e["sentence"].lower() for e in d.areas[0]["evidence"])
    # The report states no participant counts: nothing is inferred.
    assert (d.participants, d.women) == (None, None)
    assert d.to_record()["diversity"]["gender"]["basis"] == "not stated"
    # Revision: who and when; the stored record is the parser's record.
    (rev,) = d.revisions
    assert rev.actor.startswith("cli:") and rev.created_at and rev.number == 1
    assert not rev.valid  # the example names no rapporteur
    assert to_record(session_report(store, filed.session_id)) == to_record(parse_report(EXAMPLE))


def test_refiling_adds_a_revision_and_keeps_the_old_one(store: Store) -> None:
    user = create_user(store, "amina", "correct horse battery", roles=[Role.RAPPORTEUR])
    first = report_text("Mobile access for women", rapporteur="")
    second = report_text(
        "Mobile access for women",
        rapporteur="Li Wei",
        speakers=["Paul Mitchell, Microsoft – Private Sector", "Nanjira Sambuli, Web Foundation"],
    )
    a = file_report(store, parse_report(first), actor=Actor.cli(), event=IGF2016)
    b = file_report(store, parse_report(second), actor=Actor.of(user), event=IGF2016)
    assert b.session_id == a.session_id and not b.created and b.revision == 2
    d = get_session(store, a.session_id)
    assert [(r.number, r.actor, r.author_id) for r in d.revisions] == [
        (1, a_actor := Actor.cli().name, None),
        (2, "amina", user.id),
    ]
    assert a_actor.startswith("cli:")
    # Current data follows the newest revision; the first is still there, unchanged.
    assert [r.name for r in d.people("rapporteur")] == ["Li Wei"]
    assert len(d.people("speaker")) == 2
    assert session_report(store, a.session_id, revision=1).rapporteurs == ()
    assert [p.name for p in session_report(store, a.session_id, revision=2).rapporteurs] == [
        "Li Wei"
    ]
    # Same content again: nothing new.
    c = file_report(store, parse_report(second), actor=Actor.of(user), event=IGF2016)
    assert c.unchanged and c.revision == 2
    with store.connect() as conn:
        n = conn.execute(select(func.count()).select_from(report_revisions)).scalar_one()
    assert n == 2
    actions = [e.action for e in audit_entries(store, entity="session")]
    assert actions == ["session.revise", "session.create"]


def test_a_new_revision_of_a_given_session(store: Store) -> None:
    a = file_report(store, parse_report(report_text("Skills")), actor=Actor.cli(), event=IGF2016)
    renamed = parse_report(report_text("Digital skills for girls"))
    b = file_report(store, renamed, actor=Actor.cli(), session_id=a.session_id)
    assert (b.session_id, b.revision) == (a.session_id, 2)
    assert get_session(store, a.session_id).summary.title == "Digital skills for girls"
    with pytest.raises(UnknownSessionError):
        file_report(store, renamed, actor=Actor.cli(), session_id=999)


def test_organisations_and_people_are_one_entity_each(store: Store) -> None:
    for title, spelling in (("One", "UNWOMEN"), ("Two", "UN-Women"), ("Three", "UN Women")):
        text = report_text(
            title, speakers=[f"Lara Blanco, {spelling} – International Organization"]
        )
        file_report(store, parse_report(text), actor=Actor.cli(), event=IGF2016)
    with store.connect() as conn:
        orgs = conn.execute(select(organizations.c.id, organizations.c.known)).all()
        lara = conn.execute(select(func.count()).where(people.c.name == "Lara Blanco")).scalar()
    assert ("un-women", True) in [tuple(o) for o in orgs]
    assert sum(1 for o in orgs if o.id == "un-women") == 1
    assert lara == 1
    found = list_sessions(store, SessionFilter(organization="un-women"))
    assert {s.title for s in found} == {"One", "Two", "Three"}


def test_filters_event_year_area_stakeholder(store: Store) -> None:
    file_report(
        store,
        parse_report(
            report_text(
                "Girls and coding",
                key_issues=["Girls need coding skills."],
                suggestions=["Train teachers."],
                speakers=["Ana Souza, Internet Society – Technical Community"],
            )
        ),
        actor=Actor.cli(),
        event=IGF2016,
    )
    file_report(
        store,
        parse_report((FIXTURES / "igf2018-short.txt").read_text()),
        actor=Actor.cli(),
        event=EventRef("IGF", 2018),
    )
    file_report(store, parse_report(EXAMPLE), actor=Actor.cli(), event=EventRef("WSIS", 2016))

    def titles(**kw: object) -> set[str]:
        return {s.title[:20] for s in list_sessions(store, SessionFilter(**kw))}  # type: ignore[arg-type]

    assert len(titles()) == 3
    assert titles(year=2018) == {"Gender and access in"}
    assert titles(event="igf") == {"Girls and coding", "Gender and access in"}
    assert titles(event="WSIS", year=2016) == {"EQUALS: The need for"}
    assert titles(area=Pillar.SKILLS) == {"Girls and coding", "EQUALS: The need for"}
    assert "Girls and coding" not in titles(area=Pillar.LEADERSHIP)
    assert titles(stakeholder=StakeholderGroup.TECHNICAL_COMMUNITY) == {"Girls and coding"}
    assert titles(stakeholder=StakeholderGroup.CIVIL_SOCIETY) == {
        "Gender and access in",
        "EQUALS: The need for",
    }
    assert titles(event="IGF", area=Pillar.ACCESS, year=2016) == set()
    events = {(e.name, e.year): e.sessions for e in list_events(store)}
    assert events == {("IGF", 2018): 1, ("IGF", 2016): 1, ("WSIS", 2016): 1}


def test_stated_gender_counts_are_stored_and_never_inferred(store: Store) -> None:
    short = parse_report((FIXTURES / "igf2018-short.txt").read_text())
    filed = file_report(store, short, actor=Actor.cli(), event=EventRef("IGF", 2018))
    d = get_session(store, filed.session_id)
    assert (d.participants, d.women) == (60, 35)
    assert d.summary.theme == "Digital Inclusion & Accessibility"
    file_report(store, parse_report(EXAMPLE), actor=Actor.cli(), event=EventRef("IGF", 2018))
    overall = event_diversity(store, SessionFilter(event="IGF", year=2018)).to_record()
    assert overall["sessions"] == 2 and overall["speakers"] == 8
    # Only the session that states counts contributes them.
    assert (overall["gender"]["participants"], overall["gender"]["women"]) == (60, 35)


def test_strict_refuses_an_invalid_report_and_an_untitled_one(store: Store) -> None:
    before = table_rows(store, SESSION_TABLES)
    with pytest.raises(ReportNotFiledError, match="no-rapporteur"):
        file_report(store, parse_report(EXAMPLE), actor=Actor.cli(), event=IGF2016, strict=True)
    untitled = parse_report("Date: 9 December 2016\nKey Issues raised: Something.\n")
    with pytest.raises(ReportNotFiledError, match="no session title"):
        file_report(store, untitled, actor=Actor.cli(), event=IGF2016)
    assert table_rows(store, SESSION_TABLES) == before


def test_a_failure_midway_writes_nothing(store: Store) -> None:
    file_report(store, parse_report(report_text("Kept")), actor=Actor.cli(), event=IGF2016)
    install_poison(store, "Poison")
    before = table_rows(store, SESSION_TABLES)
    poisoned = report_text(
        "Poison pill",
        speakers=["Zed Poisonperson, Poison Org – Civil Society"],
    )
    with pytest.raises(Exception, match="poisoned report"):
        file_report(
            store, parse_report(poisoned), actor=Actor.cli(), event=EventRef("Poison Fest", 2030)
        )
    after = table_rows(store, SESSION_TABLES)
    assert after == before  # no event, session, revision, person, organisation, audit entry


def test_records_round_trip_through_the_store_format() -> None:
    for path in sorted(FIXTURES.glob("*.*")):
        if path.name == "README.md":
            continue
        rec = to_record(parse_report(path))
        again = from_record(json.loads(json.dumps(rec)))
        assert to_record(again) == rec, path.name
