"""JSON API of the partnership registry: partners, organisation merges, coalitions, governance,
initiatives, progress and the code lists (the routes that join the evidence and the session
archive are in :mod:`equals.web.partners_joins_api`, included here). Reads are public;
writes need ``Authorization: Bearer <token>`` (401 without) of a user whose registry rights
allow them (403 otherwise, see ``equals.partners.permissions``).
Updates need ``If-Match`` with the ETag read (428 without, 409 when stale)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from equals.auth import Actor
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.evidence.queries import Evidence
from equals.partners import (
    InitiativeFilter,
    PartnerFilter,
    add_progress,
    add_seat,
    codes,
    create_coalition,
    create_initiative,
    create_partner,
    end_term,
    get_coalition,
    get_partner,
    get_seat,
    governance,
    list_coalitions,
    list_partners,
    partner_sessions,
    update_coalition,
    update_initiative,
    update_partner,
    update_seat,
    views,
)
from equals.partners.exchange import initiatives_csv, partners_csv
from equals.partners.model import (
    Coalition,
    CoalitionIn,
    Initiative,
    InitiativeIn,
    Partner,
    PartnerIn,
    ProgressIn,
    ProgressReport,
    Seat,
    SeatEndIn,
    SeatIn,
)
from equals.partners.organizations import merge
from equals.partners.permissions import Action, allowed
from equals.web.auth_deps import store_of
from equals.web.concurrency import if_match_version, set_etag
from equals.web.partners_deps import (
    ORG_PATTERN,
    Country,
    Fmt,
    IniId,
    OrgId,
    Search,
    Writer,
    csv_response,
    optional_user,
)
from equals.web.partners_joins_api import router as joins_router

router = APIRouter(prefix="/api/v1", tags=["partnership"])
router.include_router(joins_router)

# -- partners -------------------------------------------------------------------------------
CSV_200: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON or CSV."}
}


@router.get("/partners", response_model=list[Partner], responses=CSV_200)
def partners_list(
    request: Request,
    stakeholder_group: StakeholderGroup | None = None,
    coalition: Annotated[str | None, Query(max_length=64, pattern="^[a-z0-9-]+$")] = None,
    country: Country = None,
    q: Search = None,
    format: Fmt = "json",
) -> list[Partner] | Response:
    """Partners by name (filters: stakeholder group, coalition, country; ``q`` searches names,
    aliases and descriptions). Contacts' e-mail addresses are never listed."""
    rows = list_partners(store_of(request), PartnerFilter(stakeholder_group, coalition, country, q))
    return csv_response(partners_csv(rows), "partners") if format == "csv" else rows


@router.get("/partners/{organization_id}", response_model=Partner)
def partners_get(request: Request, response: Response, organization_id: OrgId) -> Partner:
    """One partner (ETag = its version). Contacts' e-mail addresses only for a token of the
    partner's own editors or an admin."""
    user = optional_user(request)
    store = store_of(request)
    private = user is not None and allowed(user, Action.UPDATE_PARTNER, organization_id)
    partner = get_partner(store, organization_id, private=private)
    set_etag(response, partner.version)
    return partner


@router.post("/partners", status_code=201, response_model=Partner)
def partners_create(request: Request, response: Response, body: PartnerIn, user: Writer) -> Partner:
    partner = create_partner(store_of(request), body, actor=Actor.of(user), user=user)
    set_etag(response, partner.version)
    return partner


@router.put("/partners/{organization_id}", response_model=Partner)
def partners_update(
    request: Request, response: Response, organization_id: OrgId, body: PartnerIn, user: Writer
) -> Partner:
    based_on = if_match_version(request)
    partner = update_partner(
        store_of(request),
        organization_id,
        body,
        based_on=based_on,
        actor=Actor.of(user),
        user=user,
    )
    set_etag(response, partner.version)
    return partner


class SessionRef(BaseModel):
    id: int
    title: str
    date: str | None
    event: str
    url: str


