"""Sign-in and sign-out pages: throttled (429 with ``Retry-After``), audited, server-side sessions.

Thin: :func:`equals.auth.sign_in` does the work; this module renders and sets cookies.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from equals.auth import LoginFailedError, TooManyAttemptsError, sign_in
from equals.core.i18n import N_, _, ngettext
from equals.web import auth_deps as auth
from equals.web.pages import templates as jinja

router = APIRouter(include_in_schema=False)

FORM_EXPIRED = N_(
    "This form has expired or did not come from this site (missing or invalid CSRF token); "
    "reload the page and try again."
)

HTTPS_NEEDED = N_(
    "Sign-in needs HTTPS here: this server marks its cookies Secure, and browsers do not keep "
    "them over plain HTTP. Open the site with https://, or (for a test deployment on a trusted "
    "network) start the server with EQUALS_SECURE_COOKIES=0."
)


def _render(request: Request, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("user", auth.cookie_user(request))
    ctx.setdefault("csrf", auth.csrf_for(request))
    response = jinja.TemplateResponse(request, "sessions/login.html", ctx, status_code=status_code)
    auth.session_id(request, response)
    return response


def safe_next(target: str) -> str:
    """A same-site path to go to after signing in (anything else: the sessions list)."""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and len(target) <= 2000
        and target.isprintable()
    ):
        return target
    return "/sessions"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/sessions") -> HTMLResponse:
    error = str(HTTPS_NEEDED) if _https_needed(request) else None
    return _render(request, next=safe_next(next), error=error)


def _https_needed(request: Request) -> bool:
    """Secure cookies over plain HTTP: the browser would drop them and sign-in could not work."""
    return auth.cookies_secure(request) and request.url.scheme != "https"


@router.post("/login", response_class=HTMLResponse, response_model=None)
def login_submit(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/sessions",
) -> Response:
    target = safe_next(next)
    if _https_needed(request):  # before the CSRF check, which cannot pass without the cookie
        return _render(request, 400, next=target, error=str(HTTPS_NEEDED))
    if not auth.csrf_ok(request, csrf_token):
        return _render(request, 403, next=target, error=str(FORM_EXPIRED))
    try:
        signed = sign_in(
            auth.store_of(request),
            name,
            password,
            address=auth.client_address(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except TooManyAttemptsError as exc:
        refused = _render(request, 429, next=target, error=_too_many(exc))
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    except LoginFailedError:
        return _render(request, 401, next=target, error=_("Wrong name or password."))
    response = RedirectResponse(target, status_code=303)
    auth.start_browser_session(request, response, signed)
    return response


def _too_many(exc: TooManyAttemptsError) -> str:
    """The throttle's refusal in the reader's language."""
    minutes = max(1, (exc.retry_after + 59) // 60)
    if exc.scope == "from this address":
        return ngettext(
            "Too many failed sign-ins from this address; try again in %(num)s minute.",
            "Too many failed sign-ins from this address; try again in %(num)s minutes.",
            minutes,
        )
    return ngettext(
        "Too many failed sign-ins for this account; try again in %(num)s minute.",
        "Too many failed sign-ins for this account; try again in %(num)s minutes.",
        minutes,
    )


@router.post("/logout")
def logout_submit(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    if not auth.csrf_ok(request, csrf_token):
        return jinja.TemplateResponse(
            request,
            "sessions/message.html",
            {"message": str(FORM_EXPIRED), "user": auth.cookie_user(request),
             "csrf": auth.csrf_for(request)},
            status_code=403,
        )  # fmt: skip
    response = RedirectResponse("/sessions", status_code=303)
    auth.end_browser_session(request, response)
    return response
