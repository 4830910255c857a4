"""The permission matrix of the registry, role × action × own/other organisation, as one table,
checked through the real services on a real (SQLite) store: an allowed write succeeds, a denied
one raises PermissionDeniedError and writes nothing (the audit log does not grow). An action
with several writes (governance: add a seat, edit it, end its term) has a row for each."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from equals.auth import Role, User, audit_entries
from equals.core.errors import PermissionDeniedError
from equals.partners import (
    add_progress,
    add_seat,
    create_coalition,
    create_initiative,
    create_partner,
    end_term,
    update_initiative,
    update_partner,
    update_seat,
)
from equals.partners.links import decide_link
from equals.partners.organizations import ensure_org, merge
from equals.partners.permissions import Action
from equals.store import Store
from tests.partners.conftest import (
    OPERATOR,
    Registry,
    file_example_report,
    initiative_body,
    seed,
    user,
)

Y, N = True, False
# role → action → (allowed on own organisation's record, allowed on another's)
MATRIX: dict[Role | None, dict[Action, tuple[bool, bool]]] = {
    Role.ADMIN: dict.fromkeys(Action, (Y, Y)),
    Role.PARTNER_EDITOR: {
        Action.CREATE_PARTNER: (N, N),
        Action.UPDATE_PARTNER: (Y, N),
        Action.MERGE_ORGANIZATIONS: (N, N),
        Action.WRITE_COALITION: (N, N),
        Action.WRITE_GOVERNANCE: (N, N),
        Action.CREATE_INITIATIVE: (Y, N),
        Action.UPDATE_INITIATIVE: (Y, N),
        Action.REPORT_PROGRESS: (Y, N),
        Action.DECIDE_SESSION_LINK: (Y, N),
    },
    Role.RAPPORTEUR: dict.fromkeys(Action, (N, N)),
    None: dict.fromkeys(Action, (N, N)),  # a signed-in user without any grant
}


OPERATIONS: dict[Action, tuple[str, ...]] = {Action.WRITE_GOVERNANCE: ("add", "edit", "end")}
"""The writes an action covers, when more than one (each gets its own rows of cases)."""


def _seat(reg: Registry) -> int:
    """A steering-committee seat held by the other organisation, added by the operator."""
    body = {"body": "steering-committee", "organization_id": reg.other, "since": "2020-01-01"}
    return add_seat(reg.store, body, actor=OPERATOR).id


def _do(
    action: Action, reg: Registry, u: User, own: bool, op: str = "", seat: int | None = None
) -> None:
    store = reg.store
    org = reg.own if own else reg.other
    ini = reg.own_initiative if own else reg.other_initiative
    if action is Action.CREATE_PARTNER:
        with store.transaction() as conn:
            bare = ensure_org(conn, "Brand New Foundation")
        create_partner(
            store,
            {"organization_id": bare, "stakeholder_group": "civil_society"},
            actor=OPERATOR,
            user=u,
        )
    elif action is Action.UPDATE_PARTNER:
        body = {"organization_id": org, "stakeholder_group": "academia"}
        update_partner(store, org, body, based_on=1, actor=OPERATOR, user=u)
    elif action is Action.MERGE_ORGANIZATIONS:
        with store.transaction() as conn:
            bare = ensure_org(conn, "Duplicate Spelling Org")
        merge(store, bare, org, actor=OPERATOR, user=u)
    elif action is Action.WRITE_COALITION:
        body = {
            "id": "access",
            "name": "Access",
            "action_area": "access",
            "lead_organization_id": org,
        }
        create_coalition(store, body, actor=OPERATOR, user=u)
    elif action is Action.WRITE_GOVERNANCE and op in ("edit", "end"):
        assert seat is not None
        if op == "edit":
            body = {"body": "steering-committee", "organization_id": org, "holder": "A. Chair"}
            update_seat(store, seat, body, based_on=1, actor=OPERATOR, user=u)
        else:
            end_term(store, seat, {"until": "2024-12-31"}, based_on=1, actor=OPERATOR, user=u)
    elif action is Action.WRITE_GOVERNANCE:
        add_seat(store, {"body": "secretariat", "organization_id": org}, actor=OPERATOR, user=u)
    elif action is Action.CREATE_INITIATIVE:
        create_initiative(store, initiative_body(org, title="New one"), actor=OPERATOR, user=u)
    elif action is Action.UPDATE_INITIATIVE:
        body = initiative_body(org, title="Renamed")
        body["targets"] = []
        update_initiative(store, ini, body, based_on=1, actor=OPERATOR, user=u)
    elif action is Action.REPORT_PROGRESS:
        add_progress(
            store,
            ini,
            {"date": "2025-03-01", "narrative": "Clubs opened."},
            actor=OPERATOR,
            user=u,
        )
    elif action is Action.DECIDE_SESSION_LINK:
        decide_link(store, ini, file_example_report(store), confirm=True, actor=OPERATOR, user=u)
    else:  # pragma: no cover - a new action must get a row here
        raise AssertionError(action)


def _writes(store: Store) -> int:
    """Audit entries of registry writes (the example session's filing is the archive's)."""
    return sum(e.action != "session.create" for e in audit_entries(store, limit=10_000))


CASES = [
    pytest.param(
        role,
        action,
        op,
        own,
        expected,
        id=f"{role or 'no-role'}-{action.value}{op and '-' + op}-{'own' if own else 'other'}",
    )
    for role, row in MATRIX.items()
    for action, (on_own, on_other) in row.items()
    for op in OPERATIONS.get(action, ("",))
    for own, expected in ((True, on_own), (False, on_other))
]


def test_matrix_covers_every_role_and_action() -> None:
    assert set(MATRIX) == {*Role, None}
    assert all(set(row) == set(Action) for row in MATRIX.values())


@pytest.mark.parametrize(("role", "action", "op", "own", "expected"), CASES)
def test_permission(
    store: Store, role: Role | None, action: Action, op: str, own: bool, expected: bool
) -> None:
    reg = seed(store)
    u = user(role, reg.own)
    seat = _seat(reg) if op in ("edit", "end") else None
    before = _writes(store)
    run: Callable[[], None] = lambda: _do(action, reg, u, own, op, seat)  # noqa: E731
    if expected:
        run()
        assert _writes(store) > before
    else:
        with pytest.raises(PermissionDeniedError):
            run()
        assert _writes(store) == before
