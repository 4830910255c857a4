"""JSON API for people across session reports: identities with their evidence (stable ids: a
merged id answers with the identity it belongs to), merge candidates with a confidence, and an
admin's merges, splits and "different people" decisions (bearer token, audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from equals.archive.people import (
    get_person,
    list_people,
    mark_distinct,
    merge_candidates,
    merge_people,
    split_person,
)
from equals.auth import Actor
from equals.web.auth_deps import BearerUser, store_of

router = APIRouter(prefix="/people")
PersonId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Person (identity) id.")]


class AppearanceOut(BaseModel):
    session_id: int
    title: str
    event: str
    year: int
    role: str
    name: str = Field(description="The name as written in that report.")
    organization: str | None
    organization_id: str | None
    stakeholder_group: str | None
    country: str | None
    region: str | None


class PersonOut(BaseModel):
    id: int = Field(description="The identity's id (a merged id resolves to this one).")
    name: str
    names: list[str] = Field(description="Every spelling seen in the reports.")
    merged_ids: list[int]
    organizations: list[str]
    stakeholder_groups: list[str]
    regions: list[str]
    countries: list[str]
    years: list[int]
    sessions: list[AppearanceOut]


class PersonBrief(BaseModel):
    id: int
    name: str
    names: list[str]
    organizations: list[str]
    stakeholder_groups: list[str]
    years: list[int]


class CandidateOut(BaseModel):
    a: PersonBrief
    b: PersonBrief
    confidence: float = Field(description="0..1: name likeness × evidence (organisation …).")
    reasons: list[str]


class MergeIn(BaseModel):
    into: int = Field(ge=1, le=2**31 - 1, description="The identity to merge into.")


class DistinctIn(BaseModel):
    a: int = Field(ge=1, le=2**31 - 1)
    b: int = Field(ge=1, le=2**31 - 1)


class DistinctOut(BaseModel):
    a: int
    b: int
    recorded: bool = Field(description="False if the pair was already marked.")


@router.get("", response_model=list[PersonOut])
def people_list(
    request: Request,
    q: Annotated[str, Query(max_length=200, description="Part of a name.")] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    return [p.to_record() for p in list_people(store_of(request), q, limit=limit)]


@router.get("/candidates", response_model=list[CandidateOut])
def people_candidates(
    request: Request,
    min_confidence: Annotated[float, Query(ge=0, le=1)] = 0.3,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Identities that may be one person, most likely first (an admin decides)."""
    found = merge_candidates(store_of(request), min_confidence=min_confidence, limit=limit)
    return [c.to_record() for c in found]


@router.get("/{person_id}", response_model=PersonOut)
def people_get(request: Request, person_id: PersonId) -> dict[str, Any]:
    return get_person(store_of(request), person_id).to_record()


@router.post("/{person_id}/merge", response_model=PersonOut)
def people_merge(
    request: Request, person_id: PersonId, body: MergeIn, user: BearerUser
) -> dict[str, Any]:
    """Merge this identity into ``into`` (admin only; audited; undo with ``split``)."""
    merged = merge_people(store_of(request), person_id, body.into, actor=Actor.of(user), by=user)
    return merged.to_record()


@router.post("/{person_id}/split", response_model=PersonOut)
def people_split(request: Request, person_id: PersonId, user: BearerUser) -> dict[str, Any]:
    """Undo a merge: this id is an identity of its own again (admin only; audited)."""
    return split_person(store_of(request), person_id, actor=Actor.of(user), by=user).to_record()


@router.post("/distinct", response_model=DistinctOut)
def people_distinct(request: Request, body: DistinctIn, user: BearerUser) -> DistinctOut:
    """Record that two identities are different people (admin only; audited)."""
    added = mark_distinct(store_of(request), body.a, body.b, actor=Actor.of(user), by=user)
    return DistinctOut(a=body.a, b=body.b, recorded=added)
