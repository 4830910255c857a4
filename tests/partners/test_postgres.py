"""The registry on real PostgreSQL: the migration, the services, and two concurrent editors
based on one version (exactly one wins, the other gets EditConflictError, nothing is lost)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from equals.auth import Role, audit_entries
from equals.core.errors import EditConflictError, PermissionDeniedError, ValidationError
from equals.partners import (
    add_seat,
    end_term,
    get_initiative,
    get_partner,
    get_seat,
    update_initiative,
    update_seat,
)
from equals.partners.permissions import Action
from equals.store import Store
from tests.partners.conftest import OPERATOR, Registry, initiative_body, seed, user
from tests.partners.test_permissions import MATRIX, _do, _writes
from tests.pg import fresh_database

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("postgres")]


@pytest.fixture(scope="module")
def pg_registry(pg_url: str) -> Iterator[Registry]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    store = Store(fresh_database(pg_url, f"equals_partners_test_{worker}"))
    store.migrate()
    yield seed(store)
    store.dispose()


def test_services_on_postgres(pg_registry: Registry) -> None:
    store = pg_registry.store
    p = get_partner(store, "apc")
    assert p.stakeholder_group.code == "civil_society"
    ini = get_initiative(store, pg_registry.own_initiative)
    assert [c.code for c in ini.countries] == ["KEN"] and ini.targets[0].target_value == 40.0
    with pytest.raises(ValidationError) as err:
        update_initiative(
            store,
            ini.id,
            initiative_body(pg_registry.own, countries=["ZZZ"]),
            based_on=ini.version,
            actor=OPERATOR,
        )
    assert err.value.location == "countries[0]"
    assert get_initiative(store, ini.id).version == ini.version


def test_concurrent_edits_one_wins_one_conflicts(pg_registry: Registry) -> None:
    store = pg_registry.store
    iid = pg_registry.other_initiative
    base = get_initiative(store, iid).version
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def edit(name: str) -> None:
        barrier.wait()
        try:
            update_initiative(
                store,
                iid,
                initiative_body(pg_registry.other, title=name),
                based_on=base,
                actor=OPERATOR,
            )
            outcomes[name] = "ok"
        except EditConflictError as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("Edit A", "Edit B")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    winners = [n for n, o in outcomes.items() if o == "ok"]
    losers = [o for o in outcomes.values() if isinstance(o, EditConflictError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].current == base + 1
    now = get_initiative(store, iid)
    assert (now.title, now.version) == (winners[0], base + 1)
    updates = [
        e
        for e in audit_entries(store, entity="initiative", entity_id=iid)
        if e.action == "initiative.update"
    ]
    assert len(updates) == 1 and updates[0].detail["after"]["title"] == winners[0]


@pytest.fixture(scope="module")
def pg_template(pg_url: str) -> str:
    """A migrated, empty database to clone from (CREATE DATABASE … TEMPLATE is fast)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = fresh_database(pg_url, f"equals_partners_tmpl_{worker}")
    store = Store(url)
    store.migrate()
    store.dispose()
    return url


