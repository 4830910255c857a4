"""Forms of the partnership registry (add/edit a partner, add/edit an initiative, add a
progress report, confirm or reject a suggested session link) and the helpers the registry's
pages share. Every form needs a signed-in user with registry rights and a CSRF token; what was
typed is shown again with the error beside its field (422), the current version on a conflict
(409). Routes are thin: they call :mod:`equals.partners`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from equals.auth import Actor, User
from equals.core.errors import (
    EditConflictError,
    EqualsError,
    NotFoundError,
    ValidationError,
    message_of,
)
from equals.core.i18n import _, localised
from equals.evidence.queries import Evidence
from equals.partners import (
    add_progress,
    codes,
    create_initiative,
    create_partner,
    get_initiative,
    get_partner,
    list_partners,
    update_initiative,
    update_partner,
)
from equals.partners.common import EARLIEST, FOUNDED, latest_date
from equals.partners.forms import (
    GUIDANCE,
    PARTNER_GUIDANCE,
    ROWS,
    contact_field,
    field_of,
    form_values,
    initiative_fields,
    partner_fields,
    partner_values,
    progress_fields,
)
from equals.partners.links import decide_link
from equals.partners.permissions import Action, allowed, may_write_any
from equals.partners.registry import GROUP_LABELS
from equals.web import auth_deps as auth
from equals.web.pages import templates as jinja
from equals.web.partners_deps import IniId

router = APIRouter(include_in_schema=False)


def date_bounds(term: bool = False) -> Markup:
    """``min``/``max`` attributes of a date input: the registry's accepted range
    (:func:`equals.partners.common.implausible_date`), so the browser offers only those dates."""
    earliest = FOUNDED if term else EARLIEST
    return Markup(f' min="{earliest.isoformat()}" max="{latest_date().isoformat()}"')


jinja.env.globals["date_bounds"] = date_bounds


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    user = auth.cookie_user(request)
    ctx.setdefault("user", user)
    ctx.setdefault("csrf", auth.LazyCsrf(request))
    ctx.setdefault("nav", "partnership")
    ctx.setdefault("can_write", user is not None and may_write_any(user))
    ctx.setdefault("group_labels", {g.value: label for g, label in GROUP_LABELS.items()})
    response = jinja.TemplateResponse(request, name, ctx, status_code=status_code)
    auth.remember_browser(request, response)  # only when a form was rendered
    return response


def missing(request: Request, exc: NotFoundError) -> HTMLResponse:
    return render(
        request, "partners/message.html", 404, title=_("Not found"), message=message_of(exc)
    )


def signed_in(request: Request, back: str) -> User | Response:
    user = auth.cookie_user(request)
    if user is None:
        return RedirectResponse(f"/login?next={back}", status_code=303)
    return user


def may(request: Request, action: Action, organization_id: str | None) -> bool:
    user = auth.cookie_user(request)
    return user is not None and allowed(user, action, organization_id)


def choice(value: str, allowed_values: list[str]) -> str | None:
    return value if value in allowed_values else None


def _partner_form(
    request: Request,
    oid: str | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    version: int | None = None,
    conflict: str = "",
) -> HTMLResponse:
    return render(
        request,
        "partners/partner_form.html",
        status_code,
        oid=oid,
        values=values,
        errors=errors,
        guidance=PARTNER_GUIDANCE,
        rows=range(ROWS),
        org_types=codes.codelist("OrganisationType"),
        record_version=version,
        conflict=conflict,
    )


@router.get("/partners/new", response_class=HTMLResponse, response_model=None)
def partner_new(request: Request) -> Response:
    user = signed_in(request, "/partners/new")
    if not isinstance(user, User):
        return user
    return _partner_form(request, None, {}, {})


@router.post("/partners/new", response_class=HTMLResponse, response_model=None)
async def partner_create(request: Request) -> Response:
    user = await run_in_threadpool(signed_in, request, "/partners/new")
    if not isinstance(user, User):
        return user
    form, _multi = await posted(request)

    def write() -> str:
        store = auth.store_of(request)
        return create_partner(store, partner_fields(form), actor=Actor.of(user), user=user).url

    def fail(
        errors: dict[str, str], status: int, version: int | None, conflict: str
    ) -> HTMLResponse:
        return _partner_form(request, None, form, errors, status)

    return await run_in_threadpool(save, request, write, fail, contact_field)


@router.get("/partners/{organization_id}/edit", response_class=HTMLResponse, response_model=None)
def partner_edit(request: Request, organization_id: str) -> Response:
    user = signed_in(request, "/partners")
    if not isinstance(user, User):
        return user
    try:
        p = get_partner(auth.store_of(request), organization_id[:128], private=True)
    except NotFoundError as exc:
        return missing(request, exc)
    if not allowed(user, Action.UPDATE_PARTNER, p.organization_id):
        return render(
            request,
            "partners/message.html",
            403,
            title=_("Not allowed"),
            message=_("Only this partner's editors and admins may edit it."),
        )
    return _partner_form(request, p.organization_id, partner_values(p), {}, version=p.version)


@router.post("/partners/{organization_id}/edit", response_class=HTMLResponse, response_model=None)
async def partner_save(request: Request, organization_id: str) -> Response:
    user = await run_in_threadpool(signed_in, request, "/partners")
    if not isinstance(user, User):
        return user
    form, _multi = await posted(request)
    version = int(form["version"]) if form.get("version", "").isdigit() else 0
    oid = organization_id[:128]

    def write() -> str:
        return update_partner(
            auth.store_of(request),
            oid,
            partner_fields(form),
            based_on=version,
            actor=Actor.of(user),
            user=user,
        ).url

    def fail(
        errors: dict[str, str], status: int, current: int | None, conflict: str
    ) -> HTMLResponse:
        return _partner_form(request, oid, form, errors, status, current or version, conflict)

    return await run_in_threadpool(save, request, write, fail, contact_field)


@router.get("/initiatives/new", response_class=HTMLResponse, response_model=None)
def initiative_new(request: Request) -> Response:
    user = signed_in(request, "/initiatives/new")
    if not isinstance(user, User):
        return user
    return _form(request, user, None, {"status": "2"}, {})


def _form(
    request: Request,
    user: User,
    ini_id: int | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    version: int | None = None,
    conflict: str = "",
) -> HTMLResponse:
    store = auth.store_of(request)
    leads = [
        p
        for p in list_partners(store)
        if allowed(user, Action.CREATE_INITIATIVE, p.organization_id)
    ]
    evidence: Evidence = request.app.state.evidence
    return render(
        request,
        "partners/form.html",
        status_code,
        ini_id=ini_id,
        values=values,
        errors=errors,
        leads=leads,
        guidance=GUIDANCE,
        rows=range(ROWS),
        statuses=codes.codelist("ActivityStatus"),
        markers=codes.codelist("PolicySignificance"),
        groups=codes.target_groups(),
        indicators=[(i.id, i.label) for i in evidence.catalogue],
        record_version=version,
        conflict=conflict,
    )


async def posted(request: Request) -> tuple[dict[str, str], dict[str, list[str]]]:
    form = await request.form()
    auth.check_csrf(request, str(form.get("csrf_token") or ""))
    single = {k: str(v) for k, v in form.items()}
    multi = {
        k: [str(x) for x in form.getlist(k)] for k in ("action_areas", "target_groups", "member")
    }
    return single, multi


def _errors(exc: EqualsError, field: Callable[[str], str] = field_of) -> dict[str, str]:
    location = getattr(exc, "location", "") or "form"
    message = localised(exc.detail) if exc.detail != exc.message else exc.localised()
    if message.startswith(f"{location}: "):
        message = message[len(location) + 2 :]
    return {field(location): message}


Failure = Callable[[dict[str, str], int, "int | None", str], HTMLResponse]
"""Re-renders a form: (errors by field, status, the record's version now, conflict text)."""


def save(
    request: Request,
    write: Callable[[], str],
    fail: Failure,
    field: Callable[[str], str] = field_of,
) -> Response:
    """Run a form's write; on success go to the URL it returns, else show the form again with
    what was typed and the error: 422 by field, 409 with the current version, 403, 404."""
    try:
        url = write()
    except EditConflictError as exc:
        return fail({}, 409, exc.current, message_of(exc))
    except ValidationError as exc:
        return fail(_errors(exc, field), 422, None, "")
    except NotFoundError as exc:
        return missing(request, exc)
    except EqualsError as exc:  # PermissionDeniedError and the like
        return fail({"form": message_of(exc)}, 403, None, "")
    return RedirectResponse(url, status_code=303)


@router.post("/initiatives/new", response_class=HTMLResponse, response_model=None)
async def initiative_create(request: Request) -> Response:
    user = await run_in_threadpool(signed_in, request, "/initiatives/new")
    if not isinstance(user, User):
        return user
    single, multi = await posted(request)

    def write() -> str:
        body = initiative_fields(single, multi)
        return create_initiative(auth.store_of(request), body, actor=Actor.of(user), user=user).url

    def fail(
        errors: dict[str, str], status: int, version: int | None, conflict: str
    ) -> HTMLResponse:
        return _form(request, user, None, {**single, **multi}, errors, status)

    return await run_in_threadpool(save, request, write, fail)


@router.get("/initiatives/{initiative_id}/edit", response_class=HTMLResponse, response_model=None)
def initiative_edit(request: Request, initiative_id: IniId) -> Response:
    user = signed_in(request, f"/initiatives/{initiative_id}/edit")
    if not isinstance(user, User):
        return user
    try:
        ini = get_initiative(auth.store_of(request), initiative_id)
    except NotFoundError as exc:
        return missing(request, exc)
    return _form(request, user, ini.id, form_values(ini), {}, version=ini.version)


@router.post("/initiatives/{initiative_id}/edit", response_class=HTMLResponse, response_model=None)
async def initiative_save(request: Request, initiative_id: IniId) -> Response:
    user = await run_in_threadpool(signed_in, request, f"/initiatives/{initiative_id}/edit")
    if not isinstance(user, User):
        return user
    single, multi = await posted(request)
    version = int(single["version"]) if single.get("version", "").isdigit() else 0

    def write() -> str:
        body = initiative_fields(single, multi)
        return update_initiative(
            auth.store_of(request),
            initiative_id,
            body,
            based_on=version,
            actor=Actor.of(user),
            user=user,
        ).url

    def fail(
        errors: dict[str, str], status: int, current: int | None, conflict: str
    ) -> HTMLResponse:
        values = {**single, **multi}
        return _form(
            request,
            user,
            initiative_id,
            values,
            errors,
            status,
            version=current or version,
            conflict=conflict,
        )

    return await run_in_threadpool(save, request, write, fail)


@router.post("/initiatives/{initiative_id}/progress", response_model=None)
async def progress_submit(request: Request, initiative_id: IniId) -> Response:
    user = await run_in_threadpool(signed_in, request, f"/initiatives/{initiative_id}")
    if not isinstance(user, User):
        return user
    form, _multi = await posted(request)
    try:
        await run_in_threadpool(
            add_progress,
            auth.store_of(request),
            initiative_id,
            progress_fields(form),
            actor=Actor.of(user),
            user=user,
        )
    except EqualsError as exc:
        return _back(initiative_id, exc, "#progress")
    return RedirectResponse(f"/initiatives/{initiative_id}#progress", status_code=303)


@router.post("/initiatives/{initiative_id}/sessions/{session_id}", response_model=None)
async def link_submit(request: Request, initiative_id: IniId, session_id: IniId) -> Response:
    user = await run_in_threadpool(signed_in, request, f"/initiatives/{initiative_id}")
    if not isinstance(user, User):
        return user
    form, _multi = await posted(request)
    try:
        await run_in_threadpool(
            decide_link,
            auth.store_of(request),
            initiative_id,
            session_id,
            confirm=form.get("decision") == "confirm",
            actor=Actor.of(user),
            user=user,
            evidence=form.get("evidence", "")[:600],
        )
    except EqualsError as exc:
        return _back(initiative_id, exc, "#sessions")
    return RedirectResponse(f"/initiatives/{initiative_id}#sessions", status_code=303)


def _back(initiative_id: int, exc: EqualsError, anchor: str) -> Response:
    """Back to the initiative page, with the error shown at the top."""
    return RedirectResponse(
        f"/initiatives/{initiative_id}?error={quote(message_of(exc)[:300])}{anchor}", 303
    )
