"""Errors → HTTP: one status table by exception *type*, one error body, and its OpenAPI model.

The body is ``{"error": {"code", "message", "severity", "location", "suggestions", ...}}``:
the library's :class:`~equals.core.problems.Problem` shape, plus the keys clients already
read (``parameter`` for a bad parameter, ``parameters``/``problems`` for request validation,
``current_version`` for an edit conflict). ``message`` is the full human text (location and
"did you mean" included), as it always was.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from equals.core.errors import (
    DatabaseUnavailableError,
    EditConflictError,
    EqualsError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionRequiredError,
    ValidationError,
)
from equals.core.i18n import Msg
from equals.core.problems import NOWHERE, Location, Problem, Severity, define
from equals.store import StoreError
from equals.web.security import error_page

STATUS: dict[type[EqualsError], int] = {
    NotFoundError: 404,
    ValidationError: 422,
    PermissionDeniedError: 403,
    PreconditionRequiredError: 428,
    EditConflictError: 409,
    DatabaseUnavailableError: 503,
    StoreError: 503,  # the database, not the request, is at fault (e.g. an older schema)
}
"""HTTP status of each error type; the nearest base class in this table decides."""

HTTP_CODES: dict[int, str] = {
    401: define(
        "unauthenticated",
        "The request needs credentials (a bearer token or a sign-in).",
        area="api",
    ).code,
    404: "not-found",
    405: define(
        "method-not-allowed", "The resource exists but does not accept this method.", area="api"
    ).code,
    403: "forbidden",
}
HTTP_ERROR = define(
    "http-error", "Any other HTTP-level refusal; the status says which.", area="api"
)
INTERNAL = define(
    "internal-error",
    "The server failed on the request (a bug); it was logged with its traceback. Nothing in "
    "the request needs to change.",
    area="api",
)


class SafeJSONResponse(JSONResponse):
    """JSON that cannot fail on text echoed from the request: a lone surrogate (which UTF-8
    cannot encode) becomes U+FFFD instead of a server error."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return _printable(text).encode("utf-8")


