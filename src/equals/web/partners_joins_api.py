"""The registry's API where it joins the rest of the platform: the evidence (a target's
progress against the country's published series, the under-served ranking ``action-gaps``, a
country's "who does what") and the session archive (reports that name an initiative, offered
for an editor to confirm or reject). Included by :mod:`equals.web.partners_api` under
``/api/v1``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from equals.auth import Actor
from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence
from equals.partners import codes, views
from equals.partners.action import ActionGap, Overlap, WhoRow
from equals.partners.links import decide_link, suggest_links
from equals.partners.series import TargetSeries, target_series
from equals.web.auth_deps import store_of
from equals.web.partners_deps import IniId, Writer

router = APIRouter(tags=["partnership"])


@router.get("/initiatives/{initiative_id}/targets/{target_id}/series", response_model=TargetSeries)
def target_progress(
    request: Request, initiative_id: IniId, target_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> TargetSeries:
    """Baseline → actuals → target, with the country's published series (source, licence)."""
    evidence: Evidence = request.app.state.evidence
    return target_series(evidence, initiative_id, target_id)


class Suggestion(BaseModel):
    session_id: int
    session_title: str
    evidence: str
    url: str


@router.get("/initiatives/{initiative_id}/session-suggestions", response_model=list[Suggestion])
def link_suggestions(request: Request, initiative_id: IniId) -> list[Suggestion]:
    """Session reports that name the initiative, for an editor to confirm (never linked
    silently)."""
    return [
        Suggestion(
            session_id=s.session_id,
            session_title=s.session_title,
            evidence=s.evidence,
            url=f"/sessions/{s.session_id}",
        )
        for s in suggest_links(store_of(request), initiative_id)
    ]


class LinkDecision(BaseModel):
    confirm: bool = Field(description="true: the report is about this initiative; false: not.")


@router.put("/initiatives/{initiative_id}/sessions/{session_id}", status_code=204)
def link_decide(
    request: Request,
    initiative_id: IniId,
    session_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: LinkDecision,
    user: Writer,
) -> Response:
    decide_link(
        store_of(request),
        initiative_id,
        session_id,
        confirm=body.confirm,
        actor=Actor.of(user),
        user=user,
    )
    return Response(status_code=204)


# -- evidence to action -------------------------------------------------------------------------
@router.get("/action-gaps", response_model=list[ActionGap])
def action_gaps_list(
    request: Request,
    pillar: Pillar,
    target_group: Annotated[str | None, Query(max_length=48, pattern="^[a-z_]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
) -> Response:
    """Countries by how under-served they are in an action area, most under-served first:
    ``score = max(gap, 0) / (1 + initiatives)`` with ``gap = 1 − parity (F/M)`` of the area's
    headline indicator (latest year) and ``initiatives`` the active ones (docs/partners.md)."""
    evidence: Evidence = request.app.state.evidence
    body = views.action_gaps_json(evidence, pillar, target_group=target_group, limit=limit)
    return Response(body, media_type="application/json")


class WhoDoesWhat(BaseModel):
    country: str
    country_name: str
    who: list[WhoRow]
    overlaps: list[Overlap]


@router.get("/who-does-what", response_model=WhoDoesWhat)
def who_list(
    request: Request, country: Annotated[str, Query(min_length=3, max_length=3)]
) -> WhoDoesWhat:
    """Partners × action areas × target groups of the active initiatives in a country, and
    likely overlaps (same area and target group, different lead organisations)."""
    code = codes.check_country(country, "country")
    who, overlaps = views.who(request.app.state.evidence, code)
    return WhoDoesWhat(
        country=code, country_name=codes.country_name(code), who=list(who), overlaps=list(overlaps)
    )
