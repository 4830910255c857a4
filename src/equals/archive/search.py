"""Full-text search over filed sessions, with highlighted snippets.

One query language for both databases: words (all must match), ``"quoted phrases"``,
``word*`` prefixes, ``OR`` between terms and ``-word`` to exclude. It is parsed here and
rendered as an FTS5 ``MATCH`` expression on SQLite (ranked by ``bm25``, snippets from
``snippet()``/``highlight()``) or a ``to_tsquery`` on PostgreSQL (ranked by ``ts_rank_cd``
over the GIN-indexed weighted ``tsvector``, snippets from ``ts_headline``). User text never
reaches either parser unquoted, so no input raises a syntax error.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, column, func, literal_column, select, table
from sqlalchemy.sql.elements import ColumnClause

from equals.archive.repository import (
    SessionFilter,
    SessionSummary,
    base_query,
    summaries_by_id,
)
from equals.archive.rules import MAX_SEARCH_TERMS
from equals.core.errors import ValidationError
from equals.core.i18n import Msg
from equals.store import Store
from equals.store.tables.sessions import FTS_TABLE, PG_TSVECTOR, session_search

START, STOP = "\ue000", "\ue001"  # private-use code points: never in report text
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([\w][\w\'’-]*\*?)|(\S)', re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    groups: tuple[tuple[Term, ...], ...]  # AND of groups; each group is an OR of terms
    excluded: tuple[Term, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.groups


def parse_query(text: str) -> Query:
    """The query language above; more than :data:`MAX_SEARCH_TERMS` terms is an error."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for m in _TOKEN.finditer(text):
        neg_phrase, phrase, neg_word, word, _other = m.groups()
        if word == "OR" and not neg_word:
            pending_or = bool(groups)
            continue
        if phrase is not None:
            words, prefix, negated = tuple(_WORD.findall(phrase)), False, bool(neg_phrase)
        elif word is not None:
            words = tuple(_WORD.findall(word))
            prefix, negated = word.endswith("*"), bool(neg_word)
        else:
            continue
        if not words:
            continue
        term = Term(tuple(w.lower() for w in words), prefix, negated)
        if negated:
            excluded.append(term)
        elif pending_or and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    terms = sum(len(g) for g in groups) + len(excluded)
    if terms > MAX_SEARCH_TERMS:
        raise ValidationError(
            Msg(
                "the search has %(terms)s terms; use at most %(limit)s words, phrases or "
                "exclusions",
                terms=terms,
                limit=MAX_SEARCH_TERMS,
            ),
            location="q",
            code="too-many-terms",
        )
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


def _fts_term(t: Term) -> str:
    body = '"' + " ".join(t.words) + '"'
    return body + ("*" if t.prefix else "")


def to_fts5(q: Query) -> str:
    groups = [
        "(" + " OR ".join(_fts_term(t) for t in g) + ")" if len(g) > 1 else _fts_term(g[0])
        for g in q.groups
    ]
    expr = " AND ".join(groups)
    for t in q.excluded:
        expr = f"({expr}) NOT {_fts_term(t)}"
    return expr


def _ts_term(t: Term) -> str:
    lexemes = ["'" + w.replace("'", "''") + "'" for w in t.words]
    if t.prefix:
        lexemes[-1] += ":*"
    body = " <-> ".join(lexemes)
    return f"({body})" if len(lexemes) > 1 else body


def to_tsquery(q: Query) -> str:
    groups = ["(" + " | ".join(_ts_term(t) for t in g) + ")" for g in q.groups]
    groups += ["!" + _ts_term(t) for t in q.excluded]
    return " & ".join(groups)


