"""JSON API for session reports: list, search, one session, exports, live validation, and
filing (POST) or revising (PUT) with a bearer token. Thin: every route calls the library."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from equals.archive.access import editors, grant_editor, revoke_editor
from equals.archive.errors import ReportNotFiledError
from equals.archive.filing import EventRef, FiledReport, file_report
from equals.archive.repository import (
    SessionFilter,
    get_session,
    list_sessions,
    session_report,
)
from equals.archive.rules import YEAR_MAX, YEAR_MIN, check_year, event_year
from equals.archive.search import search_sessions
from equals.auth import Actor, User
from equals.core.errors import PermissionDeniedError, ValidationError
from equals.core.i18n import DEFAULT_LANGUAGE, use_language
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.sessions import parse_report, report_record, to_docx, to_json, to_markdown
from equals.sessions.form import report_from_fields
from equals.sessions.model import ParsedReport
from equals.sessions.template import load_template, templates
from equals.sessions.validate import validate_report
from equals.web import sessions_participation as participation_web
from equals.web import sessions_people_api as people_api
from equals.web.auth_deps import BearerUser, bearer_user, cookie_user, store_of
from equals.web.concurrency import if_match_version, set_etag
from equals.web.sessions_models import (
    MAX_BODY,
    FiledOut,
    FileIn,
    ReportIn,
    SearchHitOut,
    SessionDetailOut,
    SessionOut,
    ValidateOut,
)


def _too_large() -> JSONResponse:
    message = f"the request body is larger than {MAX_BODY:,} bytes; send a shorter report"
    return JSONResponse(
        {"error": {"code": "request-too-large", "message": message}}, status_code=413
    )


class LimitedRoute(APIRoute):
    """Refuses (413) a request body over :data:`MAX_BODY` before it is parsed."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            if request.method in ("POST", "PUT", "PATCH"):
                length = request.headers.get("content-length", "")
                if length and (not length.isdigit() or int(length) > MAX_BODY):
                    return _too_large()
                body = bytearray()
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > MAX_BODY:
                        return _too_large()
                request._body = bytes(body)
            return await handler(request)

        return limited


router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"], route_class=LimitedRoute)
SessionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Session id.")]
Year = Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX, description="Event year.")]
Text = Annotated[str | None, Query(max_length=200)]


def _report(body: ReportIn) -> ParsedReport:
    if body.template is not None and body.template not in templates():
        raise ValidationError(
            f"unknown template {body.template!r} (templates: {', '.join(sorted(templates()))})",
            location="template",
            code="unknown-template",
        )
    if body.fields is not None:
        return report_from_fields(body.template or "igf-2016-workshop", body.fields)
    if body.text is not None and body.text.strip():
        return parse_report(body.text, template=body.template)
    raise ValidationError("give the report as 'text' or 'fields'", code="no-report")


def _filed(filed: FiledReport) -> FiledOut:
    return FiledOut.model_validate(
        {
            "session_id": filed.session_id,
            "revision": filed.revision,
            "version": filed.version,
            "created": filed.created,
            "unchanged": filed.unchanged,
            "validation": filed.validation.to_record(),
            "url": f"/sessions/{filed.session_id}",
        }
    )


def _not_filed(exc: ReportNotFiledError) -> ValidationError:
    return ValidationError(str(exc), code=exc.code)


def writer(request: Request) -> User:
    """A signed-in user who may file reports: a bearer token, else the login cookie."""
    if request.headers.get("authorization"):
        return bearer_user(request)
    user = cookie_user(request)
    if user is None:
        raise HTTPException(401, "sign in (or send a bearer token) to validate reports")
    if not user.can_file_sessions:
        raise PermissionDeniedError("this user may not file session reports")
    return user


Area = Annotated[Pillar | None, Query(description="Action area.")]
Group = Annotated[StakeholderGroup | None, Query(description="Stakeholder group of a speaker.")]


