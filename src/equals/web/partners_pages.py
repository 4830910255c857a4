"""Pages of the partnership registry: the partner directory and a page per partner, coalitions
and governance, initiatives (list, page with target progress charts, add/edit forms with the
template's guidance, progress reports, session-link decisions), the evidence-to-action map and
ranking, and a country's "who does what". Reads are public; forms need a signed-in user with
registry rights and carry a CSRF token. Routes are thin: they call :mod:`equals.partners`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from equals.auth import Actor, User
from equals.core.errors import EditConflictError, EqualsError, NotFoundError, ValidationError
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.evidence.queries import Evidence
from equals.partners import (
    InitiativeFilter,
    PartnerFilter,
    add_progress,
    codes,
    create_initiative,
    create_partner,
    get_initiative,
    get_partner,
    governance,
    list_coalitions,
    list_initiatives,
    list_partners,
    list_progress,
    partner_sessions,
    update_initiative,
    update_partner,
)
from equals.partners.action import GapMethod, action_gaps, country_action, who_does_what
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
)
from equals.partners.links import decide_link, linked_sessions, suggest_links
from equals.partners.permissions import Action, allowed, may_write_any
from equals.partners.registry import GROUP_LABELS, session_people
from equals.web import auth_deps as auth
from equals.web.pages import templates as jinja

router = APIRouter(include_in_schema=False)


def _render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    user = auth.cookie_user(request)
    ctx.setdefault("user", user)
    ctx.setdefault("csrf", auth.csrf_for(request))
    ctx.setdefault("nav", "partnership")
    ctx.setdefault("can_write", user is not None and may_write_any(user))
    ctx.setdefault("group_labels", {g.value: label for g, label in GROUP_LABELS.items()})
    response = jinja.TemplateResponse(request, name, ctx, status_code=status_code)
    auth.session_id(request, response)
    return response


def _missing(request: Request, exc: NotFoundError) -> HTMLResponse:
    return _render(request, "partners/message.html", 404, title="Not found", message=str(exc))


def _signed_in(request: Request, back: str) -> User | Response:
    user = auth.cookie_user(request)
    if user is None:
        return RedirectResponse(f"/login?next={back}", status_code=303)
    return user


def _may(request: Request, action: Action, organization_id: str | None) -> bool:
    user = auth.cookie_user(request)
    return user is not None and allowed(user, action, organization_id)


def _choice(value: str, allowed_values: list[str]) -> str | None:
    return value if value in allowed_values else None


@router.get("/partners", response_class=HTMLResponse)
def directory(
    request: Request, group: str = "", coalition: str = "", country: str = "", q: str = ""
) -> HTMLResponse:
    store = auth.store_of(request)
    sg = _choice(group, [g.value for g in StakeholderGroup])
    f = PartnerFilter(
        StakeholderGroup(sg) if sg else None,
        coalition[:64] or None,
        country[:3].upper() or None,
        q[:200].replace("\x00", "") or None,
    )
    return _render(
        request,
        "partners/directory.html",
        partners=list_partners(store, f),
        coalitions=list_coalitions(store),
        filters={"group": sg or "", "coalition": coalition, "country": country, "q": q},
    )


def _partner_form(
    request: Request,
    oid: str | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    version: int | None = None,
    conflict: str = "",
) -> HTMLResponse:
    return _render(
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
    user = _signed_in(request, "/partners/new")
    if not isinstance(user, User):
        return user
    return _partner_form(request, None, {}, {})


@router.post("/partners/new", response_class=HTMLResponse, response_model=None)
async def partner_create(request: Request) -> Response:
    user = _signed_in(request, "/partners/new")
    if not isinstance(user, User):
        return user
    form, _ = await _posted(request)
    try:
        p = create_partner(
            auth.store_of(request), partner_fields(form), actor=Actor.of(user), user=user
        )
    except ValidationError as exc:
        return _partner_form(request, None, form, _errors(exc, contact_field), 422)
    except EqualsError as exc:
        return _partner_form(request, None, form, {"form": str(exc)}, 403)
    return RedirectResponse(p.url, status_code=303)


@router.get("/partners/{organization_id}/edit", response_class=HTMLResponse, response_model=None)
def partner_edit(request: Request, organization_id: str) -> Response:
    user = _signed_in(request, "/partners")
    if not isinstance(user, User):
        return user
    try:
        p = get_partner(auth.store_of(request), organization_id[:128], private=True)
    except NotFoundError as exc:
        return _missing(request, exc)
    if not allowed(user, Action.UPDATE_PARTNER, p.organization_id):
        return _render(
            request,
            "partners/message.html",
            403,
            title="Not allowed",
            message="Only this partner's editors and admins may edit it.",
        )
    return _partner_form(request, p.organization_id, partner_values(p), {}, version=p.version)


@router.post("/partners/{organization_id}/edit", response_class=HTMLResponse, response_model=None)
async def partner_save(request: Request, organization_id: str) -> Response:
    user = _signed_in(request, "/partners")
    if not isinstance(user, User):
        return user
    form, _ = await _posted(request)
    version = int(form["version"]) if form.get("version", "").isdigit() else 0
    oid = organization_id[:128]
    try:
        p = update_partner(
            auth.store_of(request),
            oid,
            partner_fields(form),
            based_on=version,
            actor=Actor.of(user),
            user=user,
        )
    except EditConflictError as exc:
        return _partner_form(request, oid, form, {}, 409, exc.current, str(exc))
    except ValidationError as exc:
        return _partner_form(request, oid, form, _errors(exc, contact_field), 422, version)
    except NotFoundError as exc:
        return _missing(request, exc)
    except EqualsError as exc:
        return _partner_form(request, oid, form, {"form": str(exc)}, 403, version)
    return RedirectResponse(p.url, status_code=303)


@router.get("/partners/{organization_id}", response_class=HTMLResponse)
def partner_page(request: Request, organization_id: str) -> HTMLResponse:
    store = auth.store_of(request)
    try:
        p = get_partner(store, organization_id[:128])
    except NotFoundError as exc:
        return _missing(request, exc)
    inis = list_initiatives(store, InitiativeFilter(organization=p.organization_id))
    return _render(
        request,
        "partners/partner.html",
        p=p,
        led=[i for i in inis if i.lead.id == p.organization_id],
        joined=[i for i in inis if i.lead.id != p.organization_id],
        sessions=partner_sessions(store, p.organization_id),
        people=session_people(store, p.organization_id),
        can_edit=_may(request, Action.UPDATE_PARTNER, p.organization_id),
    )


@router.get("/coalitions", response_class=HTMLResponse)
def coalitions_page(request: Request) -> HTMLResponse:
    store = auth.store_of(request)
    return _render(
        request,
        "partners/coalitions.html",
        coalitions=list_coalitions(store),
        seats=governance(store),
        bodies=codes.GOVERNANCE_BODIES,
    )


@router.get("/initiatives", response_class=HTMLResponse)
def initiatives_page(
    request: Request, area: str = "", country: str = "", group: str = "", q: str = ""
) -> HTMLResponse:
    pillar = _choice(area, [p.value for p in Pillar])
    tg = _choice(group, list(codes.target_groups()))
    f = InitiativeFilter(
        None,
        country[:3].upper() or None,
        Pillar(pillar) if pillar else None,
        tg,
        None,
        q[:200].replace("\x00", "") or None,
    )
    return _render(
        request,
        "partners/initiatives.html",
        initiatives=list_initiatives(auth.store_of(request), f, limit=500),
        filters={"area": pillar or "", "country": country, "group": tg or "", "q": q},
        groups=codes.target_groups(),
    )


@router.get("/initiatives/new", response_class=HTMLResponse, response_model=None)
def initiative_new(request: Request) -> Response:
    user = _signed_in(request, "/initiatives/new")
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
    return _render(
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


async def _posted(request: Request) -> tuple[dict[str, str], dict[str, list[str]]]:
    form = await request.form()
    auth.check_csrf(request, str(form.get("csrf_token") or ""))
    single = {k: str(v) for k, v in form.items()}
    multi = {k: [str(x) for x in form.getlist(k)] for k in ("action_areas", "target_groups")}
    return single, multi


def _errors(exc: EqualsError, field: Callable[[str], str] = field_of) -> dict[str, str]:
    location = getattr(exc, "location", "") or "form"
    message = exc.message
    if message.startswith(f"{location}: "):
        message = message[len(location) + 2 :]
    return {field(location): message}


@router.post("/initiatives/new", response_class=HTMLResponse, response_model=None)
async def initiative_create(request: Request) -> Response:
    user = _signed_in(request, "/initiatives/new")
    if not isinstance(user, User):
        return user
    single, multi = await _posted(request)
    values = {**single, **multi}
    try:
        ini = create_initiative(
            auth.store_of(request),
            initiative_fields(single, multi),
            actor=Actor.of(user),
            user=user,
        )
    except ValidationError as exc:
        return _form(request, user, None, values, _errors(exc), 422)
    except EqualsError as exc:  # PermissionDeniedError and the like
        return _form(request, user, None, values, {"form": str(exc)}, 403)
    return RedirectResponse(f"/initiatives/{ini.id}", status_code=303)


@router.get("/initiatives/{initiative_id}/edit", response_class=HTMLResponse, response_model=None)
def initiative_edit(request: Request, initiative_id: int) -> Response:
    user = _signed_in(request, f"/initiatives/{initiative_id}/edit")
    if not isinstance(user, User):
        return user
    try:
        ini = get_initiative(auth.store_of(request), initiative_id)
    except NotFoundError as exc:
        return _missing(request, exc)
    return _form(request, user, ini.id, form_values(ini), {}, version=ini.version)


@router.post("/initiatives/{initiative_id}/edit", response_class=HTMLResponse, response_model=None)
async def initiative_save(request: Request, initiative_id: int) -> Response:
    user = _signed_in(request, f"/initiatives/{initiative_id}/edit")
    if not isinstance(user, User):
        return user
    single, multi = await _posted(request)
    values = {**single, **multi}
    version = int(single["version"]) if single.get("version", "").isdigit() else 0
    store = auth.store_of(request)
    try:
        update_initiative(
            store,
            initiative_id,
            initiative_fields(single, multi),
            based_on=version,
            actor=Actor.of(user),
            user=user,
        )
    except EditConflictError as exc:
        return _form(
            request, user, initiative_id, values, {}, 409, version=exc.current, conflict=str(exc)
        )
    except ValidationError as exc:
        return _form(request, user, initiative_id, values, _errors(exc), 422, version=version)
    except NotFoundError as exc:
        return _missing(request, exc)
    except EqualsError as exc:
        return _form(request, user, initiative_id, values, {"form": str(exc)}, 403, version=version)
    return RedirectResponse(f"/initiatives/{initiative_id}", status_code=303)


@router.get("/initiatives/{initiative_id}", response_class=HTMLResponse)
def initiative_page(request: Request, initiative_id: int) -> HTMLResponse:
    store = auth.store_of(request)
    try:
        ini = get_initiative(store, initiative_id)
    except NotFoundError as exc:
        return _missing(request, exc)
    user = auth.cookie_user(request)
    can_edit = user is not None and allowed(user, Action.UPDATE_INITIATIVE, ini.lead.id)
    return _render(
        request,
        "partners/initiative.html",
        ini=ini,
        reports=list_progress(store, ini.id),
        sessions=linked_sessions(store, ini.id),
        suggestions=suggest_links(store, ini.id) if can_edit else [],
        can_edit=can_edit,
        error=request.query_params.get("error", "")[:300],
    )


@router.post("/initiatives/{initiative_id}/progress", response_model=None)
async def progress_submit(request: Request, initiative_id: int) -> Response:
    user = _signed_in(request, f"/initiatives/{initiative_id}")
    if not isinstance(user, User):
        return user
    form, _ = await _posted(request)
    values = [
        {
            "target_id": int(k.removeprefix("actual_")),
            "value": v,
            "year": form.get(f"year_{k.removeprefix('actual_')}", ""),
        }
        for k, v in form.items()
        if k.startswith("actual_") and k.removeprefix("actual_").isdigit() and v.strip()
    ]
    body = {
        "date": form.get("date", ""),
        "narrative": form.get("narrative", ""),
        "links": [x for x in form.get("links", "").split() if x],
        "values": values,
    }
    try:
        add_progress(auth.store_of(request), initiative_id, body, actor=Actor.of(user), user=user)
    except EqualsError as exc:
        from urllib.parse import quote

        return RedirectResponse(
            f"/initiatives/{initiative_id}?error={quote(str(exc)[:300])}#progress", 303
        )
    return RedirectResponse(f"/initiatives/{initiative_id}#progress", status_code=303)


@router.post("/initiatives/{initiative_id}/sessions/{session_id}", response_model=None)
async def link_submit(request: Request, initiative_id: int, session_id: int) -> Response:
    user = _signed_in(request, f"/initiatives/{initiative_id}")
    if not isinstance(user, User):
        return user
    form, _ = await _posted(request)
    try:
        decide_link(
            auth.store_of(request),
            initiative_id,
            session_id,
            confirm=form.get("decision") == "confirm",
            actor=Actor.of(user),
            user=user,
            evidence=form.get("evidence", "")[:600],
        )
    except EqualsError as exc:
        from urllib.parse import quote

        return RedirectResponse(f"/initiatives/{initiative_id}?error={quote(str(exc)[:300])}", 303)
    return RedirectResponse(f"/initiatives/{initiative_id}#sessions", status_code=303)


@router.get("/action", response_class=HTMLResponse)
def action_page(request: Request, pillar: str = "access", group: str = "") -> HTMLResponse:
    p = Pillar(_choice(pillar, [x.value for x in Pillar]) or "access")
    tg = _choice(group, list(codes.target_groups()))
    evidence: Evidence = request.app.state.evidence
    rows = action_gaps(evidence, p, target_group=tg)
    source = evidence.sources().get(rows[0].source) if rows else None
    return _render(
        request,
        "partners/action.html",
        pillar=p,
        group=tg or "",
        groups=codes.target_groups(),
        rows=rows,
        indicator=evidence.indicator(GapMethod().headline[p]),
        source=source,
        api=f"/api/v1/action-gaps?pillar={p.value}" + (f"&target_group={tg}" if tg else ""),
    )


@router.get("/action/{country}", response_class=HTMLResponse)
def country_page(request: Request, country: str) -> HTMLResponse:
    evidence: Evidence = request.app.state.evidence
    try:
        code = codes.check_country(country[:3], "country")
    except ValidationError as exc:
        return _render(request, "partners/message.html", 404, title="Not found", message=str(exc))
    with evidence.store.connect() as conn:
        who, overlaps = who_does_what(conn, code)
    areas = country_action(evidence, code)
    ids = sorted(
        {i for a in areas for i in a.initiatives} | {i for w in who for i in w.initiatives}
    )
    recorded = list_initiatives(evidence.store, InitiativeFilter(country=code), limit=1000)
    titles = {i.id: i.title for i in recorded}
    return _render(
        request,
        "partners/country.html",
        code=code,
        country_name=codes.country_name(code),
        areas=areas,
        who=who,
        overlaps=overlaps,
        titles={i: titles.get(i, f"#{i}") for i in ids},
        recorded=recorded,
        sources=evidence.sources(),
    )
