"""Session pages: the list (filters + full-text search with highlights), a page per session,
login/logout, and the rapporteur form (guidance beside each field, validation as you type,
login + CSRF required). Routes are thin: they call :mod:`equals.sessions` and render."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from equals.archive.filing import EventRef, file_report
from equals.archive.repository import (
    SessionFilter,
    get_session,
    list_events,
    list_sessions,
    session_report,
)
from equals.archive.search import search_sessions
from equals.auth import Actor, authenticate
from equals.core.errors import EqualsError
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.sessions.export import field_values
from equals.sessions.form import report_from_fields
from equals.sessions.template import load_template, templates
from equals.sessions.validate import validate_report
from equals.web import auth_deps as auth
from equals.web.pages import templates as jinja

router = APIRouter(include_in_schema=False)


def _render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("user", auth.cookie_user(request))
    ctx.setdefault("csrf", auth.csrf_for(request))
    response = jinja.TemplateResponse(request, name, ctx, status_code=status_code)
    auth.session_id(request, response)  # set the browser id cookie on first visit
    return response


def _choice(enum: Any, value: str | None) -> Any:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


@router.get("/sessions", response_class=HTMLResponse)
def sessions_page(
    request: Request,
    q: str = "",
    event: str = "",
    year: str = "",
    area: str = "",
    stakeholder: str = "",
) -> HTMLResponse:
    store = auth.store_of(request)
    f = SessionFilter(
        event=event or None,
        year=int(year) if year.isdigit() else None,
        area=_choice(Pillar, area),
        stakeholder=_choice(StakeholderGroup, stakeholder),
    )
    hits = search_sessions(store, q, f) if q.strip() else None
    rows = list_sessions(store, f) if hits is None else [h.session for h in hits]
    return _render(
        request,
        "sessions/list.html",
        nav="sessions",
        q=q,
        filters={"event": event, "year": year, "area": area, "stakeholder": stakeholder},
        hits=hits,
        rows=rows,
        events=list_events(store),
        areas=list(Pillar),
        groups=list(StakeholderGroup),
    )


@router.get("/sessions/new", response_class=HTMLResponse, response_model=None)
def new_session_form(request: Request, template: str = "igf-2016-workshop") -> Response:
    if auth.cookie_user(request) is None:
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    tmpl = load_template(template if template in templates() else "igf-2016-workshop")
    return _render(
        request,
        "sessions/form.html",
        nav="sessions",
        template=tmpl,
        templates=list(templates().values()),
        values={},
        event="IGF",
        year="",
        findings=None,
    )


@router.post("/sessions/new", response_class=HTMLResponse, response_model=None)
async def new_session_submit(request: Request) -> Response:
    form = await request.form()
    auth.check_csrf(request, str(form.get("csrf_token") or ""))
    user = auth.cookie_user(request)
    if user is None:
        return RedirectResponse("/login?next=/sessions/new", status_code=303)
    if not user.can_file_sessions:
        return _render(request, "sessions/message.html", 403, message="You may not file reports.")
    template_id = str(form.get("template") or "igf-2016-workshop")
    tmpl = load_template(template_id if template_id in templates() else "igf-2016-workshop")
    values = {f.id: str(form.get(f"field_{f.id}") or "") for f in tmpl.fields}
    event, year = str(form.get("event") or "IGF").strip() or "IGF", str(form.get("year") or "")
    report = report_from_fields(tmpl.id, values)
    validation = validate_report(report, tmpl)
    the_year = int(year) if year.isdigit() else (int(report.date[:4]) if report.date else None)
    error = None
    if the_year is None:
        error = "Give the event's year (or a date in the report)."
    else:
        try:
            filed = file_report(
                auth.store_of(request),
                report,
                actor=Actor.of(user),
                event=EventRef(event, the_year),
                validation=validation,
            )
            return RedirectResponse(f"/sessions/{filed.session_id}", status_code=303)
        except EqualsError as exc:
            error = str(exc)
    return _render(
        request,
        "sessions/form.html",
        422,
        nav="sessions",
        template=tmpl,
        templates=list(templates().values()),
        values=values,
        event=event,
        year=year,
        findings=validation.to_record()["findings"],
        error=error,
    )


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(
    request: Request, session_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> HTMLResponse:
    store = auth.store_of(request)
    try:
        detail = get_session(store, session_id)
    except EqualsError:
        return _render(request, "not_found.html", 404, kind="session", value=str(session_id))
    report = session_report(store, session_id)
    tmpl = load_template(detail.summary.template_id)
    sections = [(f.label, f.kind.value, field_values(report, f)) for f in tmpl.fields]
    sections += [(e.label, e.kind, [e.text]) for e in report.extra if tmpl.field(e.id) is None]
    return _render(
        request,
        "sessions/session.html",
        nav="sessions",
        s=detail.summary,
        d=detail,
        rec=detail.to_record(),
        sections=sections,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/sessions") -> HTMLResponse:
    return _render(request, "sessions/login.html", next=next if next.startswith("/") else "/")


@router.post("/login", response_class=HTMLResponse, response_model=None)
def login_submit(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/sessions",
) -> Response:
    auth.check_csrf(request, csrf_token)
    user = authenticate(auth.store_of(request), name, password)
    target = next if next.startswith("/") and not next.startswith("//") else "/sessions"
    if user is None:
        return _render(
            request, "sessions/login.html", 401, next=target, error="Wrong name or password."
        )
    response = RedirectResponse(target, status_code=303)
    auth.login(request, response, user)
    return response


@router.post("/logout")
def logout_submit(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    auth.check_csrf(request, csrf_token)
    response = RedirectResponse("/sessions", status_code=303)
    auth.logout(response)
    return response


def filter_url(**params: str) -> str:
    return "/sessions?" + urlencode({k: v for k, v in params.items() if v})


jinja.env.globals.update(filter_url=filter_url)
