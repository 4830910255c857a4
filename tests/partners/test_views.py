"""Cached read views of the registry: pages and totals match the uncached reads, every kind of
registry write (initiative, progress, partner, coalition, merge, and a write by another
process's store) is seen at once, the number of queries for a page of full records does not
grow with the page, and the who-does-what view over generated data matches a plain count."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence
from equals.partners import (
    InitiativeFilter,
    PartnerFilter,
    add_progress,
    create_coalition,
    create_initiative,
    create_partner,
    list_initiatives,
    update_partner,
    views,
)
from equals.partners.action import action_gaps
from equals.partners.initiative_read import read_initiatives
from equals.partners.organizations import ensure_org, merge
from equals.partners.synthetic import generate
from equals.store import Store
from equals.store.tables import partners as t
from tests.partners.conftest import OPERATOR, Registry, initiative_body


@pytest.fixture
def ev(registry: Registry) -> Iterator[Evidence]:
    yield Evidence(registry.store)


def test_pages_and_total_match_the_plain_reads(registry: Registry, ev: Evidence) -> None:
    for k in range(5):
        create_initiative(
            registry.store, initiative_body(registry.own, title=f"Clubs {k}"), actor=OPERATOR
        )
    f = InitiativeFilter(country="KEN")
    everything = list_initiatives(registry.store, f, limit=1000)
    assert len(everything) == 7  # two seeded + five
    seen = []
    for offset in (0, 3, 6):
        page = views.initiatives_page(ev, f, limit=3, offset=offset)
        assert page.total == 7
        seen += page.items
    assert [i.id for i in seen] == [i.id for i in everything]
    assert views.initiatives_page(ev, f, limit=3, offset=9).total == 7  # past the end
    assert views.initiatives_page(ev, InitiativeFilter(country="FRA")).total == 0
    total, body = views.initiatives_json(ev, f, limit=2, offset=0)
    assert total == 7 and body.startswith(b"[{") and b'"Clubs 0"' in body


def test_every_write_is_seen_at_once(registry: Registry, ev: Evidence) -> None:
    store = registry.store
    f = InitiativeFilter(country="KEN")
    assert views.initiatives_page(ev, f).total == 2
    assert "GSMA" in {w.organization for w in views.who(ev, "KEN")[0]}
    assert len(views.directory(ev, PartnerFilter())) == 2
    create_initiative(store, initiative_body(registry.own, title="New one"), actor=OPERATOR)
    assert views.initiatives_page(ev, f).total == 3
    add_progress(
        store,
        registry.own_initiative,
        {"date": "2070-01-01", "narrative": "Reported."},
        actor=OPERATOR,
    )
    ini = next(i for i in views.initiatives_page(ev, f).items if i.id == registry.own_initiative)
    assert ini.freshness.last_information == "2070-01-01"
    update_partner(
        store,
        registry.own,
        {"name": "GSMA renamed", "stakeholder_group": "private_sector"},
        based_on=1,
        actor=OPERATOR,
    )
    assert "GSMA renamed" in {p.name for p in views.directory(ev, PartnerFilter())}
    assert "GSMA renamed" in {w.organization for w in views.who(ev, "KEN")[0]}
    ini = next(i for i in views.initiatives_page(ev, f).items if i.id == registry.own_initiative)
    assert ini.lead.name == "GSMA renamed"
    create_coalition(
        store,
        {
            "id": "skills-x",
            "name": "Skills coalition",
            "action_area": "skills",
            "members": [{"organization_id": registry.own}],
        },
        actor=OPERATOR,
    )
    assert "skills-x" in {c.id for c in views.coalitions(ev)}
    assert [
        p.organization_id for p in views.directory(ev, PartnerFilter(coalition="skills-x"))
    ] == [registry.own]
    other = Store(store.url)  # another process's connection: the counter is in the database
    try:
        with other.transaction() as conn:
            dup = ensure_org(conn, "GSMA Association duplicate")
        merge(other, dup, registry.own, actor=OPERATOR)
        create_partner(
            other, {"name": "Web Foundation", "stakeholder_group": "civil_society"}, actor=OPERATOR
        )
    finally:
        other.dispose()
    assert "Web Foundation" in {p.name for p in views.directory(ev, PartnerFilter())}


def _count_queries(store: Store) -> tuple[list[str], Any]:
    seen: list[str] = []

    def hook(*args: Any) -> None:
        seen.append(str(args[2]))

    return seen, hook


def test_full_records_take_a_fixed_number_of_queries(registry: Registry) -> None:
    store = registry.store
    for k in range(30):
        create_initiative(
            store, initiative_body(registry.own, title=f"Batch {k:02d}"), actor=OPERATOR
        )
    with store.connect() as conn:
        ids = [int(x) for x in conn.execute(select(t.initiatives.c.id)).scalars()]
    counts = []
    for n in (1, 10, len(ids)):
        seen, hook = _count_queries(store)
        event.listen(store.engine, "before_cursor_execute", hook)
        try:
            with store.connect() as conn:
                rows = read_initiatives(conn, ids[:n])
        finally:
            event.remove(store.engine, "before_cursor_execute", hook)
        assert len(rows) == n
        counts.append(len(seen))
    assert counts[0] == counts[1] == counts[2] <= 8, counts


def test_country_view_over_generated_data_matches_a_plain_count(
    loaded_db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    store = Store(f"sqlite:///{path}")
    store.migrate()
    generate(store, initiatives=1500, partners=20, seed=3)
    ev = Evidence(store)
    code = _busiest_country(store)
    view = views.country_view(ev, code)
    # Independent reference: the active initiatives of each action area, counted in Python
    # from the plain full records (status 2 and not inactive by the freshness rule).
    records = list_initiatives(store, InitiativeFilter(country=code), limit=10_000)
    assert [i.id for i in view.recorded] == [i.id for i in records]
    for area in view.areas:
        expected = sorted(
            i.id
            for i in records
            if area.pillar in i.action_areas
            and i.status.code == "2"
            and i.freshness.code != "inactive"
        )
        assert area.initiatives == expected, area.pillar
        budgets: dict[str, float] = {}
        for i in records:
            if i.id in expected and i.budget is not None and i.currency:
                budgets[i.currency] = budgets.get(i.currency, 0.0) + i.budget
        assert area.budgets == pytest.approx(budgets)
    assert set(view.titles) >= {i for a in view.areas for i in a.initiatives}
    assert {a.pillar for a in view.areas} == {p.value for p in Pillar}
    for area in view.areas:
        ranked = action_gaps(ev, Pillar(area.pillar))
        row = next((r for r in ranked if r.country == code), None)
        assert area.gap == row
        if row is not None:
            assert row.initiatives == len(area.initiatives)
    store.dispose()


def _busiest_country(store: Store) -> str:
    from sqlalchemy import func

    c = t.initiative_countries
    with store.connect() as conn:
        return str(
            conn.execute(
                select(c.c.country)
                .group_by(c.c.country)
                .order_by(func.count().desc(), c.c.country)
                .limit(1)
            ).scalar_one()
        )


def test_single_initiatives_are_cached_per_version_and_bounded(
    registry: Registry, ev: Evidence, monkeypatch: pytest.MonkeyPatch
) -> None:
    from equals.partners import update_initiative
    from equals.partners.initiative_read import UnknownInitiativeError

    store = registry.store
    first = views.initiative(ev, registry.own_initiative)
    assert views.initiative(ev, registry.own_initiative) is first  # cached
    update_initiative(
        store,
        registry.own_initiative,
        initiative_body(registry.own, title="Renamed"),
        based_on=first.version,
        actor=OPERATOR,
    )
    assert views.initiative(ev, registry.own_initiative).title == "Renamed"
    with pytest.raises(UnknownInitiativeError):
        views.initiative(ev, 999_999)
    assert views.progress(ev, registry.own_initiative) == ()
    add_progress(
        store, registry.own_initiative, {"date": "2025-01-01", "narrative": "x"}, actor=OPERATOR
    )
    assert [r.narrative for r in views.progress(ev, registry.own_initiative)] == ["x"]
    with pytest.raises(UnknownInitiativeError):
        views.progress(ev, 999_999)
    monkeypatch.setattr(views, "INITIATIVE_CACHE", 1)
    views.initiative(ev, registry.other_initiative)
    assert len(views._single[ev]) == 1


def test_action_gaps_json_is_the_ranking(loaded_db_url: str, tmp_path: Path) -> None:
    import orjson

    from equals.partners.action import action_gaps

    path = tmp_path / "equals.db"
    shutil.copy(loaded_db_url.removeprefix("sqlite:///"), path)
    store = Store(f"sqlite:///{path}")
    ev = Evidence(store)
    body = views.action_gaps_json(ev, Pillar.ACCESS, target_group=None, limit=5)
    rows = action_gaps(ev, Pillar.ACCESS)[:5]
    assert orjson.loads(body) == [r.model_dump(mode="json") for r in rows]
    generate(store, initiatives=50, partners=5, seed=4)  # a registry write: a new body
    again = views.action_gaps_json(ev, Pillar.ACCESS, target_group=None, limit=500)
    counted = {r["country"]: r["initiatives"] for r in orjson.loads(again)}
    assert counted == {r.country: r.initiatives for r in action_gaps(ev, Pillar.ACCESS)}
    assert sum(counted.values()) > 0
    store.dispose()
