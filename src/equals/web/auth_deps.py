"""Who is asking: the login cookie (pages, with CSRF on every form) or a bearer token (API).

The signing secret is ``Settings.secret_key`` (``$EQUALS_SECRET_KEY`` through
``Settings.from_env``), else a random per-process secret (logins then end on restart).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response

from equals.auth import Signer, User, csrf_token, user_for_token, verify_csrf
from equals.auth.users import user_by_id
from equals.store import Store

AUTH_COOKIE = "eqh_auth"
SID_COOKIE = "eqh_sid"
MAX_AGE = 12 * 3600


def secret(request: Request) -> str:
    state = request.app.state
    if getattr(state, "auth_secret", None) is None:
        state.auth_secret = state.settings.secret_key or secrets.token_urlsafe(32)
    value: str = state.auth_secret
    return value


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def session_id(request: Request, response: Response | None = None) -> str:
    """The browser's random id (set on first visit): the CSRF token is bound to it."""
    sid = request.cookies.get(SID_COOKIE)
    if not sid:
        sid = getattr(request.state, "new_sid", None) or secrets.token_urlsafe(24)
        request.state.new_sid = sid
    if response is not None and request.cookies.get(SID_COOKIE) != sid:
        set_cookie(response, SID_COOKIE, sid)
    return sid


def set_cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="lax", max_age=MAX_AGE, path="/")


def csrf_for(request: Request) -> str:
    return csrf_token(secret(request), session_id(request))


def check_csrf(request: Request, token: str | None) -> None:
    if not verify_csrf(secret(request), request.cookies.get(SID_COOKIE), token):
        raise HTTPException(403, "missing or invalid CSRF token; reload the form")


def login(request: Request, response: Response, user: User) -> None:
    """Log in: a fresh browser id (so old CSRF tokens die) and a signed cookie bound to it."""
    sid = secrets.token_urlsafe(24)
    request.state.new_sid = sid
    set_cookie(response, SID_COOKIE, sid)
    set_cookie(
        response, AUTH_COOKIE, Signer(secret(request), salt="login").sign(f"{user.id}|{sid}")
    )


def logout(response: Response) -> None:
    response.delete_cookie(AUTH_COOKIE, path="/")
    response.delete_cookie(SID_COOKIE, path="/")


def cookie_user(request: Request) -> User | None:
    raw = request.cookies.get(AUTH_COOKIE)
    if not raw:
        return None
    value = Signer(secret(request), salt="login").unsign(raw, max_age=MAX_AGE)
    if value is None:
        return None
    uid, _, sid = value.partition("|")
    if not uid.isdigit() or sid != request.cookies.get(SID_COOKIE):
        return None
    user = user_by_id(store_of(request), int(uid))
    return None if user is None or user.disabled else user


def bearer_user(request: Request) -> User:
    """The API's writer: ``Authorization: Bearer <token>`` of a user who may file reports."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
    user = user_for_token(store_of(request), token.strip())
    if user is None:
        raise HTTPException(401, "invalid or revoked token", {"WWW-Authenticate": "Bearer"})
    if not user.can_file_sessions:
        raise HTTPException(403, "this user may not file session reports")
    return user


BearerUser = Annotated[User, Depends(bearer_user)]