@router.get("/partners/{organization_id}/sessions", response_model=list[SessionRef])
def partners_sessions(request: Request, organization_id: OrgId) -> list[SessionRef]:
    """Sessions where the partner's people spoke or that it organised (merged ids included)."""
    store = store_of(request)
    get_partner(store, organization_id)
    return [
        SessionRef(
            id=s.id,
            title=s.title,
            date=s.date,
            event=f"{s.event} {s.year}",
            url=f"/sessions/{s.id}",
        )
        for s in partner_sessions(store, organization_id)
    ]


class MergeIn(BaseModel):
    merged: str = Field(max_length=128, pattern=ORG_PATTERN)
    into: str = Field(max_length=128, pattern=ORG_PATTERN)


@router.post("/organizations/merge")
def organizations_merge(request: Request, body: MergeIn, user: Writer) -> dict[str, object]:
    """Merge a duplicate organisation into another (admins; audited)."""
    detail = merge(store_of(request), body.merged, body.into, actor=Actor.of(user), user=user)
    return {"into": body.into, "merged": body.merged, "moved": detail["moved"]}


# -- coalitions and governance ----------------------------------------------------------------
CoalitionId = Annotated[str, Path(max_length=64, pattern="^[a-z0-9][a-z0-9-]*$")]


@router.get("/coalitions", response_model=list[Coalition])
def coalitions_list(request: Request) -> list[Coalition]:
    return list_coalitions(store_of(request))


@router.get("/coalitions/{coalition_id}", response_model=Coalition)
def coalitions_get(request: Request, response: Response, coalition_id: CoalitionId) -> Coalition:
    c = get_coalition(store_of(request), coalition_id)
    set_etag(response, c.version)
    return c


@router.post("/coalitions", status_code=201, response_model=Coalition)
def coalitions_create(request: Request, body: CoalitionIn, user: Writer) -> Coalition:
    return create_coalition(store_of(request), body, actor=Actor.of(user), user=user)


@router.put("/coalitions/{coalition_id}", response_model=Coalition)
def coalitions_update(
    request: Request,
    response: Response,
    coalition_id: CoalitionId,
    body: CoalitionIn,
    user: Writer,
) -> Coalition:
    based_on = if_match_version(request)
    c = update_coalition(
        store_of(request), coalition_id, body, based_on=based_on, actor=Actor.of(user), user=user
    )
    set_etag(response, c.version)
    return c


@router.post("/governance", status_code=201, response_model=Seat)
def governance_add(request: Request, body: SeatIn, user: Writer) -> Seat:
    """Record who holds a co-founder, steering-committee or secretariat seat (admins)."""
    return add_seat(store_of(request), body, actor=Actor.of(user), user=user)


@router.get("/governance", response_model=list[Seat])
def governance_list(request: Request) -> list[Seat]:
    """Co-founders, steering-committee seats (with terms) and the secretariat: one record per
    term, past terms included (``until`` before today)."""
    return governance(store_of(request))


SeatId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/governance/{seat_id}", response_model=Seat)
def governance_get(request: Request, response: Response, seat_id: SeatId) -> Seat:
    """One seat's term, with its version as the ETag."""
    s = get_seat(store_of(request), seat_id)
    set_etag(response, s.version)
    return s


@router.put("/governance/{seat_id}", response_model=Seat)
def governance_update(
    request: Request, response: Response, seat_id: SeatId, body: SeatIn, user: Writer
) -> Seat:
    """Correct a seat's record (admins; needs If-Match; audited with before and after). To
    record a new holder, end the term and add the next one."""
    based_on = if_match_version(request)
    s = update_seat(
        store_of(request), seat_id, body, based_on=based_on, actor=Actor.of(user), user=user
    )
    set_etag(response, s.version)
    return s


@router.post("/governance/{seat_id}/end", response_model=Seat)
def governance_end(
    request: Request, response: Response, seat_id: SeatId, body: SeatEndIn, user: Writer
) -> Seat:
    """End a term on ``until`` (admins; needs If-Match); the record stays as the seat's
    history."""
    based_on = if_match_version(request)
    s = end_term(
        store_of(request), seat_id, body, based_on=based_on, actor=Actor.of(user), user=user
    )
    set_etag(response, s.version)
    return s


