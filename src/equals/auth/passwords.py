"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from equals.auth.model import WeakPasswordError
from equals.core.i18n import Msg

MIN_LENGTH = 8


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(
            Msg("a password needs at least %(count)s characters", count=MIN_LENGTH)
        )


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# Verified against when the user does not exist, so both paths take an argon2 verify's time.
_DUMMY: list[str] = []


def dummy_verify(password: str) -> None:
    if not _DUMMY:
        _DUMMY.append(_hasher().hash("not a real password"))
    verify_password(_DUMMY[0], password)
