"""Users: ``equals users add|list|token|revoke|disable|enable|password|sessions``.

Every change is in the audit log under the operator (``cli:<os user>``). Disabling a user ends
their browser sessions and revokes their API tokens; ``revoke`` revokes the tokens and ends the
sessions; a password change ends the sessions. Exit codes: 0 success; 2 bad input (an unknown
user, a weak password).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from equals.auth import (
    Grant,
    Role,
    create_user,
    get_user,
    issue_token,
    list_users,
    revoke_tokens,
    set_disabled,
    set_password,
    user_sessions,
)
from equals.cli.app import app
from equals.cli.common import DbOption, FormatOption, OutputFormat, emit, fail, out
from equals.core.errors import EqualsError, message_of
from equals.core.i18n import _
from equals.settings import default_db_url
from equals.store import Store

users_app = typer.Typer(help="Users who file reports: roles, passwords, API tokens, sessions.")
app.add_typer(users_app, name="users", no_args_is_help=True)

NameArg = Annotated[str, typer.Argument(help="User name.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _store(db: str | None) -> Store:
    store = Store(db or default_db_url())
    store.migrate()
    return store


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[
        list[Role], typer.Option("--role", help="admin, rapporteur or partner-editor (repeatable).")
    ] = [Role.RAPPORTEUR],  # noqa: B006 - Typer reads list defaults
    organization: Annotated[
        str | None,
        typer.Option("--organization", help="Organisation id a partner-editor may edit."),
    ] = None,
    password_stdin: PasswordStdin = False,
    db: DbOption = None,
) -> None:
    """Create a user (asks for the password twice, or reads it from stdin)."""
    grants = [Grant(r, organization if r is Role.PARTNER_EDITOR else None) for r in role]
    if any(g.role is Role.PARTNER_EDITOR and not g.organization_id for g in grants):
        raise fail(_("a partner-editor needs --organization"))
    store = _store(db)
    try:
        user = create_user(store, name, _password(password_stdin), roles=grants)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    out.print(
        _("user %(name)s created (%(roles)s)", name=user.name, roles=", ".join(user.roles)),
        highlight=False,
    )


@users_app.command("token")
def users_token(
    name: NameArg,
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "",
    db: DbOption = None,
) -> None:
    """Issue a bearer API token (printed once; only its hash is stored)."""
    try:
        token = issue_token(_store(db), name, label=label)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    sys.stdout.write(token + "\n")


@users_app.command("revoke")
def users_revoke(name: NameArg, db: DbOption = None) -> None:
    """Revoke all of a user's API tokens and end their browser sessions."""
    store = _store(db)
    try:
        live = len(user_sessions(store, get_user(store, name).id))
        n = revoke_tokens(store, name)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    out.print(
        _(
            "%(tokens)s token(s) revoked, %(sessions)s browser session(s) ended",
            tokens=n,
            sessions=live,
        ),
        highlight=False,
    )


@users_app.command("disable")
def users_disable(name: NameArg, db: DbOption = None) -> None:
    """Disable a user: no sign-in, sessions ended, API tokens revoked (until enable)."""
    try:
        ended, revoked = set_disabled(_store(db), name, True)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    out.print(
        _(
            "user %(name)s disabled: %(sessions)s browser session(s) ended, "
            "%(tokens)s token(s) revoked",
            name=name,
            sessions=ended,
            tokens=revoked,
        ),
        highlight=False,
        markup=False,
    )


@users_app.command("enable")
def users_enable(name: NameArg, db: DbOption = None) -> None:
    """Enable a disabled user again (revoked tokens stay revoked: issue new ones)."""
    try:
        set_disabled(_store(db), name, False)
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    out.print(_("user %(name)s enabled", name=name), highlight=False, markup=False)


@users_app.command("password")
def users_password(
    name: NameArg, password_stdin: PasswordStdin = False, db: DbOption = None
) -> None:
    """Set a user's password (asks twice, or reads stdin); ends their browser sessions."""
    store = _store(db)
    try:
        get_user(store, name)
        ended = set_password(store, name, _password(password_stdin))
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    out.print(
        _(
            "password of %(name)s changed; %(sessions)s browser session(s) ended",
            name=name,
            sessions=ended,
        ),
        highlight=False,
        markup=False,
    )


@users_app.command("sessions")
def users_sessions(
    name: NameArg, format: FormatOption = OutputFormat.table, db: DbOption = None
) -> None:
    """A user's live browser sessions: when they started, last seen, from where."""
    store = _store(db)
    try:
        rows = [
            {
                "started": s.created_at,
                "last_seen": s.last_seen_at,
                "address": s.address,
                "user_agent": s.user_agent,
            }
            for s in user_sessions(store, get_user(store, name).id)
        ]
    except EqualsError as exc:
        raise fail(message_of(exc)) from exc
    emit(rows, format, ["started", "last_seen", "address", "user_agent"], title=_("Sessions"))


@users_app.command("list")
def users_list(format: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """List users and their roles."""
    rows = [
        {
            "name": u.name,
            "roles": [g.role.value + (f"@{g.organization_id}" if g.organization_id else "")
                      for g in u.grants],
            "disabled": u.disabled,
        }
        for u in list_users(_store(db))
    ]  # fmt: skip
    emit(rows, format, ["name", "roles", "disabled"], title=_("Users"))
