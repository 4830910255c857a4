"""Pages of the partnership registry: the partner directory and a page per partner, coalitions
and governance, initiatives (list, page with target progress charts), the evidence-to-action map
and ranking, and a country's "who does what". Reads are public; the forms are in
:mod:`equals.web.partners_forms` (their routes come first, so ``/partners/new`` is not taken for
a partner id). Routes are thin: they call :mod:`equals.partners`."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from equals.core.errors import NotFoundError, ValidationError, message_of
from equals.core.i18n import _, current_language, territory_name, translations
from equals.core.vocabulary import Pillar, StakeholderGroup
from equals.evidence.queries import Evidence
from equals.partners import (
    InitiativeFilter,
    PartnerFilter,
    codes,
    get_partner,
    governance,
    list_coalitions,
    partner_sessions,
    views,
)
from equals.partners.action import GapMethod, action_gaps
from equals.partners.links import linked_sessions, suggest_links
from equals.partners.model import CodeLabel, Initiative
from equals.partners.permissions import Action, allowed
from equals.partners.registry import session_people
from equals.web import auth_deps as auth
from equals.web.partners_admin_forms import router as admin_forms_router
from equals.web.partners_deps import IniId
from equals.web.partners_forms import choice, may, missing, render
from equals.web.partners_forms import router as forms_router

router = APIRouter(include_in_schema=False)


def evidence_of(request: Request) -> Evidence:
    ev: Evidence = request.app.state.evidence
    return ev


router.include_router(forms_router)
router.include_router(admin_forms_router)

PAGE_SIZE = 100  # initiatives per page of /initiatives
PARTNER_INITIATIVES = 200  # on a partner's page; more: a link to all of them


@router.get("/partners", response_class=HTMLResponse)
def directory(
    request: Request, group: str = "", coalition: str = "", country: str = "", q: str = ""
) -> HTMLResponse:
    sg = choice(group, [g.value for g in StakeholderGroup])
    f = PartnerFilter(
        StakeholderGroup(sg) if sg else None,
        coalition[:64] or None,
        country[:3].upper() or None,
        q[:200].replace("\x00", "") or None,
    )
    ev = evidence_of(request)
    return render(
        request,
        "partners/directory.html",
        partners=views.directory(ev, f),
        coalitions=views.coalitions(ev),
        filters={"group": sg or "", "coalition": coalition, "country": country, "q": q},
    )


@router.get("/partners/{organization_id}", response_class=HTMLResponse)
def partner_page(request: Request, organization_id: str) -> HTMLResponse:
    store = auth.store_of(request)
    try:
        p = get_partner(store, organization_id[:128])
    except NotFoundError as exc:
        return missing(request, exc)
    found = views.initiatives_page(
        evidence_of(request),
        InitiativeFilter(organization=p.organization_id),
        limit=PARTNER_INITIATIVES,
    )
    inis = found.items
    return render(
        request,
        "partners/partner.html",
        p=p,
        led=[i for i in inis if i.lead.id == p.organization_id],
        joined=[i for i in inis if i.lead.id != p.organization_id],
        initiatives_total=found.total,
        sessions=partner_sessions(store, p.organization_id),
        people=session_people(store, p.organization_id),
        can_edit=may(request, Action.UPDATE_PARTNER, p.organization_id),
    )


@router.get("/coalitions", response_class=HTMLResponse)
def coalitions_page(request: Request) -> HTMLResponse:
    store = auth.store_of(request)
    return render(
        request,
        "partners/coalitions.html",
        coalitions=list_coalitions(store),
        seats=governance(store),
        bodies=codes.GOVERNANCE_BODIES,
        today=dt.datetime.now(dt.UTC).date().isoformat(),  # terms ended before it are past
        can_admin=may(request, Action.WRITE_COALITION, None),
    )


@router.get("/initiatives", response_class=HTMLResponse)
def initiatives_page(
    request: Request,
    area: str = "",
    country: str = "",
    group: str = "",
    q: str = "",
    page: str = "1",
    organization: str = "",
) -> HTMLResponse:
    pillar = choice(area, [p.value for p in Pillar])
    tg = choice(group, list(codes.target_groups()))
    org = organization[:128].replace("\x00", "")
    f = InitiativeFilter(
        org or None,
        country[:3].upper() or None,
        Pillar(pillar) if pillar else None,
        tg,
        None,
        q[:200].replace("\x00", "") or None,
    )
    number = max(int(page), 1) if page.isdigit() and len(page) <= 6 else 1
    ev = evidence_of(request)
    found = views.initiatives_page(ev, f, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    pages = max(1, -(-found.total // PAGE_SIZE))
    if number > pages:  # past the end: the last page
        number = pages
        found = views.initiatives_page(ev, f, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    filters = {
        "area": pillar or "",
        "country": country[:3],
        "group": tg or "",
        "q": q[:200],
        "organization": org,
    }
    query = {k: v for k, v in filters.items() if v}
    return render(
        request,
        "partners/initiatives.html",
        initiatives=found.items,
        total=found.total,
        first=(number - 1) * PAGE_SIZE + 1,
        page=number,
        pages=pages,
        page_url=lambda n: "/initiatives?" + urlencode({**query, "page": n}),
        filters=filters,
        groups=codes.target_groups(),
    )


def _country(code: str, published: str) -> str:
    """A country's name in the page's language (CLDR, as on the evidence pages)."""
    return territory_name(code, published)


def _named_countries(ini: Initiative) -> Initiative:
    """The initiative with its countries' names and its targets' countries and indicator
    titles in the page's language (the target chart's title is built from them)."""
    catalogue = translations(current_language())

    def named(c: CodeLabel) -> CodeLabel:
        return c.model_copy(update={"label": _country(c.code, c.label)})

    targets = []
    for t in ini.targets:
        title = catalogue.gettext(t.indicator_title)
        targets.append(t.model_copy(update={"country": named(t.country), "indicator_title": title}))
    countries = [named(c) for c in ini.countries]
    return ini.model_copy(update={"countries": countries, "targets": targets})


@router.get("/initiatives/{initiative_id}", response_class=HTMLResponse)
def initiative_page(request: Request, initiative_id: IniId) -> HTMLResponse:
    store = auth.store_of(request)
    try:
        ini = views.initiative(evidence_of(request), initiative_id)
    except NotFoundError as exc:
        return missing(request, exc)
    user = auth.cookie_user(request)
    can_edit = user is not None and allowed(user, Action.UPDATE_INITIATIVE, ini.lead.id)
    ini = _named_countries(ini)
    return render(
        request,
        "partners/initiative.html",
        ini=ini,
        targets_by_id={tg.id: tg for tg in ini.targets},
        reports=views.progress(evidence_of(request), ini.id),
        sessions=linked_sessions(store, ini.id),
        suggestions=suggest_links(store, ini.id) if can_edit else [],
        can_edit=can_edit,
        error=request.query_params.get("error", "")[:300],
    )


@router.get("/action", response_class=HTMLResponse)
def action_page(request: Request, pillar: str = "access", group: str = "") -> HTMLResponse:
    p = Pillar(choice(pillar, [x.value for x in Pillar]) or "access")
    tg = choice(group, list(codes.target_groups()))
    evidence: Evidence = request.app.state.evidence
    rows = action_gaps(evidence, p, target_group=tg)
    source = evidence.sources().get(rows[0].source) if rows else None
    return render(
        request,
        "partners/action.html",
        pillar=p,
        group=tg or "",
        groups=codes.target_groups(),
        rows=[
            r.model_copy(update={"country_name": _country(r.country, r.country_name)}) for r in rows
        ],
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
        return render(
            request, "partners/message.html", 404, title=_("Not found"), message=message_of(exc)
        )
    view = views.country_view(evidence, code)
    return render(
        request,
        "partners/country.html",
        code=code,
        country_name=territory_name(code, codes.country_name(code)),
        areas=view.areas,
        who=view.who,
        overlaps=view.overlaps,
        titles=view.titles,
        recorded=view.recorded,
        sources=evidence.sources(),
    )