def _clone(template_url: str, name: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(template_url)
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {url.database}")
    return url.set(database=name).render_as_string(hide_password=False)


EDITOR_ROW = [
    (action, own, expected)
    for action, (on_own, on_other) in MATRIX[Role.PARTNER_EDITOR].items()
    for own, expected in ((True, on_own), (False, on_other))
]


@pytest.mark.parametrize(("action", "own", "expected"), EDITOR_ROW)
def test_partner_editor_permissions_on_postgres(
    pg_template: str, action: Action, own: bool, expected: bool
) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    store = Store(_clone(pg_template, f"equals_partners_case_{worker}"))
    try:
        reg = seed(store)
        u = user(Role.PARTNER_EDITOR, reg.own)
        before = _writes(store)
        if expected:
            _do(action, reg, u, own)
            assert _writes(store) > before
        else:
            with pytest.raises(PermissionDeniedError):
                _do(action, reg, u, own)
            assert _writes(store) == before
    finally:
        store.dispose()


def test_examples_load_idempotently_and_remove_on_postgres(pg_template: str) -> None:
    from equals.partners import list_initiatives, list_partners
    from equals.partners.examples import load_examples, remove_examples

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    store = Store(_clone(pg_template, f"equals_partners_examples_{worker}"))
    try:
        assert load_examples(store) == (
            "partnership examples: 11 partners, 4 coalitions, 5 seats, 3 initiatives"
        )
        assert load_examples(store) is None  # idempotent
        assert len(list_partners(store)) == 11 and len(list_initiatives(store)) == 3
        removed = remove_examples(store, actor=OPERATOR)
        assert removed == {"initiatives": 3, "coalitions": 4, "seats": 5, "partners": 11}
        assert load_examples(store) is None  # removed examples stay removed
        assert list_partners(store) == []
    finally:
        store.dispose()


def test_cached_views_page_and_follow_writes_on_postgres(pg_registry: Registry) -> None:
    from sqlalchemy import inspect

    from equals.evidence.queries import Evidence
    from equals.partners import InitiativeFilter, create_initiative, views
    from equals.partners.organizations import merge

    store = pg_registry.store
    ev = Evidence(store)
    names = {ix["name"] for ix in inspect(store.engine).get_indexes("initiatives")}
    assert "ix_initiatives_title" in names  # migration 0010
    f = InitiativeFilter(country="KEN")
    before = views.initiatives_page(ev, f, limit=1)
    for k in range(3):
        create_initiative(
            store, initiative_body(pg_registry.own, title=f"PG paging {k}"), actor=OPERATOR
        )
    pages = [views.initiatives_page(ev, f, limit=2, offset=o) for o in (0, 2, 4)]
    assert {p.total for p in pages} == {before.total + 3}
    ids = [i.id for p in pages for i in p.items]
    assert len(ids) == len(set(ids)) == before.total + 3
    titles = [i.title for p in pages for i in p.items]
    assert titles == sorted(titles)
    with store.transaction() as conn:
        from equals.partners.organizations import ensure_org

        dup = ensure_org(conn, "Progressive Communications Assoc PG")
    counter = int(views.registry_key(ev)[0])
    merge(store, dup, "apc", actor=OPERATOR)  # a write the counter sees on PostgreSQL too
    assert int(views.registry_key(ev)[0]) == counter + 1
    assert views.initiative(ev, pg_registry.other_initiative).lead.id == "apc"


def test_concurrent_seat_writes_one_wins_one_conflicts(pg_registry: Registry) -> None:
    """Two admins based on one version of a seat, one editing it and one ending its term: exactly
    one write lands, the other gets EditConflictError (409) and changes nothing."""
    store = pg_registry.store
    seat = add_seat(
        store,
        {"body": "steering-committee", "organization_id": pg_registry.own, "since": "2020-01-01"},
        actor=OPERATOR,
    )
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def write(name: str) -> None:
        barrier.wait()
        try:
            if name == "edit":
                body = {
                    "body": "steering-committee",
                    "organization_id": pg_registry.own,
                    "holder": "Edited holder",
                    "since": "2020-01-01",
                }
                update_seat(store, seat.id, body, based_on=1, actor=OPERATOR)
            else:
                end_term(store, seat.id, {"until": "2024-12-31"}, based_on=1, actor=OPERATOR)
            outcomes[name] = "ok"
        except EditConflictError as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=write, args=(n,)) for n in ("edit", "end")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    winners = [n for n, o in outcomes.items() if o == "ok"]
    losers = [o for o in outcomes.values() if isinstance(o, EditConflictError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].current == 2
    now = get_seat(store, seat.id)
    assert now.version == 2
    assert (now.holder, now.until) == (
        ("Edited holder", None) if winners == ["edit"] else ("", "2024-12-31")
    )
    entries = audit_entries(store, entity="governance_seat", entity_id=str(seat.id))
    assert [e.action for e in entries] == [
        "governance.update" if winners == ["edit"] else "governance.end",
        "governance.create",
    ]
