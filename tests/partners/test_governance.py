"""Governance seats through the services on a real (SQLite) store: editing a seat is versioned
(a stale edit gets EditConflictError and writes nothing) and audited with before and after;
ending a term keeps the record as the seat's history; an end before the start is refused naming
``until``, with nothing written."""

from __future__ import annotations

import pytest

from equals.auth import audit_entries
from equals.core.errors import EditConflictError, NotFoundError, ValidationError
from equals.partners import add_seat, end_term, get_seat, governance, update_seat
from tests.partners.conftest import OPERATOR, Registry


def _chair(reg: Registry) -> int:
    body = {
        "body": "steering-committee",
        "seat": "Chair",
        "organization_id": reg.own,
        "holder": "A. Person",
        "since": "2021-01-01",
    }
    return add_seat(reg.store, body, actor=OPERATOR).id


def test_edit_is_versioned_and_audited(registry: Registry) -> None:
    store, sid = registry.store, _chair(registry)
    seat = get_seat(store, sid)
    assert seat.version == 1 and seat.until is None
    body = {
        "body": "steering-committee",
        "seat": "Chair",
        "organization_id": registry.own,
        "holder": "A. Person-Smith",
        "since": "2021-02-01",
    }
    after = update_seat(store, sid, body, based_on=1, actor=OPERATOR)
    assert (after.version, after.holder, after.since) == (2, "A. Person-Smith", "2021-02-01")
    with pytest.raises(EditConflictError) as exc:  # a second editor still based on version 1
        update_seat(store, sid, {**body, "holder": "Someone else"}, based_on=1, actor=OPERATOR)
    assert exc.value.current == 2
    assert get_seat(store, sid).holder == "A. Person-Smith"
    entries = audit_entries(store, entity="governance_seat", entity_id=str(sid))
    assert [e.action for e in entries] == ["governance.update", "governance.create"]
    detail = entries[0].detail
    assert detail["before"]["holder"] == "A. Person" and detail["before"]["version"] == 1
    assert detail["after"]["holder"] == "A. Person-Smith" and detail["after"]["version"] == 2


def test_ending_a_term_keeps_the_history(registry: Registry) -> None:
    store, sid = registry.store, _chair(registry)
    ended = end_term(store, sid, {"until": "2023-12-31"}, based_on=1, actor=OPERATOR)
    assert (ended.until, ended.since, ended.version) == ("2023-12-31", "2021-01-01", 2)
    nxt = add_seat(
        store,
        {
            "body": "steering-committee",
            "seat": "Chair",
            "organization_id": registry.other,
            "since": "2024-01-01",
        },
        actor=OPERATOR,
    )
    chairs = [s for s in governance(store) if s.seat == "Chair"]
    assert [(s.organization.id, s.since, s.until) for s in chairs] == [
        (registry.own, "2021-01-01", "2023-12-31"),
        (registry.other, "2024-01-01", None),
    ]
    assert nxt.id != sid
    entry = audit_entries(store, entity="governance_seat", entity_id=str(sid))[0]
    assert entry.action == "governance.end"
    assert entry.detail["before"]["until"] is None
    assert entry.detail["after"]["until"] == "2023-12-31"
    # a term that already ended is corrected by editing, not ended twice
    with pytest.raises(ValidationError) as exc:
        end_term(store, sid, {"until": "2023-06-30"}, based_on=2, actor=OPERATOR)
    assert exc.value.location == "until" and "already ended on 2023-12-31" in exc.value.message
    assert get_seat(store, sid).version == 2


@pytest.mark.parametrize(
    ("write", "location"),
    [
        ("end-before-start", "until"),
        ("edit-before-start", "until"),
        ("end-no-date", "until"),
        ("edit-unknown-org", "organization_id"),
        ("edit-bad-body", "body"),
    ],
)
def test_invalid_writes_name_the_field_and_write_nothing(
    registry: Registry, write: str, location: str
) -> None:
    store, sid = registry.store, _chair(registry)
    before = get_seat(store, sid)
    edit = {"body": "steering-committee", "organization_id": registry.own, "since": "2021-01-01"}
    with pytest.raises(ValidationError) as exc:
        if write == "end-before-start":
            end_term(store, sid, {"until": "2020-12-31"}, based_on=1, actor=OPERATOR)
        elif write == "end-no-date":
            end_term(store, sid, {}, based_on=1, actor=OPERATOR)
        elif write == "edit-before-start":
            update_seat(store, sid, {**edit, "until": "2020-12-31"}, based_on=1, actor=OPERATOR)
        elif write == "edit-unknown-org":
            body = {**edit, "organization_id": "no-such-org"}
            update_seat(store, sid, body, based_on=1, actor=OPERATOR)
        else:
            update_seat(store, sid, {**edit, "body": "board"}, based_on=1, actor=OPERATOR)
    assert exc.value.location == location
    assert get_seat(store, sid) == before
    assert len(audit_entries(store, entity="governance_seat", entity_id=str(sid))) == 1


def test_unknown_seat(registry: Registry) -> None:
    with pytest.raises(NotFoundError):
        get_seat(registry.store, 999)
    with pytest.raises(NotFoundError):
        end_term(registry.store, 999, {"until": "2024-01-01"}, based_on=1, actor=OPERATOR)