@router.get("", response_model=list[SessionOut])
def sessions_list(
    request: Request,
    event: Text = None,
    year: Year = None,
    area: Area = None,
    stakeholder: Group = None,
    organization: Text = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    f = SessionFilter(event, year, area, stakeholder, organization)
    return [s.to_record() for s in list_sessions(store_of(request), f, limit=limit, offset=offset)]


@router.get("/search", response_model=list[SearchHitOut])
def sessions_search(
    request: Request,
    q: Annotated[str, Query(max_length=500, description='Words, "phrases", prefix*, OR, -not')],
    event: Text = None,
    year: Year = None,
    area: Area = None,
    stakeholder: Group = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    f = SessionFilter(event, year, area, stakeholder)
    return [h.to_record() for h in search_sessions(store_of(request), q, f, limit=limit)]


@router.post("/validate", response_model=ValidateOut)
def sessions_validate(
    request: Request,
    body: ReportIn,
    lang: Annotated[
        Literal["en", "fr", "es"] | None,
        Query(description="Language of each finding's ``text`` (``message`` stays English)."),
    ] = None,
) -> dict[str, Any]:
    """Parse and validate without storing anything (the form calls this as you type).
    Needs a signed-in rapporteur or admin (cookie or bearer token)."""
    writer(request)
    report = _report(body)
    tmpl = load_template(body.template) if body.template else None
    validation = validate_report(report, tmpl)
    record = validation.to_record()
    with use_language(lang or DEFAULT_LANGUAGE):
        for finding, out in zip(validation.findings, record["findings"], strict=True):
            out["text"] = finding.text()
    return {"validation": record, "report": report_record(report)}


# Fixed paths before "/{session_id}": people, participation.
router.include_router(people_api.router)
router.include_router(participation_web.api)


@router.get("/{session_id}", response_model=SessionDetailOut)
def sessions_get(request: Request, response: Response, session_id: SessionId) -> dict[str, Any]:
    """One session; the ``ETag`` header is its version (send it back as ``If-Match``)."""
    detail = get_session(store_of(request), session_id)
    set_etag(response, detail.summary.version)
    return detail.to_record()


@router.get(
    "/{session_id}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The report as JSON, Markdown or Word.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/markdown": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    },
)
def sessions_export(
    request: Request,
    session_id: SessionId,
    format: Literal["json", "markdown", "docx"] = "json",
    revision: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Response:
    report = session_report(store_of(request), session_id, revision)
    name = f"session-{session_id}"
    if format == "docx":
        return Response(
            to_docx(report),
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={"Content-Disposition": f'attachment; filename="{name}.docx"'},
        )
    if format == "markdown":
        return Response(to_markdown(report), media_type="text/markdown; charset=utf-8")
    return Response(to_json(report), media_type="application/json")


@router.post(
    "",
    status_code=201,
    response_model=FiledOut,
    responses={200: {"model": FiledOut, "description": "A revision of an existing session."}},
)
def sessions_file(request: Request, body: FileIn, user: BearerUser) -> JSONResponse:
    """File a report: 201 for a new session; 200 when it revises (or repeats) the session of
    the same title and date, which needs the session's owner, an editor or an admin."""
    report = _report(body)
    year = check_year(body.year) or event_year(report)
    if year is None:
        raise ValidationError(
            f"the report has no date: give 'year' ({YEAR_MIN}–{YEAR_MAX})", location="year"
        )
    try:
        filed = file_report(
            store_of(request),
            report,
            actor=Actor.of(user),
            event=EventRef(body.event, year),
            strict=body.strict,
            user=user,
        )
    except ReportNotFiledError as exc:
        raise _not_filed(exc) from exc
    out = JSONResponse(
        _filed(filed).model_dump(mode="json"), status_code=201 if filed.created else 200
    )
    set_etag(out, filed.version)
    return out


@router.put("/{session_id}", response_model=FiledOut)
def sessions_revise(
    request: Request, response: Response, session_id: SessionId, body: ReportIn, user: BearerUser
) -> FiledOut:
    """A new revision. Needs ``If-Match`` with the ETag you read (428 without; 409 when the
    session changed since), and the session's owner, an editor or an admin (403)."""
    based_on = if_match_version(request)
    report = _report(body)
    try:
        filed = file_report(
            store_of(request),
            report,
            actor=Actor.of(user),
            session_id=session_id,
            user=user,
            expected_version=based_on,
        )
    except ReportNotFiledError as exc:
        raise _not_filed(exc) from exc
    set_etag(response, filed.version)
    return _filed(filed)


class EditorOut(BaseModel):
    user: str
    granted_by: str
    granted_at: str


class EditorIn(BaseModel):
    user: str = Field(min_length=1, max_length=64, description="User name to grant.")


@router.get("/{session_id}/editors", response_model=list[EditorOut])
def sessions_editors(request: Request, session_id: SessionId, user: BearerUser) -> list[Any]:
    """Users granted the right to revise this session (besides its owner and admins)."""
    return [asdict(e) for e in editors(store_of(request), session_id)]


@router.post("/{session_id}/editors", response_model=list[EditorOut])
def sessions_grant(
    request: Request, session_id: SessionId, body: EditorIn, user: BearerUser
) -> list[Any]:
    """Let another user revise this session (its owner or an admin; audited)."""
    store = store_of(request)
    grant_editor(store, session_id, body.user, actor=Actor.of(user), by=user)
    return [asdict(e) for e in editors(store, session_id)]


@router.delete("/{session_id}/editors/{name}", response_model=list[EditorOut])
def sessions_revoke(
    request: Request,
    session_id: SessionId,
    name: Annotated[str, Path(min_length=1, max_length=64)],
    user: BearerUser,
) -> list[Any]:
    """Withdraw a grant (its owner or an admin; audited)."""
    store = store_of(request)
    revoke_editor(store, session_id, name, actor=Actor.of(user), by=user)
    return [asdict(e) for e in editors(store, session_id)]
