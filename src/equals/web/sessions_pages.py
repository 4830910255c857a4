"""Session pages: the list (filters + full-text search with highlights), a page per session,
login/logout, and the rapporteur form (guidance beside each field, validation as you type,
login + CSRF required). Routes are thin: they call :mod:`equals.sessions` and render."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from equals.archive.access import may_revise
from equals.archive.filing import EventRef, file_report
from equals.archive.repository import (
    SessionFilter,
    get_session,
    list_events,
    list_sessions,
    session_report,
)
from equals.archive.rules import YEAR_MAX, YEAR_MIN, check_texts, event_year, parse_year
from equals.archive.search import search_sessions
from equals.auth import Actor, User, authenticate
from equals.core.errors import (
    EditConflictError,
    EqualsError,
    PermissionDeniedError,
    ValidationError,
    message_of,
)
from equals.core.i18n import _
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.sessions.export import field_values
from equals.sessions.form import report_from_fields
from equals.sessions.model import ParsedReport
from equals.sessions.template import ReportTemplate, load_template, templates
from equals.sessions.validate import validate_report
from equals.web import auth_deps as auth
from equals.web import sessions_participation as participation_web
from equals.web import sessions_people_pages as people_pages
from equals.web.pages import templates as jinja
from equals.web.sessions_models import MAX_FIELD
from equals.web.sessions_words import (
    area_label,
    group_label,
    role_label,
    severity_label,
    stored_findings,
)

router = APIRouter(include_in_schema=False)
DEFAULT_TEMPLATE = "igf-2016-workshop"


def _render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("user", auth.cookie_user(request))
    ctx.setdefault("csrf", auth.LazyCsrf(request))
    response = jinja.TemplateResponse(request, name, ctx, status_code=status_code)
    auth.remember_browser(request, response)  # the browser id cookie, when a form was rendered
    return response


def _message(request: Request, status: int, message: str) -> HTMLResponse:
    return _render(request, "sessions/message.html", status, message=message)


def _choice(enum: Any, value: str | None) -> Any:
    try:
        return enum(value) if value else None
    except ValueError:
        return None


def _session_id(text: str) -> int | None:
    """A session id from the URL: 1 to 2³¹−1 in ASCII digits, else None (a 404 page)."""
    if text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) < 2**31:
        return int(text)
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
    error, hits, rows, status = None, None, [], 200
    try:
        check_texts({"q": q, "event": event}, "")
        f = SessionFilter(
            event=event[:200] or None,
            year=parse_year(year),
            area=_choice(Pillar, area),
            stakeholder=_choice(StakeholderGroup, stakeholder),
        )
        hits = search_sessions(store, q[:500], f) if q.strip() else None
        rows = list_sessions(store, f) if hits is None else [h.session for h in hits]
    except ValidationError as exc:
        error, status = message_of(exc), 422
    return _render(
        request,
        "sessions/list.html",
        status,
        nav="sessions",
        q=q,
        filters={"event": event, "year": year, "area": area, "stakeholder": stakeholder},
        hits=hits,
        rows=rows,
        events=list_events(store),
        areas=list(Pillar),
        groups=list(StakeholderGroup),
        error=error,
    )


def _template(template_id: str) -> ReportTemplate:
    return load_template(template_id if template_id in templates() else DEFAULT_TEMPLATE)


def _form(request: Request, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("values", {})
    ctx.setdefault("findings", None)
    ctx.setdefault("session", None)
    ctx.setdefault("edit_version", None)
    ctx.setdefault("conflict", None)
    ctx.setdefault("event", "IGF")
    ctx.setdefault("year", "")
    ctx.setdefault("year_range", (YEAR_MIN, YEAR_MAX))
    return _render(
        request,
        "sessions/form.html",
        status,
        nav="sessions",
        templates=list(templates().values()),
        **ctx,
    )


def _login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)


@router.get("/sessions/new", response_class=HTMLResponse, response_model=None)
def new_session_form(request: Request, template: str = DEFAULT_TEMPLATE) -> Response:
    if auth.cookie_user(request) is None:
        return _login_redirect(request)
    return _form(request, template=_template(template))


def _submitted(
    request: Request, form: FormData
) -> tuple[User | None, dict[str, str], ReportTemplate]:
    auth.check_csrf(request, str(form.get("csrf_token") or ""))
    tmpl = _template(str(form.get("template") or DEFAULT_TEMPLATE))
    values = {f.id: str(form.get(f"field_{f.id}") or "")[:MAX_FIELD] for f in tmpl.fields}
    values["__event"] = str(form.get("event") or "IGF").strip()[:200] or "IGF"
    values["__year"] = str(form.get("year") or "")[:40]
    values["__version"] = str(form.get("version") or "")[:12]
    return auth.cookie_user(request), values, tmpl


def _fields(values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if not k.startswith("__")}


@router.post("/sessions/new", response_class=HTMLResponse, response_model=None)
async def new_session_submit(request: Request) -> Response:
    # The form is read on the event loop; the database work runs in the thread pool.
    form = await request.form()
    return await run_in_threadpool(_new_session_submit, request, form)


def _new_session_submit(request: Request, form: FormData) -> Response:
    user, values, tmpl = _submitted(request, form)
    if user is None:
        return RedirectResponse("/login?next=/sessions/new", status_code=303)
    if not user.can_file_sessions:
        return _message(request, 403, _("You may not file reports."))
    event, year = values["__event"], values["__year"]
    error, findings, status = None, None, 422
    try:
        check_texts(values, "")
        report = report_from_fields(tmpl.id, _fields(values))
        validation = validate_report(report, tmpl)
        findings = [f.shown() for f in validation.findings]
        the_year = parse_year(year) or event_year(report)
        if the_year is None:
            raise ValidationError(
                _(
                    "give the event's year (%(first)s–%(last)s) or a date in the report",
                    first=YEAR_MIN,
                    last=YEAR_MAX,
                ),
                location="year",
            )
        filed = file_report(
            auth.store_of(request),
            report,
            actor=Actor.of(user),
            event=EventRef(event, the_year),
            validation=validation,
            user=user,
        )
        return RedirectResponse(f"/sessions/{filed.session_id}", status_code=303)
    except PermissionDeniedError as exc:
        error, status = message_of(exc), 403
    except EqualsError as exc:
        error = message_of(exc)
    return _form(
        request,
        status,
        template=tmpl,
        values=_fields(values),
        event=event,
        year=year,
        findings=findings,
        error=error,
    )


def _values(report: ParsedReport, tmpl: ReportTemplate) -> dict[str, str]:
    """The report's fields as the form shows them (one item per line, blank line between
    paragraphs)."""
    out = {}
    for f in tmpl.fields:
        items = field_values(report, f)
        out[f.id] = ("\n\n" if f.kind.value == "paragraphs" else "\n").join(items)
    return out


@router.get("/sessions/{session_id}/edit", response_class=HTMLResponse, response_model=None)
def edit_session_form(request: Request, session_id: str) -> Response:
    sid = _session_id(session_id)
    user = auth.cookie_user(request)
    if user is None:
        return _login_redirect(request)
    store = auth.store_of(request)
    try:
        if sid is None:
            raise ValidationError("no such session")
        detail = get_session(store, sid)
        with store.connect() as conn:
            allowed = may_revise(conn, user, sid)
    except EqualsError:
        return _render(request, "not_found.html", 404, kind="session", value=session_id[:40])
    if not allowed:
        return _message(
            request, 403, _("You may revise only the reports you filed or were granted.")
        )
    tmpl = _template(detail.summary.template_id)
    return _form(
        request,
        template=tmpl,
        values=_values(detail.report, tmpl),
        event=detail.summary.event,
        year=str(detail.summary.year),
        session=detail.summary,
        edit_version=detail.summary.version,
    )


@router.post("/sessions/{session_id}/edit", response_class=HTMLResponse, response_model=None)
async def edit_session_submit(request: Request, session_id: str) -> Response:
    form = await request.form()
    return await run_in_threadpool(_edit_session_submit, request, session_id, form)


def _edit_session_submit(request: Request, session_id: str, form: FormData) -> Response:
    sid = _session_id(session_id)
    user, values, tmpl = _submitted(request, form)
    if user is None:
        return _login_redirect(request)
    store = auth.store_of(request)
    if sid is None:
        return _render(request, "not_found.html", 404, kind="session", value=session_id[:40])
    try:
        detail = get_session(store, sid)
    except EqualsError:
        return _render(request, "not_found.html", 404, kind="session", value=session_id[:40])
    v = values["__version"]
    based_on = int(v) if v.isascii() and v.isdigit() and len(v) <= 9 else None
    ctx: dict[str, Any] = {
        "template": tmpl,
        "values": _fields(values),
        "event": detail.summary.event,
        "year": str(detail.summary.year),
        "session": detail.summary,
        "edit_version": based_on,
    }
    try:
        if based_on is None:
            raise ValidationError(
                _("the form lost its version; reload the page"), location="version"
            )
        check_texts(values, "")
        report = report_from_fields(tmpl.id, _fields(values))
        validation = validate_report(report, tmpl)
        ctx["findings"] = [f.shown() for f in validation.findings]
        file_report(
            store,
            report,
            actor=Actor.of(user),
            session_id=sid,
            validation=validation,
            user=user,
            expected_version=based_on,
        )
        return RedirectResponse(f"/sessions/{sid}", status_code=303)
    except EditConflictError as exc:
        now = get_session(store, sid)
        theirs = _values(now.report, _template(now.summary.template_id))
        ctx["conflict"] = [
            (f.label, values.get(f.id, ""), theirs.get(f.id, ""))
            for f in tmpl.fields
            if values.get(f.id, "").strip() != theirs.get(f.id, "").strip()
        ]
        ctx["edit_version"] = now.summary.version  # submitting again replaces their revision
        ctx["latest"] = now.revisions[-1] if now.revisions else None
        return _form(request, 409, error=message_of(exc), **ctx)
    except PermissionDeniedError as exc:
        return _message(request, 403, message_of(exc))
    except EqualsError as exc:
        return _form(request, 422, error=message_of(exc), **ctx)


# Fixed paths before "/sessions/{session_id}".
router.include_router(participation_web.pages)
router.include_router(people_pages.router)


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, session_id: str) -> HTMLResponse:
    store = auth.store_of(request)
    sid = _session_id(session_id)
    try:
        if sid is None:
            raise ValidationError("no such session")
        detail = get_session(store, sid)
        report = session_report(store, sid)
    except EqualsError:
        return _render(request, "not_found.html", 404, kind="session", value=session_id[:40])
    tmpl = load_template(detail.summary.template_id)
    sections = [(f.label, f.kind.value, field_values(report, f)) for f in tmpl.fields]
    sections += [(e.label, e.kind, [e.text]) for e in report.extra if tmpl.field(e.id) is None]
    user = auth.cookie_user(request)
    can_edit = False
    if user is not None:
        with store.connect() as conn:
            can_edit = may_revise(conn, user, sid)
    return _render(
        request,
        "sessions/session.html",
        nav="sessions",
        s=detail.summary,
        d=detail,
        rec=detail.to_record(),
        findings=stored_findings(detail.findings()),
        sections=sections,
        can_edit=can_edit,
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
            request, "sessions/login.html", 401, next=target, error=_("Wrong name or password.")
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
jinja.env.filters.update(
    area=area_label, group=group_label, role=role_label, severity=severity_label
)
