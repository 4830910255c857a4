"""Who is asking: the login cookie (pages, with CSRF on every form) or a bearer token (API).

The login cookie holds the random token of a server-side browser session
(:mod:`equals.auth.browser`): signing out, revoking or disabling the user, or changing their
password ends it for every copy of the cookie. CSRF tokens are the HMAC of the browser's random
id cookie, signed with ``Settings.secret_key`` (``$EQUALS_SECRET_KEY``), else a random
per-process secret (forms opened before a restart then need a reload).

Cookies are ``HttpOnly``, ``SameSite=Lax``, and ``Secure`` when ``Settings.secure_cookies`` is
true, or when it is ``None`` (auto) and the request came over HTTPS.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response

from equals.auth import SignedIn, User, csrf_token, session_user, sign_out, user_for_token
from equals.auth import verify_csrf as _verify_csrf
from equals.auth.browser import LIFETIME, start_session
from equals.core.i18n import Msg
from equals.store import Store

AUTH_COOKIE = "eqh_auth"
SID_COOKIE = "eqh_sid"
MAX_AGE = LIFETIME


def secret(request: Request) -> str:
    state = request.app.state
    if getattr(state, "auth_secret", None) is None:
        state.auth_secret = state.settings.secret_key or secrets.token_urlsafe(32)
    value: str = state.auth_secret
    return value


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def client_address(request: Request) -> str:
    """The client's address (uvicorn puts a trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else ""


def cookies_secure(request: Request) -> bool:
    """Whether cookies get the ``Secure`` flag for this request (see the module docstring)."""
    setting: bool | None = getattr(request.app.state.settings, "secure_cookies", None)
    if setting is not None:
        return setting
    return request.url.scheme == "https"


def session_id(request: Request, response: Response | None = None) -> str:
    """The browser's random id (set on first visit): the CSRF token is bound to it."""
    sid = request.cookies.get(SID_COOKIE)
    if not sid:
        sid = getattr(request.state, "new_sid", None) or secrets.token_urlsafe(24)
        request.state.new_sid = sid
    if response is not None and request.cookies.get(SID_COOKIE) != sid:
        set_cookie(response, SID_COOKIE, sid, request=request)
    return sid


def set_cookie(
    response: Response, name: str, value: str, *, request: Request | None = None
) -> None:
    secure = cookies_secure(request) if request is not None else False
    response.set_cookie(
        name, value, httponly=True, samesite="lax", max_age=MAX_AGE, path="/", secure=secure
    )


def csrf_for(request: Request) -> str:
    return csrf_token(secret(request), session_id(request))


class LazyCsrf:
    """A page's CSRF token, computed only when a template renders it (``{{ csrf }}``).

    Read-only pages render no token, so they need no browser id: with
    :func:`remember_browser` they set no cookie, and anonymous visitors get the same cacheable
    page (:mod:`equals.web.page_cache`)."""

    __slots__ = ("_request",)

    def __init__(self, request: Request) -> None:
        self._request = request

    def __str__(self) -> str:
        return csrf_for(self._request)

    def __html__(self) -> str:  # Jinja autoescape: the token is URL-safe base64 already
        return str(self)


def remember_browser(request: Request, response: Response) -> None:
    """Set the browser id cookie when this response rendered a CSRF token for a browser that
    has none yet (see :class:`LazyCsrf`)."""
    sid = getattr(request.state, "new_sid", None)
    if sid and request.cookies.get(SID_COOKIE) != sid:
        set_cookie(response, SID_COOKIE, sid, request=request)


CSRF_MESSAGE = Msg("missing or invalid CSRF token; reload the form")


def csrf_ok(request: Request, token: str | None) -> bool:
    return _verify_csrf(secret(request), request.cookies.get(SID_COOKIE), token)


def check_csrf(request: Request, token: str | None) -> None:
    if not csrf_ok(request, token):
        raise HTTPException(403, CSRF_MESSAGE)


def start_browser_session(request: Request, response: Response, signed: SignedIn) -> None:
    """After a successful sign-in: the session cookie and a fresh browser id (old CSRF tokens
    die with the old id)."""
    sid = secrets.token_urlsafe(24)
    request.state.new_sid = sid
    set_cookie(response, SID_COOKIE, sid, request=request)
    set_cookie(response, AUTH_COOKIE, signed.token, request=request)


def login(request: Request, response: Response, user: User) -> None:
    """Start a session for an already-authenticated user (prefer :func:`equals.auth.sign_in`,
    which also throttles and audits, with :func:`start_browser_session`)."""
    with store_of(request).transaction() as conn:
        token = start_session(conn, user.id, address=client_address(request))
    start_browser_session(request, response, SignedIn(user, token))


def end_browser_session(request: Request, response: Response) -> None:
    """Sign out: end the server-side session, then drop the cookies."""
    token = request.cookies.get(AUTH_COOKIE)
    if token:
        sign_out(store_of(request), token)
    logout(response)


def logout(response: Response) -> None:
    """Drop the cookies (the server-side session is ended by :func:`end_browser_session`)."""
    response.delete_cookie(AUTH_COOKIE, path="/")
    response.delete_cookie(SID_COOKIE, path="/")


def cookie_user(request: Request) -> User | None:
    """The user of the request's live browser session, else ``None`` (cached per request)."""
    if hasattr(request.state, "cookie_user"):
        cached: User | None = request.state.cookie_user
        return cached
    token = request.cookies.get(AUTH_COOKIE)
    user = session_user(store_of(request), token) if token else None
    request.state.cookie_user = user
    return user


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