def status_of(exc: EqualsError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    """The error body of a code and message (no location, no suggestions)."""
    return problem_body(Problem(code, message), message=message, **extra)


def problem_body(
    problem: Problem, *, message: str | None = None, **extra: object
) -> dict[str, Any]:
    record = problem.to_record()
    record["message"] = message if message is not None else str(problem.message)
    return {"error": {**record, **extra}}


def exception_body(exc: EqualsError) -> dict[str, Any]:
    """The body of a library error; keys clients relied on before the problem model stay."""
    extra: dict[str, object] = {}
    if isinstance(exc, ValidationError):
        extra["parameter"] = exc.location
    if isinstance(exc, EditConflictError):
        extra["current_version"] = exc.current
    return problem_body(exc.problem, message=str(exc), **extra)


# -- OpenAPI models of the body -------------------------------------------------------------
class LocationModel(BaseModel):
    """Where the problem is (each part optional)."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    row: int | None = None
    field: str | None = None


class ParameterProblem(BaseModel):
    """One invalid request parameter."""

    parameter: str = Field(description="the parameter's name, e.g. 'from' or 'limit'")
    message: str
    code: str = "invalid-parameter"
    severity: Severity = Severity.ERROR
    location: LocationModel = LocationModel()


class ErrorDetail(BaseModel):
    """A problem: stable ``code`` (see docs/problems.md), message, location, suggestions."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(description="stable problem code, listed in docs/problems.md")
    message: str = Field(description="for people: what is wrong and what to do")
    severity: Severity = Severity.ERROR
    location: LocationModel = LocationModel()
    suggestions: list[str] = Field(default_factory=list, description="closest valid values")
    parameter: str | None = Field(default=None, description="the parameter at fault (422)")
    parameters: list[str] | None = Field(default=None, description="every invalid parameter")
    problems: list[ParameterProblem] | None = None
    current_version: int | None = Field(default=None, description="on 409: the version now")


class ErrorBody(BaseModel):
    """Every error response of the API."""

    error: ErrorDetail


_DESCRIPTIONS = {
    400: "The request cannot be carried out as given",
    401: "Credentials are needed",
    403: "Not allowed for this user",
    404: "Unknown indicator, country, source or record (with suggestions)",
    409: "Edit conflict: the record changed since the version the update was based on",
    413: "The request body is larger than the server accepts",
    422: "An invalid parameter (named in the body)",
    428: "If-Match with the record's ETag is required",
    500: "Server failure (logged)",
    503: "The database is unreachable or not initialised",
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in _DESCRIPTIONS.items()
}
"""Documented on every operation (``FastAPI(responses=...)``), so schema checks cover errors."""


def install_error_handlers(app: FastAPI) -> None:
    """Map library errors, HTTP errors and request validation to the one error body."""

    @app.exception_handler(EqualsError)
    async def _equals_error(request: Request, exc: EqualsError) -> Response:
        status = status_of(exc)
        if _is_page(request.url.path):
            # A library error that reaches a page (the database gone, an edit conflict a
            # route did not catch) is a page in the reader's language, not the API's JSON.
            title, _words = _page_words(status, None)
            page, media = error_page(request.url.path, exc.code, title, exc.localised())
            headers = {"Retry-After": "5"} if status == 503 else None
            return Response(page, status, headers=headers, media_type=media)
        return SafeJSONResponse(exception_body(exc), status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and not request.url.path.startswith("/api/"):
            from equals.web.pages import page_not_found

            return page_not_found(request)
        code = HTTP_CODES.get(exc.status_code, HTTP_ERROR.code)
        if _is_page(request.url.path):
            # A page (a form without its CSRF token, a method it does not take) answers with
            # a small page in the reader's language, like a bad query value; not with JSON.
            title, message = _page_words(exc.status_code, exc.detail)
            page, media = error_page(request.url.path, code, title, message)
            return Response(page, exc.status_code, headers=exc.headers, media_type=media)
        return SafeJSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _bad_param(request: Request, exc: RequestValidationError) -> Response:
        if not request.url.path.startswith("/api/"):
            # Pages answer with pages: a bad id in the path names nothing that exists (404);
            # a bad query or form value is the visitor's input (422), said in plain words.
            if any(tuple(err.get("loc", ()))[:1] == ("path",) for err in exc.errors()):
                from equals.web.pages import page_not_found

                return page_not_found(request)
            names = ", ".join(
                _printable(str(err.get("loc", ("", "value"))[-1])) for err in exc.errors()
            )
            page, media = error_page(
                request.url.path,
                "invalid-parameter",
                Msg("Invalid request"),
                Msg("the value of %(names)s is not valid", names=names),
            )
            return Response(page, status_code=422, media_type=media)
        problems: list[dict[str, Any]] = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            name = _printable(".".join(loc) or "request")
            where = Location(field=name)
            problem = Problem("invalid-parameter", _printable(str(err.get("msg", "invalid"))))
            record = {**problem.to_record(), "location": where.to_record(), "parameter": name}
            problems.append(record)
        message = "; ".join(f"{p['parameter']}: {p['message']}" for p in problems)
        body = problem_body(
            Problem("invalid-parameter", message, location=_first_location(problems)),
            parameters=[p["parameter"] for p in problems],
            problems=problems,
            parameter=problems[0]["parameter"] if problems else "request",
        )
        return SafeJSONResponse(body, status_code=422)


def _is_page(path: str) -> bool:
    return not path.startswith(("/api/", "/static/"))


def _page_words(status: int, detail: object) -> tuple[Msg, str]:
    """The title and message of an HTTP refusal's page: the detail when it is a
    :class:`Msg` (translated), else words for its status."""
    match status:
        case 401:
            title, words = Msg("Sign-in needed"), Msg("this page needs a sign-in")
        case 403:
            title, words = Msg("Not allowed"), Msg("this is not allowed for your account")
        case 404:
            title, words = Msg("Not found"), Msg("nothing is at this address")
        case 405:
            title, words = Msg("Method not allowed"), Msg("this address does not take this method")
        case 409:
            title, words = Msg("Edit conflict"), Msg("this record changed since you opened it")
        case 422:
            title, words = Msg("Invalid input"), Msg("the input cannot be used as given")
        case 428:
            title = Msg("Version needed")
            words = Msg("this change needs the version it is based on")
        case 503:
            title, words = (
                Msg("Temporarily unavailable"),
                Msg("the database is not available; try again in a moment"),
            )
        case _:
            title, words = Msg("Bad request"), Msg("the request cannot be carried out as sent")
    return title, detail if isinstance(detail, Msg) else words


def _first_location(problems: list[dict[str, Any]]) -> Location:
    return Location(field=problems[0]["parameter"]) if problems else NOWHERE


_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(text: str) -> str:
    """Text safe to echo: lone surrogates replaced by U+FFFD (UTF-8 cannot encode them)."""
    return _SURROGATE.sub("\ufffd", text)
