"""People pages: ``/sessions/people`` (identities, and merge candidates for admins) and
``/sessions/people/{id}`` (one identity with its evidence; an admin merges or splits it with
a CSRF-protected form). Thin: every route calls :mod:`equals.archive.people`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from equals.archive.people import (
    get_person,
    list_people,
    mark_distinct,
    merge_candidates,
    merge_people,
    split_person,
)
from equals.auth import Actor
from equals.core.errors import EqualsError, PermissionDeniedError, message_of
from equals.core.i18n import Msg
from equals.web import auth_deps as auth

router = APIRouter(include_in_schema=False)


def _id(text: str) -> int | None:
    ok = text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) < 2**31
    return int(text) if ok else None


def _render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    from equals.web.sessions_pages import _render as render

    return render(request, name, status, nav="sessions", **ctx)


@router.get("/sessions/people", response_class=HTMLResponse)
def people_page(request: Request, q: str = "") -> HTMLResponse:
    store = auth.store_of(request)
    user = auth.cookie_user(request)
    error, found, status = None, [], 200
    try:
        found = list_people(store, q[:200], limit=500)
    except EqualsError as exc:
        error, status = message_of(exc), 422
    candidates = merge_candidates(store, limit=50) if user is not None and user.is_admin else []
    return _render(
        request, "sessions/people.html", status, q=q, people=found, candidates=candidates,
        error=error,
    )  # fmt: skip


@router.get("/sessions/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: str, error: str = "") -> HTMLResponse:
    pid = _id(person_id)
    try:
        if pid is None:
            raise EqualsError("no such person")
        identity = get_person(auth.store_of(request), pid)
    except EqualsError:
        return _render(request, "not_found.html", 404, kind="person", value=person_id[:40])
    return _render(
        request, "sessions/person.html", p=identity, asked=pid, error=error[:300] or None
    )


@router.post("/sessions/people/{person_id}", response_class=HTMLResponse, response_model=None)
async def person_action(request: Request, person_id: str) -> Response:
    form = await request.form()
    return await run_in_threadpool(_person_action, request, person_id, form)


def _person_action(request: Request, person_id: str, form: FormData) -> Response:
    auth.check_csrf(request, str(form.get("csrf_token") or ""))
    user = auth.cookie_user(request)
    pid = _id(person_id)
    if user is None:
        return RedirectResponse(f"/login?next=/sessions/people/{person_id}", status_code=303)
    if pid is None:
        return _render(request, "not_found.html", 404, kind="person", value=person_id[:40])
    store, actor = auth.store_of(request), Actor.of(user)
    action = str(form.get("action") or "")
    other = _id(str(form.get("other") or "").strip())
    try:
        if action == "split":
            split_person(store, pid, actor=actor, by=user)
            target = pid
        elif action in ("merge", "distinct") and other is not None:
            if action == "merge":
                target = merge_people(store, pid, other, actor=actor, by=user).id
            else:
                mark_distinct(store, pid, other, actor=actor, by=user)
                target = pid
        else:
            raise EqualsError(Msg("choose merge, split or distinct, with the other person's id"))
    except PermissionDeniedError as exc:
        return _render(request, "sessions/message.html", 403, message=message_of(exc))
    except EqualsError as exc:
        try:
            identity = get_person(store, pid)
        except EqualsError:
            return _render(request, "not_found.html", 404, kind="person", value=person_id[:40])
        return _render(
            request, "sessions/person.html", 422, p=identity, asked=pid, error=message_of(exc)
        )
    return RedirectResponse(f"/sessions/people/{target}", status_code=303)
