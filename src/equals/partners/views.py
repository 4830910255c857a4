"""Read views of the registry for the web (lists, the directory, a country's "who does what"),
cached per registry version.

Every registry write raises the registry's change counter in the same transaction
(:func:`equals.partners.common.touch`), so a view computed for counter value *n* stays right
until the counter moves; views that show reporting status also depend on the date (freshness).
The key is therefore (counter, today), read once per call (one small query), inside
:meth:`equals.evidence.queries.Evidence.cached`, which adds the evidence data version and
computes each key once even under concurrent requests. The counter is read *before* the view,
so a view is never older than its key. Another process's writes (the CLI, a second worker) are
seen at the next call: the counter lives in the database.

Free-text searches are not cached (their keys would only crowd the cache out).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence
from equals.partners.action import (
    Overlap,
    PillarAction,
    WhoRow,
    action_gaps,
    country_action,
    who_does_what,
)
from equals.partners.coalitions import list_coalitions
from equals.partners.common import stamp, today
from equals.partners.initiative_read import (
    InitiativeFilter,
    UnknownInitiativeError,
    count_initiatives,
    initiative_ids,
    read_initiatives,
)
from equals.partners.model import Coalition, Initiative, Partner, ProgressReport
from equals.partners.progress import list_progress
from equals.partners.registry import PartnerFilter, list_partners

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class InitiativePage:
    """One page of initiatives (full records) and how many match in all."""

    total: int
    items: tuple[Initiative, ...]


@dataclass(frozen=True, slots=True)
class CountryView:
    """A country's evidence-to-action page: gaps beside action, who does what, overlaps, and
    every initiative recorded there (inactive ones too)."""

    code: str
    areas: tuple[PillarAction, ...]
    who: tuple[WhoRow, ...]
    overlaps: tuple[Overlap, ...]
    recorded: tuple[Initiative, ...]
    titles: dict[int, str]


def registry_key(evidence: Evidence) -> tuple[str, str]:
    """(the registry's change counter, today's date): what a cached view depends on."""
    with evidence.store.connect() as conn:
        return stamp(conn), today().isoformat()


def _page(evidence: Evidence, f: InitiativeFilter, limit: int, offset: int) -> InitiativePage:
    with evidence.store.connect() as conn:
        ids = initiative_ids(conn, f, limit, offset)
        total = (
            len(ids) + offset
            if len(ids) < limit and (ids or offset == 0)
            else count_initiatives(conn, f)
        )
        return InitiativePage(total, tuple(read_initiatives(conn, ids)))


def initiatives_page(
    evidence: Evidence, f: InitiativeFilter | None = None, *, limit: int = 200, offset: int = 0
) -> InitiativePage:
    """Initiatives that match ``f``, one page of full records (by title), and the total."""
    f = f or InitiativeFilter()
    if f.q:
        return _page(evidence, f, limit, offset)
    key = ("partners:initiatives", *registry_key(evidence), f, limit, offset)
    page: InitiativePage = evidence.cached(key, lambda: _page(evidence, f, limit, offset))
    return page


def initiatives_json(
    evidence: Evidence, f: InitiativeFilter, *, limit: int, offset: int
) -> tuple[int, bytes]:
    """:func:`initiatives_page` as the API's JSON body (a list of full records), and the
    total; the rendered bytes are cached too (rendering is most of the cost of a cached list)."""

    def render() -> tuple[int, bytes]:
        page = initiatives_page(evidence, f, limit=limit, offset=offset)
        return page.total, orjson.dumps([i.model_dump(mode="json") for i in page.items])

    if f.q:
        return render()
    key = ("partners:initiatives-json", *registry_key(evidence), f, limit, offset)
    body: tuple[int, bytes] = evidence.cached(key, render)
    return body


def directory(evidence: Evidence, f: PartnerFilter) -> tuple[Partner, ...]:
    """The partner directory (no contacts' e-mail addresses), filtered."""
    if f.q:
        return tuple(list_partners(evidence.store, f))
    key = ("partners:directory", *registry_key(evidence), f)
    rows: tuple[Partner, ...] = evidence.cached(
        key, lambda: tuple(list_partners(evidence.store, f))
    )
    return rows


def coalitions(evidence: Evidence) -> tuple[Coalition, ...]:
    key = ("partners:coalitions", *registry_key(evidence))
    rows: tuple[Coalition, ...] = evidence.cached(
        key, lambda: tuple(list_coalitions(evidence.store))
    )
    return rows


def who(evidence: Evidence, code: str) -> tuple[tuple[WhoRow, ...], tuple[Overlap, ...]]:
    """Who does what in a country and the likely overlaps (``code``: checked ISO3), cached per
    registry version."""

    def compute() -> tuple[tuple[WhoRow, ...], tuple[Overlap, ...]]:
        with evidence.store.connect() as conn:
            rows, overlaps = who_does_what(conn, code)
        return tuple(rows), tuple(overlaps)

    key = ("partners:who", *registry_key(evidence), code)
    result: tuple[tuple[WhoRow, ...], tuple[Overlap, ...]] = evidence.cached(key, compute)
    return result


def _country(evidence: Evidence, code: str) -> CountryView:
    who_rows, overlaps = who(evidence, code)
    areas = country_action(evidence, code)
    recorded = initiatives_page(evidence, InitiativeFilter(country=code), limit=1000).items
    titles = {i.id: i.title for i in recorded}
    ids = {i for a in areas for i in a.initiatives} | {i for w in who_rows for i in w.initiatives}
    return CountryView(
        code=code,
        areas=tuple(areas),
        who=who_rows,
        overlaps=overlaps,
        recorded=recorded,
        titles={i: titles.get(i, f"#{i}") for i in sorted(ids)},
    )


def country_view(evidence: Evidence, code: str) -> CountryView:
    """Gaps beside action, who does what and overlaps in one country (``code``: checked ISO3)."""
    key = ("partners:country", *registry_key(evidence), code)
    view: CountryView = evidence.cached(key, lambda: _country(evidence, code))
    return view


def action_gaps_json(
    evidence: Evidence, pillar: Pillar, *, target_group: str | None, limit: int
) -> bytes:
    """The under-served ranking (:func:`equals.partners.action.action_gaps`, itself cached) as
    the API's JSON body, rendered once per registry version."""
    key = ("partners:action-gaps-json", *registry_key(evidence), pillar, target_group, limit)

    def render() -> bytes:
        rows = action_gaps(evidence, pillar, target_group=target_group)[:limit]
        return orjson.dumps([r.model_dump(mode="json") for r in rows])

    body: bytes = evidence.cached(key, render)
    return body


INITIATIVE_CACHE = 4096
"""Per-initiative views (the record, its progress reports) kept per app, least recently used
first out. They have their own bound, so that reading many initiatives one by one never
empties the shared evidence cache."""

_Key = tuple[str, str, str, int]
_single: weakref.WeakKeyDictionary[Evidence, OrderedDict[_Key, Any]] = weakref.WeakKeyDictionary()
_single_lock = threading.Lock()


def _per_initiative(
    evidence: Evidence, kind: str, initiative_id: int, compute: Callable[[], T]
) -> T:
    key = (kind, *registry_key(evidence), initiative_id)
    with _single_lock:
        cache = _single.setdefault(evidence, OrderedDict())
        if key in cache:
            cache.move_to_end(key)
            hit: T = cache[key]
            return hit
    value = compute()
    with _single_lock:
        cache[key] = value
        while len(cache) > INITIATIVE_CACHE:
            cache.popitem(last=False)
    return value


def initiative(evidence: Evidence, initiative_id: int) -> Initiative:
    """One initiative's full record, cached per registry version (404 when unknown)."""

    def read() -> Initiative:
        with evidence.store.connect() as conn:
            rows = read_initiatives(conn, [initiative_id])
        if not rows:
            raise UnknownInitiativeError(initiative_id)
        return rows[0]

    return _per_initiative(evidence, "initiative", initiative_id, read)


def progress(evidence: Evidence, initiative_id: int) -> tuple[ProgressReport, ...]:
    """An initiative's progress reports, newest first, cached per registry version."""
    return _per_initiative(
        evidence,
        "progress",
        initiative_id,
        lambda: tuple(list_progress(evidence.store, initiative_id)),
    )
