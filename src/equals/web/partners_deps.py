"""What the registry's API routes share: path and query parameter types (bad values answer
422 naming the parameter), the writer (a bearer token of a live user: 401 without), and the
CSV response."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Path, Query, Request, Response

from equals.auth import User, user_for_token
from equals.web.auth_deps import store_of

ORG_PATTERN = r"^[a-z0-9][a-z0-9:._-]*$"
OrgId = Annotated[str, Path(max_length=128, pattern=ORG_PATTERN, description="Organisation id.")]
IniId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Initiative id.")]
Search = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
Country = Annotated[str | None, Query(min_length=3, max_length=3, pattern="^[A-Za-z]{3}$")]
Fmt = Annotated[Literal["json", "csv"], Query(description="json (default) or csv.")]


def registry_user(request: Request) -> User:
    """The writer: a bearer token of a live user (rights are checked by the service: 403)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
    user = user_for_token(store_of(request), token.strip()[:200])
    if user is None:
        raise HTTPException(401, "invalid or revoked token", {"WWW-Authenticate": "Bearer"})
    return user


Writer = Annotated[User, Depends(registry_user)]


def optional_user(request: Request) -> User | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_token(store_of(request), token.strip()[:200])


def csv_response(text: str, name: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
