"""Administration forms of the partnership registry (admins only): add and edit a coalition,
add and edit a governance seat and end its term, merge two organisations. As the other registry
forms: a signed-in user and a CSRF token; what was typed is shown again with the error beside
its field (422), a stale coalition or seat edit keeps the input and shows the current version
(409); every write is audited by the service. Routes are thin: they call :mod:`equals.partners`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from equals.auth import Actor, User
from equals.core.errors import NotFoundError, ValidationError
from equals.core.i18n import _
from equals.partners import (
    add_seat,
    codes,
    create_coalition,
    end_term,
    get_coalition,
    get_seat,
    list_partners,
    update_coalition,
    update_seat,
)
from equals.partners.admin_forms import (
    COALITION_AREAS,
    COALITION_GUIDANCE,
    MERGE_GUIDANCE,
    SEAT_GUIDANCE,
    admin_field,
    coalition_fields,
    coalition_values,
    seat_fields,
    seat_values,
)
from equals.partners.model import Seat
from equals.partners.organizations import list_organizations, merge
from equals.partners.permissions import Action, allowed
from equals.web import auth_deps as auth
from equals.web.partners_forms import missing, posted, render, save, signed_in

router = APIRouter(include_in_schema=False)

CoalitionId = Annotated[str, Path(max_length=64, pattern="^[a-z0-9][a-z0-9-]*$")]
SeatId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _admin(request: Request, back: str, action: Action) -> User | Response:
    """The signed-in admin, else a sign-in redirect or a 403 page."""
    user = signed_in(request, back)
    if isinstance(user, User) and not allowed(user, action, None):
        return render(
            request,
            "partners/message.html",
            403,
            title=_("Not allowed"),
            message=_("Only administrators may change coalitions, governance and organisations."),
        )
    return user


# -- coalitions -------------------------------------------------------------------------------
def _coalition_form(
    request: Request,
    cid: str | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    version: int | None = None,
    conflict: str = "",
) -> HTMLResponse:
    return render(
        request,
        "partners/coalition_form.html",
        status_code,
        cid=cid,
        values=values,
        errors=errors,
        guidance=COALITION_GUIDANCE,
        areas=COALITION_AREAS,
        partners=list_partners(auth.store_of(request)),
        record_version=version,
        conflict=conflict,
    )


@router.get("/coalitions/new", response_class=HTMLResponse, response_model=None)
def coalition_new(request: Request) -> Response:
    user = _admin(request, "/coalitions/new", Action.WRITE_COALITION)
    if not isinstance(user, User):
        return user
    return _coalition_form(request, None, {}, {})


@router.post("/coalitions/new", response_class=HTMLResponse, response_model=None)
async def coalition_create(request: Request) -> Response:
    user = await run_in_threadpool(_admin, request, "/coalitions/new", Action.WRITE_COALITION)
    if not isinstance(user, User):
        return user
    form, multi = await posted(request)
    values = {**form, "member": multi["member"]}

    def write() -> str:
        c = create_coalition(
            auth.store_of(request),
            coalition_fields(form, multi["member"]),
            actor=Actor.of(user),
            user=user,
        )
        return f"/coalitions#coalition-{c.id}"

    def fail(
        errors: dict[str, str], status: int, version: int | None, conflict: str
    ) -> HTMLResponse:
        return _coalition_form(request, None, values, errors, status)

    return await run_in_threadpool(save, request, write, fail, admin_field)


@router.get("/coalitions/{coalition_id}/edit", response_class=HTMLResponse, response_model=None)
def coalition_edit(request: Request, coalition_id: CoalitionId) -> Response:
    user = _admin(request, f"/coalitions/{coalition_id}/edit", Action.WRITE_COALITION)
    if not isinstance(user, User):
        return user
    try:
        c = get_coalition(auth.store_of(request), coalition_id)
    except NotFoundError as exc:
        return missing(request, exc)
    return _coalition_form(request, c.id, coalition_values(c), {}, version=c.version)


@router.post("/coalitions/{coalition_id}/edit", response_class=HTMLResponse, response_model=None)
async def coalition_save(request: Request, coalition_id: CoalitionId) -> Response:
    back = f"/coalitions/{coalition_id}/edit"
    user = await run_in_threadpool(_admin, request, back, Action.WRITE_COALITION)
    if not isinstance(user, User):
        return user
    form, multi = await posted(request)
    version = int(form["version"]) if form.get("version", "").isdigit() else 0
    values = {**form, "id": coalition_id, "member": multi["member"]}

    def write() -> str:
        body = {**coalition_fields(form, multi["member"]), "id": coalition_id}
        c = update_coalition(
            auth.store_of(request),
            coalition_id,
            body,
            based_on=version,
            actor=Actor.of(user),
            user=user,
        )
        return f"/coalitions#coalition-{c.id}"

    def fail(
        errors: dict[str, str], status: int, current: int | None, conflict: str
    ) -> HTMLResponse:
        return _coalition_form(
            request, coalition_id, values, errors, status, current or version, conflict
        )

    return await run_in_threadpool(save, request, write, fail, admin_field)


# -- governance -------------------------------------------------------------------------------
def _seat_form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    seat_id: int | None = None,
    version: int | None = None,
    conflict: str = "",
) -> HTMLResponse:
    return render(
        request,
        "partners/seat_form.html",
        status_code,
        seat_id=seat_id,
        values=values,
        errors=errors,
        guidance=SEAT_GUIDANCE,
        bodies=codes.GOVERNANCE_BODIES,
        organizations=list_organizations(auth.store_of(request)),
        record_version=version,
        conflict=conflict,
    )


def _version(form: dict[str, str]) -> int:
    return int(form["version"]) if form.get("version", "").isdigit() else 0


@router.get("/governance/new", response_class=HTMLResponse, response_model=None)
def seat_new(request: Request) -> Response:
    user = _admin(request, "/governance/new", Action.WRITE_GOVERNANCE)
    if not isinstance(user, User):
        return user
    q = request.query_params
    body = q.get("body", "")
    values = {
        "body": body if body in codes.GOVERNANCE_BODIES else "",
        "seat": q.get("seat", "")[:300],  # the next holder of an ended term's seat …
        "since": _day_after(q.get("after", "")),  # … from the day after that term ended
    }
    return _seat_form(request, values, {})


def _day_after(value: str) -> str:
    try:
        return (dt.date.fromisoformat(value[:10]) + dt.timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        return ""


@router.post("/governance/new", response_class=HTMLResponse, response_model=None)
async def seat_create(request: Request) -> Response:
    user = await run_in_threadpool(_admin, request, "/governance/new", Action.WRITE_GOVERNANCE)
    if not isinstance(user, User):
        return user
    form, _multi = await posted(request)

    def write() -> str:
        s = add_seat(auth.store_of(request), seat_fields(form), actor=Actor.of(user), user=user)
        return f"/coalitions#seat-{s.id}"

    def fail(
        errors: dict[str, str], status: int, version: int | None, conflict: str
    ) -> HTMLResponse:
        return _seat_form(request, form, errors, status)

    return await run_in_threadpool(save, request, write, fail, admin_field)


@router.get("/governance/{seat_id}/edit", response_class=HTMLResponse, response_model=None)
def seat_edit(request: Request, seat_id: SeatId) -> Response:
    user = _admin(request, f"/governance/{seat_id}/edit", Action.WRITE_GOVERNANCE)
    if not isinstance(user, User):
        return user
    try:
        s = get_seat(auth.store_of(request), seat_id)
    except NotFoundError as exc:
        return missing(request, exc)
    return _seat_form(request, seat_values(s), {}, seat_id=s.id, version=s.version)


@router.post("/governance/{seat_id}/edit", response_class=HTMLResponse, response_model=None)
async def seat_save(request: Request, seat_id: SeatId) -> Response:
    back = f"/governance/{seat_id}/edit"
    user = await run_in_threadpool(_admin, request, back, Action.WRITE_GOVERNANCE)
    if not isinstance(user, User):
        return user
    form, _multi = await posted(request)
    version = _version(form)

    def write() -> str:
        s = update_seat(
            auth.store_of(request),
            seat_id,
            seat_fields(form),
            based_on=version,
            actor=Actor.of(user),
            user=user,
        )
        return f"/coalitions#seat-{s.id}"

    def fail(
        errors: dict[str, str], status: int, current: int | None, conflict: str
    ) -> HTMLResponse:
        return _seat_form(request, form, errors, status, seat_id, current or version, conflict)

    return await run_in_threadpool(save, request, write, fail, admin_field)


def _end_form(
    request: Request,
    seat: Seat,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    version: int | None = None,
    conflict: str = "",
) -> HTMLResponse:
    return render(
        request,
        "partners/seat_end.html",
        status_code,
        seat=seat,
        values=values,
        errors=errors,
        guidance=SEAT_GUIDANCE,
        record_version=version,
        conflict=conflict,
    )


@router.get("/governance/{seat_id}/end", response_class=HTMLResponse, response_model=None)
def seat_end(request: Request, seat_id: SeatId) -> Response:
    user = _admin(request, f"/governance/{seat_id}/end", Action.WRITE_GOVERNANCE)
    if not isinstance(user, User):
        return user
    try:
        s = get_seat(auth.store_of(request), seat_id)
    except NotFoundError as exc:
        return missing(request, exc)
    until = dt.datetime.now(dt.UTC).date().isoformat()
    return _end_form(request, s, {"until": until}, {}, version=s.version)


@router.post("/governance/{seat_id}/end", response_class=HTMLResponse, response_model=None)
async def seat_end_save(request: Request, seat_id: SeatId) -> Response:
    back = f"/governance/{seat_id}/end"
    user = await run_in_threadpool(_admin, request, back, Action.WRITE_GOVERNANCE)
    if not isinstance(user, User):
        return user
    form, _multi = await posted(request)
    version = _version(form)
    store = auth.store_of(request)
    try:
        seat = await run_in_threadpool(get_seat, store, seat_id)
    except NotFoundError as exc:
        return missing(request, exc)

    def write() -> str:
        s = end_term(
            store,
            seat_id,
            {"until": form.get("until", "").strip() or None},
            based_on=version,
            actor=Actor.of(user),
            user=user,
        )
        return f"/coalitions#seat-{s.id}"

    def fail(
        errors: dict[str, str], status: int, current: int | None, conflict: str
    ) -> HTMLResponse:
        return _end_form(request, seat, form, errors, status, current or version, conflict)

    return await run_in_threadpool(save, request, write, fail, admin_field)


# -- organisation merges ----------------------------------------------------------------------
def _merge_form(
    request: Request, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "partners/merge_form.html",
        status_code,
        values=values,
        errors=errors,
        guidance=MERGE_GUIDANCE,
        organizations=list_organizations(auth.store_of(request)),
    )


@router.get("/organizations/merge", response_class=HTMLResponse, response_model=None)
def merge_new(request: Request) -> Response:
    user = _admin(request, "/organizations/merge", Action.MERGE_ORGANIZATIONS)
    if not isinstance(user, User):
        return user
    q = request.query_params
    return _merge_form(request, {"merged": q.get("merged", "")[:128], "into": ""}, {})


@router.post("/organizations/merge", response_class=HTMLResponse, response_model=None)
async def merge_submit(request: Request) -> Response:
    back = "/organizations/merge"
    user = await run_in_threadpool(_admin, request, back, Action.MERGE_ORGANIZATIONS)
    if not isinstance(user, User):
        return user
    form, _multi = await posted(request)

    def write() -> str:
        merged, into = form.get("merged", "").strip(), form.get("into", "").strip()
        for name, value in (("merged", merged), ("into", into)):
            if not value:
                raise ValidationError(_("Choose an organisation."), location=name)
        if form.get("confirm") != "yes":
            raise ValidationError(_("Tick the box to confirm the merge."), location="confirm")
        merge(auth.store_of(request), merged[:128], into[:128], actor=Actor.of(user), user=user)
        return f"/partners/{into[:128]}" if _is_partner(request, into) else "/partners"

    def fail(
        errors: dict[str, str], status: int, version: int | None, conflict: str
    ) -> HTMLResponse:
        return _merge_form(request, form, errors, status)

    return await run_in_threadpool(save, request, write, fail, admin_field)


def _is_partner(request: Request, oid: str) -> bool:
    return any(p.organization_id == oid for p in list_partners(auth.store_of(request)))
