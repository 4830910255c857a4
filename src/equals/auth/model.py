"""Users, roles (grants), the actor behind a write, and the errors of this package."""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from enum import StrEnum

from equals.core.errors import EqualsError, NotFoundError


class Role(StrEnum):
    ADMIN = "admin"
    RAPPORTEUR = "rapporteur"
    # Later: edits only its own organisation's records (a grant with organization_id).
    PARTNER_EDITOR = "partner-editor"


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    organization_id: str | None = None  # the scope of an organisation-bound role


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    grants: tuple[Grant, ...] = ()
    disabled: bool = False

    @property
    def roles(self) -> tuple[Role, ...]:
        return tuple(dict.fromkeys(g.role for g in self.grants))

    def has_role(self, role: Role) -> bool:
        return not self.disabled and any(g.role is role for g in self.grants)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def can_file_sessions(self) -> bool:
        return self.is_admin or self.has_role(Role.RAPPORTEUR)

    def can_edit_organization(self, organization_id: str) -> bool:
        """Admins edit any organisation; a partner editor only the one(s) granted."""
        return self.is_admin or any(
            g.role is Role.PARTNER_EDITOR and g.organization_id == organization_id
            for g in self.grants
            if not self.disabled
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a write: a user, or the operator at the command line (``cli:<os user>``)."""

    name: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.name, user.id)

    @classmethod
    def cli(cls) -> Actor:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers)
            who = "unknown"
        return cls(f"cli:{who}")


def now() -> str:
    """UTC timestamp, ISO 8601 to the second (sorts as text on every database)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class AuthError(EqualsError):
    code = "auth-error"


class NotAuthorisedError(AuthError):
    code = "not-authorised"


class WeakPasswordError(AuthError):
    code = "weak-password"


class UserExistsError(AuthError):
    code = "user-exists"


class UnknownUserError(NotFoundError):
    code = "unknown-user"

    def __init__(self, value: str) -> None:
        super().__init__("user", value)