@dataclass(frozen=True, slots=True)
class Snippet:
    """Text with highlighted parts: ``parts`` is a sequence of (text, highlighted)."""

    parts: tuple[tuple[str, bool], ...]

    @classmethod
    def from_marked(cls, marked: str) -> Snippet:
        parts: list[tuple[str, bool]] = []
        for i, chunk in enumerate(re.split(f"[{START}{STOP}]", marked)):
            chunk = re.sub(r"\s+", " ", chunk)
            if chunk:
                parts.append((chunk, i % 2 == 1))
        return cls(tuple(parts))

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.parts)

    @property
    def highlights(self) -> tuple[str, ...]:
        return tuple(t for t, hit in self.parts if hit)

    def html(self) -> str:
        """HTML-escaped text with ``<mark>`` around the matches."""
        return "".join(
            f"<mark>{html.escape(t)}</mark>" if hit else html.escape(t) for t, hit in self.parts
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    session: SessionSummary
    rank: float
    title: Snippet
    snippet: Snippet

    def to_record(self) -> dict[str, Any]:
        return {
            **self.session.to_record(),
            "rank": self.rank,
            "title_html": self.title.html(),
            "snippet": self.snippet.text,
            "snippet_html": self.snippet.html(),
            "highlights": list(self.snippet.highlights),
        }


def _filtered_ids(filters: SessionFilter | None) -> Select[Any] | None:
    if filters is None or filters == SessionFilter():
        return None
    base = filters.apply(base_query()).subquery()
    return select(base.c.id)


def _sqlite(conn: Connection, q: Query, ids: Select[Any] | None, limit: int) -> list[Any]:
    fts = table(FTS_TABLE, column("rowid"))
    name: ColumnClause[Any] = literal_column(FTS_TABLE)
    stmt = (
        select(
            fts.c.rowid.label("session_id"),
            func.bm25(name, 10.0, 5.0, 1.0).label("rank"),
            func.highlight(name, 0, START, STOP).label("title"),
            func.snippet(name, -1, START, STOP, " … ", 24).label("snippet"),
        )
        .where(name.op("MATCH")(to_fts5(q)))
        .order_by(literal_column("rank"))
        .limit(limit)
    )
    if ids is not None:
        stmt = stmt.where(fts.c.rowid.in_(ids))
    return [(r.session_id, -float(r.rank), r.title, r.snippet) for r in conn.execute(stmt).all()]


def _postgres(conn: Connection, q: Query, ids: Select[Any] | None, limit: int) -> list[Any]:
    ss = session_search
    cfg: ColumnClause[Any] = literal_column("'english'::regconfig")
    tsq = func.to_tsquery(cfg, to_tsquery(q))
    vec: ColumnClause[Any] = literal_column(f"({PG_TSVECTOR})")
    opts = f'StartSel="{START}", StopSel="{STOP}"'
    frag = opts + ', MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "'
    stmt = (
        select(
            ss.c.session_id,
            func.ts_rank_cd(vec, tsq).label("rank"),
            func.ts_headline(cfg, ss.c.title, tsq, opts + ", HighlightAll=true").label("title"),
            func.ts_headline(cfg, ss.c.body, tsq, frag).label("body"),
            func.ts_headline(cfg, ss.c.people, tsq, frag).label("people"),
        )
        .where(vec.op("@@")(tsq))
        .order_by(literal_column("rank").desc(), ss.c.session_id)
        .limit(limit)
    )
    if ids is not None:
        stmt = stmt.where(ss.c.session_id.in_(ids))
    return [
        (r.session_id, float(r.rank), r.title, r.body if START in r.body else r.people)
        for r in conn.execute(stmt).all()
    ]


def search_sessions(
    store: Store, query: str, filters: SessionFilter | None = None, *, limit: int = 50
) -> list[SearchHit]:
    """Sessions matching ``query`` (best first), each with a highlighted title and snippet."""
    parsed = parse_query(query)
    if parsed.empty:
        return []
    ids = _filtered_ids(filters)
    with store.connect() as conn:
        if store.dialect == "postgresql":
            rows = _postgres(conn, parsed, ids, limit)
        else:
            rows = _sqlite(conn, parsed, ids, limit)
        summaries = summaries_by_id(conn, [r[0] for r in rows])
    return [
        SearchHit(summaries[sid], rank, Snippet.from_marked(title), Snippet.from_marked(snip))
        for sid, rank, title, snip in rows
        if sid in summaries
    ]
