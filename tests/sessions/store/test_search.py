"""Full-text search (SQLite FTS5 / PostgreSQL tsvector): highlighted snippets, ranking,
phrases, prefixes, OR, exclusion, filters, and the index kept in step with every filing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equals.archive.filing import EventRef, file_report
from equals.archive.repository import SessionFilter, list_sessions
from equals.archive.search import (
    Snippet,
    parse_query,
    search_sessions,
    to_fts5,
    to_tsquery,
)
from equals.auth import Actor
from equals.core.vocabulary import Pillar
from equals.sessions import parse_report
from equals.store import Store

from ..conftest import EXAMPLE
from .conftest import report_text


@pytest.fixture
def filed(store: Store) -> Store:
    file_report(store, parse_report(EXAMPLE), actor=Actor.cli(), event=EventRef("IGF", 2016))
    file_report(
        store,
        parse_report(
            report_text(
                "Coding clubs for girls <and> boys",
                key_issues=["Coding clubs teach programming to girls in rural schools."],
                suggestions=["Fund more coding clubs."],
                speakers=["Ana Souza, Internet Society – Technical Community"],
            )
        ),
        actor=Actor.cli(),
        event=EventRef("IGF", 2017),
    )
    return store


def test_results_are_highlighted(filed: Store) -> None:
    hits = search_sessions(filed, "gender divide")
    assert len(hits) == 1
    hit = hits[0]
    assert hit.session.title.startswith("EQUALS")
    assert {h.lower() for h in hit.snippet.highlights} >= {"gender", "divide"} or (
        "gender digital divide" in " ".join(hit.snippet.highlights).lower()
    )
    assert "<mark>" in hit.snippet.html()
    assert "<mark>gender</mark>" in hit.title.html().lower()


def test_html_in_reports_is_escaped_around_the_marks(filed: Store) -> None:
    (hit,) = search_sessions(filed, "coding")
    assert "&lt;and&gt;" in hit.title.html()
    assert "<mark>Coding</mark>" in hit.title.html()
    assert "<and>" not in hit.title.html()


def test_stemming_prefix_phrase_or_and_exclusion(filed: Store) -> None:
    def ids(q: str) -> list[str]:
        return [h.session.title[:6] for h in search_sessions(filed, q)]

    assert ids("club") == ["Coding"]  # stemmed: "clubs"
    assert ids("schoo*") == ["Coding"]
    assert ids('"digital divide"') == ["EQUALS"]
    assert ids('"divide digital"') == []
    assert sorted(ids("coding OR multistakeholder")) == ["Coding", "EQUALS"]
    assert sorted(ids("clubs OR women")) == ["Coding", "EQUALS"]
    assert ids("clubs OR women -rural") == ["EQUALS"]
    assert ids("Mitchell") == ["EQUALS"]  # people are searchable too
    assert ids("Microsoft")[:1] == ["EQUALS"]


def test_search_combines_with_filters(filed: Store) -> None:
    assert [h.session.year for h in search_sessions(filed, "girls")] != []
    only_2017 = search_sessions(filed, "girls", SessionFilter(year=2017))
    assert [h.session.year for h in only_2017] == [2017]
    assert search_sessions(filed, "divide", SessionFilter(area=Pillar.LEADERSHIP)) != []
    assert search_sessions(filed, "divide", SessionFilter(event="WSIS")) == []


def test_the_index_follows_revisions(filed: Store) -> None:
    (hit,) = search_sessions(filed, "coding")
    file_report(
        filed,
        parse_report(report_text("Coding clubs for girls <and> boys", key_issues=["Robots."])),
        actor=Actor.cli(),
        session_id=hit.session.id,
    )
    assert search_sessions(filed, "rural") == []
    assert [h.session.id for h in search_sessions(filed, "robots")] == [hit.session.id]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND",
        "OR",
        "NOT",
        "-",
        "*",
        "a:b",
        "(x",
        "NEAR(a b)",
        "é*",
        "'; DROP TABLE sessions; --",
        "x' OR '1'='1",
        "girls); DELETE FROM sessions; --",
    ],
)
def test_odd_queries_are_plain_text_and_touch_nothing(filed: Store, query: str) -> None:
    """Query syntax and SQL in a search are words to look for: the search answers (hits or
    none) with sessions that exist, and the tables are intact."""
    before = [s.id for s in list_sessions(filed)]
    hits = search_sessions(filed, query)
    assert isinstance(hits, list)
    for hit in hits:
        assert hit.session.id in before
    assert [s.id for s in list_sessions(filed)] == before and len(before) >= 2
    # The tables still answer ordinary searches as before.
    assert search_sessions(filed, "girls") != []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_query_translation_is_total(text: str) -> None:
    q = parse_query(text)
    if not q.empty:
        assert to_fts5(q) and to_tsquery(q)


def test_snippet_markup() -> None:
    s = Snippet.from_marked("a \ue000b\ue001 <c>")
    assert s.parts == (("a ", False), ("b", True), (" <c>", False))
    assert s.html() == "a <mark>b</mark> &lt;c&gt;"