# -- initiatives ------------------------------------------------------------------------------
INITIATIVES_200: dict[int | str, dict[str, Any]] = {
    200: {
        **CSV_200[200],
        "headers": {
            "X-Total-Count": {
                "description": "How many initiatives match the filters (all pages).",
                "schema": {"type": "integer"},
            }
        },
    }
}


@router.get("/initiatives", response_model=list[Initiative], responses=INITIATIVES_200)
def initiatives_list(
    request: Request,
    organization: Annotated[str | None, Query(max_length=128, pattern=ORG_PATTERN)] = None,
    country: Country = None,
    area: Pillar | None = None,
    target_group: Annotated[str | None, Query(max_length=48, pattern="^[a-z_]+$")] = None,
    status: Annotated[str | None, Query(pattern="^[1-6]$")] = None,
    q: Search = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    format: Fmt = "json",
) -> Response:
    """Full records, by title, paged (``limit``, ``offset``); ``X-Total-Count`` says how many
    match in all."""
    f = InitiativeFilter(organization, country, area, target_group, status, q)
    evidence: Evidence = request.app.state.evidence
    if format == "csv":
        page = views.initiatives_page(evidence, f, limit=limit, offset=offset)
        out = csv_response(initiatives_csv(list(page.items)), "initiatives")
        total = page.total
    else:
        total, body = views.initiatives_json(evidence, f, limit=limit, offset=offset)
        out = Response(body, media_type="application/json")
    out.headers["X-Total-Count"] = str(total)
    return out


@router.get("/initiatives/{initiative_id}", response_model=Initiative)
def initiatives_get(request: Request, response: Response, initiative_id: IniId) -> Initiative:
    ini = views.initiative(request.app.state.evidence, initiative_id)
    set_etag(response, ini.version)
    return ini


@router.post("/initiatives", status_code=201, response_model=Initiative)
def initiatives_create(
    request: Request, response: Response, body: InitiativeIn, user: Writer
) -> Initiative:
    ini = create_initiative(store_of(request), body, actor=Actor.of(user), user=user)
    set_etag(response, ini.version)
    response.headers["Location"] = f"/api/v1/initiatives/{ini.id}"
    return ini


@router.put("/initiatives/{initiative_id}", response_model=Initiative)
def initiatives_update(
    request: Request, response: Response, initiative_id: IniId, body: InitiativeIn, user: Writer
) -> Initiative:
    based_on = if_match_version(request)
    ini = update_initiative(
        store_of(request), initiative_id, body, based_on=based_on, actor=Actor.of(user), user=user
    )
    set_etag(response, ini.version)
    return ini


@router.get("/initiatives/{initiative_id}/progress", response_model=list[ProgressReport])
def progress_list(request: Request, initiative_id: IniId) -> list[ProgressReport]:
    """Progress reports, newest first."""
    return list(views.progress(request.app.state.evidence, initiative_id))


@router.post(
    "/initiatives/{initiative_id}/progress", status_code=201, response_model=ProgressReport
)
def progress_create(
    request: Request, initiative_id: IniId, body: ProgressIn, user: Writer
) -> ProgressReport:
    return add_progress(store_of(request), initiative_id, body, actor=Actor.of(user), user=user)


@router.get("/partnership/codes")
def code_lists() -> dict[str, dict[str, str]]:
    """The code lists writers use: IATI codelists (2.03), target groups, governance bodies."""
    names = [
        "ActivityStatus",
        "OrganisationRole",
        "OrganisationType",
        "PolicySignificance",
        "Region",
        "Sector",
        "Currency",
    ]
    out = {n: dict(codes.codelist(n)) for n in names}
    out["TargetGroup"] = dict(codes.target_groups())
    out["GovernanceBody"] = dict(codes.GOVERNANCE_BODIES)
    out["StakeholderGroup"] = {g.value: g.value.replace("_", " ") for g in StakeholderGroup}
    return out
