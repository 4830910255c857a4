"""JSON API for session reports: list, search, one session, exports, live validation, and
filing (POST) or revising (PUT) with a bearer token. Thin: every route calls the library."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from equals.archive.filing import EventRef, FiledReport, file_report
from equals.archive.repository import (
    SessionFilter,
    get_session,
    list_sessions,
    session_report,
)
from equals.archive.search import search_sessions
from equals.auth import Actor
from equals.core.errors import EqualsError
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.sessions import parse_report, report_record, to_docx, to_json, to_markdown
from equals.sessions.form import report_from_fields
from equals.sessions.model import ParsedReport
from equals.sessions.template import load_template, templates
from equals.sessions.validate import validate_report
from equals.web.auth_deps import BearerUser, store_of

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])
SessionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Session id.")]


class ReportIn(BaseModel):
    """A report as text (txt or Markdown) or as one text per template field."""

    template: str | None = Field(None, description="Template id (default: detected).")
    text: str | None = Field(None, max_length=500_000, description="The report's text.")
    fields: dict[str, str] | None = Field(None, description="Field id → text (form input).")


class FileIn(ReportIn):
    event: str = Field("IGF", min_length=1, max_length=200)
    year: int | None = Field(None, ge=1990, le=2100)
    strict: bool = False


def _report(body: ReportIn) -> ParsedReport:
    if body.template is not None and body.template not in templates():
        raise HTTPException(422, f"unknown template {body.template!r}")
    if body.fields is not None:
        return report_from_fields(body.template or "igf-2016-workshop", body.fields)
    if body.text is not None and body.text.strip():
        return parse_report(body.text, template=body.template)
    raise HTTPException(422, "give the report as 'text' or 'fields'")


def _filed(filed: FiledReport) -> dict[str, Any]:
    return {
        "session_id": filed.session_id,
        "revision": filed.revision,
        "created": filed.created,
        "unchanged": filed.unchanged,
        "validation": filed.validation.to_record(),
        "url": f"/sessions/{filed.session_id}",
    }


Area = Annotated[Pillar | None, Query(description="Action area.")]
Group = Annotated[StakeholderGroup | None, Query(description="Stakeholder group of a speaker.")]


@router.get("")
def sessions_list(
    request: Request,
    event: str | None = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    area: Area = None,
    stakeholder: Group = None,
    organization: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[dict[str, Any]]:
    f = SessionFilter(event, year, area, stakeholder, organization)
    return [s.to_record() for s in list_sessions(store_of(request), f, limit=limit, offset=offset)]


@router.get("/search")
def sessions_search(
    request: Request,
    q: Annotated[str, Query(max_length=500, description='Words, "phrases", prefix*, OR, -not')],
    event: str | None = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    area: Area = None,
    stakeholder: Group = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    f = SessionFilter(event, year, area, stakeholder)
    return [h.to_record() for h in search_sessions(store_of(request), q, f, limit=limit)]


@router.post("/validate")
def sessions_validate(body: ReportIn) -> dict[str, Any]:
    """Parse and validate without storing anything (the form calls this as you type)."""
    report = _report(body)
    tmpl = load_template(body.template) if body.template else None
    return {
        "validation": validate_report(report, tmpl).to_record(),
        "report": report_record(report),
    }


@router.get("/{session_id}")
def sessions_get(request: Request, session_id: SessionId) -> dict[str, Any]:
    return get_session(store_of(request), session_id).to_record()


@router.get("/{session_id}/export")
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


@router.post("", status_code=201)
def sessions_file(request: Request, body: FileIn, user: BearerUser) -> JSONResponse:
    report = _report(body)
    year = body.year or (int(report.date[:4]) if report.date else None)
    if year is None:
        raise HTTPException(422, "the report has no date: give 'year'")
    try:
        filed = file_report(
            store_of(request),
            report,
            actor=Actor.of(user),
            event=EventRef(body.event, year),
            strict=body.strict,
        )
    except EqualsError as exc:
        if exc.code == "report-not-filed":
            raise HTTPException(422, str(exc)) from exc
        raise
    return JSONResponse(_filed(filed), status_code=201 if not filed.unchanged else 200)


@router.put("/{session_id}")
def sessions_revise(
    request: Request, session_id: SessionId, body: ReportIn, user: BearerUser
) -> dict[str, Any]:
    report = _report(body)
    try:
        filed = file_report(store_of(request), report, actor=Actor.of(user), session_id=session_id)
    except EqualsError as exc:
        if exc.code == "report-not-filed":
            raise HTTPException(422, str(exc)) from exc
        raise
    return _filed(filed)
