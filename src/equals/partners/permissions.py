"""Who may write what in the partnership registry.

The rule, one table (``RULES``): admins may do everything; a partner-editor only what belongs to
the organisation(s) of their grants (their partner record, and the initiatives their
organisation leads, with progress reports and session links); rapporteurs file session reports
and have no registry rights. ``user=None`` is the operator at the command line (trusted, like
``equals users add``); the web adapters always pass a user.
"""

from __future__ import annotations

from enum import StrEnum

from equals.auth import Role, User
from equals.core.errors import PermissionDeniedError
from equals.core.i18n import Msg


class Action(StrEnum):
    CREATE_PARTNER = "partner.create"
    UPDATE_PARTNER = "partner.update"
    MERGE_ORGANIZATIONS = "organization.merge"
    WRITE_COALITION = "coalition.write"
    WRITE_GOVERNANCE = "governance.write"
    CREATE_INITIATIVE = "initiative.create"
    UPDATE_INITIATIVE = "initiative.update"
    REPORT_PROGRESS = "progress.create"
    DECIDE_SESSION_LINK = "session-link.decide"


ACTION_WORDS: dict[Action, Msg] = {
    # English: the action's code in words ("partner create"), as messages always said it.
    Action.CREATE_PARTNER: Msg("partner create"),
    Action.UPDATE_PARTNER: Msg("partner update"),
    Action.MERGE_ORGANIZATIONS: Msg("organization merge"),
    Action.WRITE_COALITION: Msg("coalition write"),
    Action.WRITE_GOVERNANCE: Msg("governance write"),
    Action.CREATE_INITIATIVE: Msg("initiative create"),
    Action.UPDATE_INITIATIVE: Msg("initiative update"),
    Action.REPORT_PROGRESS: Msg("progress create"),
    Action.DECIDE_SESSION_LINK: Msg("session-link decide"),
}
"""What each action is called in a refusal ("user 'x' may not partner update: …")."""

OWN_ORGANIZATION = frozenset(
    {
        Action.UPDATE_PARTNER,
        Action.CREATE_INITIATIVE,
        Action.UPDATE_INITIATIVE,
        Action.REPORT_PROGRESS,
        Action.DECIDE_SESSION_LINK,
    }
)
"""Actions a partner-editor may take on their own organisation's records (admins: all)."""

RULES: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.PARTNER_EDITOR: OWN_ORGANIZATION,
    Role.RAPPORTEUR: frozenset(),
}


def allowed(user: User | None, action: Action, organization_id: str | None) -> bool:
    """Whether ``user`` may take ``action`` on a record of ``organization_id``."""
    if user is None:
        return True
    if user.disabled:
        return False
    if user.is_admin:
        return True
    if action not in RULES[Role.PARTNER_EDITOR] or organization_id is None:
        return False
    return any(
        g.role is Role.PARTNER_EDITOR and g.organization_id == organization_id for g in user.grants
    )


def require(user: User | None, action: Action, organization_id: str | None) -> None:
    """Raise :class:`PermissionDeniedError` (HTTP 403) unless :func:`allowed`."""
    if allowed(user, action, organization_id):
        return
    assert user is not None
    raise PermissionDeniedError(_refusal(user.name, action, organization_id))


def _refusal(name: str, action: Action, organization_id: str | None) -> Msg:
    """The refusal, one whole sentence per case (the action is named by its code's words)."""
    user, what = repr(name), ACTION_WORDS[action]
    if organization_id is None:
        if action not in OWN_ORGANIZATION:
            return Msg("user %(user)s may not %(action)s: only admins may", user=user, action=what)
        return Msg(
            "user %(user)s may not %(action)s: a partner-editor edits only their own "
            "organisation's records",
            user=user,
            action=what,
        )
    org = repr(organization_id)
    if action not in OWN_ORGANIZATION:
        return Msg(
            "user %(user)s may not %(action)s of organisation %(org)s: only admins may",
            user=user,
            action=what,
            org=org,
        )
    return Msg(
        "user %(user)s may not %(action)s of organisation %(org)s: a partner-editor edits only "
        "their own organisation's records",
        user=user,
        action=what,
        org=org,
    )


def may_write_any(user: User | None) -> bool:
    """Whether the user holds any registry right at all (for showing edit links)."""
    return user is None or user.is_admin or user.has_role(Role.PARTNER_EDITOR)
