"""Users with argon2id hashes, roles as grants (scoped partner-editor), bearer tokens stored
only as hashes, signed cookies and CSRF tokens, and the audit log."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from equals.auth import (
    Actor,
    Grant,
    Role,
    Signer,
    UnknownUserError,
    UserExistsError,
    WeakPasswordError,
    audit_entries,
    authenticate,
    create_user,
    csrf_token,
    get_user,
    issue_token,
    revoke_tokens,
    set_password,
    user_for_token,
    verify_csrf,
)
from equals.store import Store
from equals.store.tables.auth import api_tokens, users


def test_passwords_are_argon2id_hashes(fresh_store: Store) -> None:
    create_user(fresh_store, "amina", "correct horse battery")
    with fresh_store.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert authenticate(fresh_store, "amina", "correct horse battery") is not None
    assert authenticate(fresh_store, "amina", "wrong password!") is None
    assert authenticate(fresh_store, "nobody", "correct horse battery") is None
    set_password(fresh_store, "amina", "another long one")
    assert authenticate(fresh_store, "amina", "correct horse battery") is None
    assert authenticate(fresh_store, "amina", "another long one") is not None


def test_user_errors(fresh_store: Store) -> None:
    create_user(fresh_store, "amina", "correct horse battery")
    with pytest.raises(UserExistsError):
        create_user(fresh_store, "amina", "correct horse battery")
    with pytest.raises(WeakPasswordError):
        create_user(fresh_store, "bob", "short")
    with pytest.raises(UnknownUserError):
        get_user(fresh_store, "nobody")
    with pytest.raises(Exception, match="invalid user name"):
        create_user(fresh_store, "bad name!", "correct horse battery")


def test_roles_are_grants_and_partner_editor_is_scoped(fresh_store: Store) -> None:
    admin = create_user(fresh_store, "root", "correct horse battery", roles=[Role.ADMIN])
    rap = create_user(fresh_store, "amina", "correct horse battery")
    editor = create_user(
        fresh_store,
        "gsma-ed",
        "correct horse battery",
        roles=[Grant(Role.PARTNER_EDITOR, "gsma")],
    )
    assert admin.can_file_sessions and admin.can_edit_organization("gsma")
    assert rap.can_file_sessions and not rap.can_edit_organization("gsma")
    assert not editor.can_file_sessions
    assert editor.can_edit_organization("gsma") and not editor.can_edit_organization("itu")
    with pytest.raises(Exception, match="unknown organisation"):
        create_user(fresh_store, "x-ed", "correct horse battery",
                    roles=[Grant(Role.PARTNER_EDITOR, "no-such-org")])  # fmt: skip
    again = get_user(fresh_store, "gsma-ed")
    assert again.grants == (Grant(Role.PARTNER_EDITOR, "gsma"),)


def test_tokens_are_stored_hashed_and_can_be_revoked(fresh_store: Store) -> None:
    create_user(fresh_store, "amina", "correct horse battery")
    token = issue_token(fresh_store, "amina", label="laptop")
    with fresh_store.connect() as conn:
        row = conn.execute(select(api_tokens)).one()
    assert token not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    user = user_for_token(fresh_store, token)
    assert user is not None and user.name == "amina"
    assert user_for_token(fresh_store, token + "x") is None
    assert user_for_token(fresh_store, "not-a-token") is None
    assert revoke_tokens(fresh_store, "amina") == 1
    assert user_for_token(fresh_store, token) is None


def test_every_write_is_audited(fresh_store: Store) -> None:
    create_user(fresh_store, "root", "correct horse battery", roles=[Role.ADMIN])
    root = Actor.of(get_user(fresh_store, "root"))
    create_user(fresh_store, "amina", "correct horse battery", actor=root)
    issue_token(fresh_store, "amina", actor=root)
    entries = audit_entries(fresh_store)
    assert [e.action for e in entries] == ["token.issue", "user.create", "user.create"]
    assert entries[0].actor == "root" and entries[0].user_id == root.user_id
    assert entries[-1].actor.startswith("cli:")
    assert "correct horse" not in repr(entries)


def test_signer_and_csrf() -> None:
    signer = Signer("a secret of sufficient length")
    signed = signer.sign("42|abc")
    assert signer.unsign(signed) == "42|abc"
    assert signer.unsign(signed[:-2] + "xx") is None
    assert Signer("another secret, also long").unsign(signed) is None
    old = signer.sign("42", at=time.time() - 3600)
    assert signer.unsign(old, max_age=60) is None and signer.unsign(old) == "42"
    assert signer.unsign("garbage") is None and signer.unsign("a.b.c") is None
    token = csrf_token("a secret of sufficient length", "sid-1")
    assert verify_csrf("a secret of sufficient length", "sid-1", token)
    assert not verify_csrf("a secret of sufficient length", "sid-2", token)
    assert not verify_csrf("a secret of sufficient length", None, token)
    with pytest.raises(ValueError):
        Signer("short")
