"""Server-side browser sessions: ended by sign-out, revoke, disable and password change; sign-in
throttled per account and per address; every attempt in the audit log. Run on SQLite and on a
real PostgreSQL server (NUL bytes and lone surrogates in the typed name must not break either)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from equals.auth import (
    LoginFailedError,
    Role,
    ThrottlePolicy,
    TooManyAttemptsError,
    audit_entries,
    create_user,
    issue_token,
    revoke_tokens,
    session_user,
    set_disabled,
    set_password,
    sign_in,
    sign_out,
    user_for_token,
    user_sessions,
)
from equals.auth.browser import LIFETIME
from equals.store import Store
from tests.pg import fresh_database

PASSWORD = "correct horse battery"
T0 = 1_800_000_000  # a fixed clock for the throttling tests (epoch seconds)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/auth.db"
    else:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        url = fresh_database(request.getfixturevalue("pg_url"), f"equals_auth_{worker}")
    s = Store(url)
    s.migrate()
    create_user(s, "amina", PASSWORD, roles=[Role.RAPPORTEUR])
    yield s
    s.dispose()


def test_sign_in_starts_a_server_side_session_and_sign_out_ends_every_copy(store: Store) -> None:
    signed = sign_in(store, "amina", PASSWORD, address="203.0.113.9", user_agent="pytest")
    assert signed.token.startswith("eqs_")
    user = session_user(store, signed.token)
    assert user is not None and user.name == "amina"
    copy = str(signed.token)  # e.g. a cookie copied off the machine
    assert sign_out(store, signed.token) is True
    assert session_user(store, copy) is None
    assert sign_out(store, copy) is False  # already ended
    assert user_sessions(store, user.id) == []


def test_sessions_expire_after_their_lifetime(store: Store) -> None:
    signed = sign_in(store, "amina", PASSWORD, at=T0)
    assert session_user(store, signed.token, at=T0 + LIFETIME - 1) is not None
    assert session_user(store, signed.token, at=T0 + LIFETIME) is None


def test_revoke_disable_and_password_change_end_sessions(store: Store) -> None:
    first = sign_in(store, "amina", PASSWORD)
    token = issue_token(store, "amina")
    assert revoke_tokens(store, "amina") == 1
    assert session_user(store, first.token) is None and user_for_token(store, token) is None

    second = sign_in(store, "amina", PASSWORD)
    api = issue_token(store, "amina")
    assert set_disabled(store, "amina", True) == (1, 1)  # one session ended, one token revoked
    assert session_user(store, second.token) is None and user_for_token(store, api) is None
    with pytest.raises(LoginFailedError):
        sign_in(store, "amina", PASSWORD)  # a disabled user cannot sign in
    assert set_disabled(store, "amina", False) == (0, 0)
    assert user_for_token(store, api) is None  # revoked tokens stay revoked after enable

    third = sign_in(store, "amina", PASSWORD)
    assert set_password(store, "amina", "a brand new passphrase") == 1
    assert session_user(store, third.token) is None
    with pytest.raises(LoginFailedError):
        sign_in(store, "amina", PASSWORD)
    assert session_user(store, sign_in(store, "amina", "a brand new passphrase").token)


def test_disabled_user_in_a_live_session_is_refused_at_once(store: Store) -> None:
    signed = sign_in(store, "amina", PASSWORD)
    from equals.store.tables.auth import users

    with store.transaction() as conn:  # disabled behind the service's back
        conn.execute(users.update().values(disabled=True))
    assert session_user(store, signed.token) is None


def test_account_throttle_counts_failures_since_the_last_success(store: Store) -> None:
    policy = ThrottlePolicy(account_limit=3, address_limit=100, window=60)
    for i in range(3):
        with pytest.raises(LoginFailedError):
            sign_in(store, "amina", "wrong password", address="a", policy=policy, at=T0 + i)
    # The 4th attempt is refused without a password check, even with the right password.
    with pytest.raises(TooManyAttemptsError) as caught:
        sign_in(store, "amina", PASSWORD, address="b", policy=policy, at=T0 + 10)
    # Hand computation: failures at T0, T0+1, T0+2; the oldest of the last 3 leaves the 60 s
    # window at T0+60, so at T0+10 the wait is 50 s.
    assert caught.value.retry_after == 50 and caught.value.code == "too-many-attempts"
    assert "this account" in str(caught.value) and "1 minute" in str(caught.value)
    # At T0+60 the first failure is out of the window: allowed again.
    assert sign_in(store, "amina", PASSWORD, address="b", policy=policy, at=T0 + 60).token
    # A success resets the account count: two more failures do not lock it.
    for i in range(2):
        with pytest.raises(LoginFailedError):
            sign_in(store, "amina", "wrong", address="c", policy=policy, at=T0 + 61 + i)
    assert sign_in(store, "amina", PASSWORD, address="c", policy=policy, at=T0 + 63).token


def test_address_throttle_covers_every_name_tried(store: Store) -> None:
    policy = ThrottlePolicy(account_limit=100, address_limit=4, window=900)
    for i, name in enumerate(["x1", "x2", "nobody", "amina"]):
        with pytest.raises(LoginFailedError):
            sign_in(store, name, "wrong password", address="198.51.100.7", policy=policy, at=T0 + i)
    with pytest.raises(TooManyAttemptsError) as caught:
        sign_in(store, "amina", PASSWORD, address="198.51.100.7", policy=policy, at=T0 + 5)
    assert "this address" in str(caught.value)
    assert caught.value.retry_after == 900 - 5  # the first failure (T0) leaves at T0+900
    # Another address is not affected.
    assert sign_in(store, "amina", PASSWORD, address="192.0.2.1", policy=policy, at=T0 + 5)


def test_every_attempt_is_audited_without_the_password(store: Store) -> None:
    policy = ThrottlePolicy(account_limit=2, address_limit=100, window=60)
    with pytest.raises(LoginFailedError):
        sign_in(store, "nobody", "guess one", address="a", policy=policy, at=T0)
    for i in range(2):
        with pytest.raises(LoginFailedError):
            sign_in(store, "amina", "guess two", address="a", policy=policy, at=T0 + i)
    with pytest.raises(TooManyAttemptsError):
        sign_in(store, "amina", PASSWORD, address="a", policy=policy, at=T0 + 3)
    ok = sign_in(store, "amina", PASSWORD, address="a", policy=policy, at=T0 + 70)
    sign_out(store, ok.token)
    entries = [e for e in audit_entries(store) if e.action.startswith("login.")]
    assert [e.action for e in reversed(entries)] == [
        "login.failure",
        "login.failure",
        "login.failure",
        "login.throttled",
        "login.success",
        "login.logout",
    ]
    reasons = [e.detail.get("reason") for e in reversed(entries) if e.action == "login.failure"]
    assert reasons == ["unknown-user", "wrong-password", "wrong-password"]
    assert all(e.detail.get("address") == "a" for e in entries if e.action != "login.logout")
    assert "guess" not in repr(entries) and PASSWORD not in repr(entries)


@pytest.mark.parametrize(
    "name",
    ["amina\x00", "\x00", "\ud800", "a" * 10_000, "amina\n", "", "ämïna", "amina' OR 1=1 --"],
)
def test_odd_names_fail_cleanly(store: Store, name: str) -> None:
    with pytest.raises(LoginFailedError):
        sign_in(store, name, PASSWORD, address="a\x00\ud800")
    entry = audit_entries(store, limit=1)[0]
    assert entry.action == "login.failure" and len(entry.detail["name"]) <= 64
    assert "\x00" not in entry.detail["name"] + entry.detail["address"]


def test_odd_tokens_are_no_session(store: Store) -> None:
    for token in ["", "eqs_", "eqs_\x00", "eqs_\ud800", "eqs_" + "x" * 5000, "not-a-token"]:
        assert session_user(store, token) is None
        assert sign_out(store, token) is False
