"""Analysis pages: the index ranking with rank intervals, a country's index card with trends
and years to parity, the data-gap map and tables, and the methodology.

Routes are thin: they call :mod:`equals.analysis` and render ``templates/analysis``. Charts are
drawn in the browser by ``static/js/analysis.js`` from the analysis API (URLs passed in
``data-*`` attributes; no inline script). ``?embed=1`` renders a page's chart alone, for the
embed snippet every chart offers.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from equals.analysis.audit import data_gap_audit
from equals.analysis.headline import AGE_BASE, AGE_NOTES, headlines
from equals.analysis.index import compute_index
from equals.analysis.method import PILLARS, load_method
from equals.analysis.pace import group_pace
from equals.analysis.quality import load_quality
from equals.analysis.trends import country_trend, load_trend_method
from equals.core.errors import NotFoundError
from equals.core.i18n import DEFAULT_LANGUAGE, N_, _, current_language, territory_name
from equals.evidence.queries import Evidence
from equals.web.chart_data import frameable, is_embed
from equals.web.deps import get_evidence
from equals.web.language import localised
from equals.web.pages import fmt_num, fmt_pct, msg, templates

router = APIRouter(include_in_schema=False)
Ev = Annotated[Evidence, Depends(get_evidence)]
API = "/api/v1/analysis"


#: Words from the method and quality data that the pages show (through the ``msg`` filter).
METHOD_WORDS = (
    N_("high"),
    N_("medium"),
    N_("low"),
    N_("arithmetic"),
    N_("geometric"),
    N_("equal"),
    N_("(not classified)"),  # the audit's group for areas without a region or income group
)


def page_data_messages() -> list[str]:
    """The analysis library's own sentences that these pages show: what each headline counts
    and its age note. ``scripts/i18n.py`` extracts them into the pages catalogue."""
    return [meaning for _age, meaning in AGE_BASE.values()] + list(AGE_NOTES.values())


def trend_message(t: Any) -> str:
    """A country trend's status sentence (``ParityTrend.message``) in the current language.

    English keeps the analysis library's sentence; other languages rebuild it from the
    trend's fields with the same facts.
    """
    if current_language() == DEFAULT_LANGUAGE or not t.message:
        return str(t.message)
    m, status, last = t.method, t.status.value, t.last_year
    if status == "at_parity":
        return _(
            "at parity: the fitted parity score is within %(low)s–%(high)s in %(year)s",
            low=fmt_num(m.band[0], 2),
            high=fmt_num(m.band[1], 2),
            year=last,
        )
    if status == "converging":
        return _(
            "parity in %(year)s at the current pace (%(years)s years after the last data, "
            "%(last)s)",
            year=t.parity_year,
            years=t.years_to_parity,
            last=last,
        )
    if status == "diverging":
        return _(
            "diverging: the gap is widening (%(change)s a year in the parity score)",
            change=fmt_pct(t.annual_change, 2, signed=True),
        )
    if status == "not_at_current_pace":
        if not t.annual_change:
            return _("not at current pace: the parity score is not changing")
        return _(
            "not at current pace: parity would take more than %(horizon)s years after %(last)s",
            horizon=m.horizon,
            last=last,
        )
    n = len(t.points)
    span = last - t.first_year + 1 if n else 0
    if n < m.min_points or span < m.min_span_years:
        return _(
            "not enough data to fit a trend: %(points)s point(s) over %(span)s year(s); the "
            "method needs at least %(min_points)s points over at least %(min_span)s years",
            points=n,
            span=span,
            min_points=m.min_points,
            min_span=m.min_span_years,
        )
    return _("a zero or negative value cannot be fitted on the log or logit scale")


templates.env.filters["trend_message"] = trend_message


def _catalogue_label(indicator: str) -> str:
    """An indicator's short title in the current language (headline footnotes)."""
    from equals.indicators.catalogue import load_catalogue

    try:
        return msg(load_catalogue().get(indicator).label)
    except (KeyError, AttributeError):
        return indicator.replace("_", " ").capitalize()


templates.env.globals["catalogue_label"] = _catalogue_label


def _render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def _embed(request: Request) -> bool:
    return is_embed(request)


def _not_found(request: Request, exc: NotFoundError) -> HTMLResponse:
    return _render(request, "not_found.html", 404, kind=exc.kind, value=exc.value, suggestions=[])


def _method(ev: Evidence) -> Any:
    return load_method(known_indicators=frozenset(i.id for i in ev.catalogue))


@router.get("/analysis", response_class=HTMLResponse)
def index_page(
    request: Request, ev: Ev, pace: str | None = None, head: str | None = None
) -> HTMLResponse:
    method = _method(ev)
    result = compute_index(ev, method)
    heads = [headlines(ev, i) for i in AGE_BASE]
    pace_indicator = pace if pace is not None and pace in method.indicators else "internet_use"
    chart = {
        "kind": "ranks",
        "data_url": f"{API}/index",
        "csv_url": f"{API}/index?format=csv",
        "zip_url": f"{API}/zip/index",
        "share_url": localised("/analysis"),
        "title": _("Rank intervals"),
    }
    if _embed(request):
        return frameable(_render(request, "analysis/embed.html", chart=chart))
    return _render(
        request,
        "analysis/index.html",
        nav="analysis",
        result=result,
        pillars=PILLARS,
        heads=heads,
        chart=chart,
        pace=group_pace(ev, pace_indicator),
        head=next((h for h in heads if h.indicator == head), heads[0]),
        pace_ignored=pace if pace and pace != pace_indicator else None,
        indicators=[ev.indicator(i) for i in method.indicators],
    )


@router.get("/analysis/country/{code}", response_class=HTMLResponse)
def country_page(request: Request, code: str, ev: Ev, indicator: str | None = None) -> HTMLResponse:
    try:
        area = ev.area(code)
        chosen = ev.indicator(indicator).id if indicator else None
    except NotFoundError as exc:
        return _not_found(request, exc)
    method = _method(ev)
    result = compute_index(ev, method)
    card = result.country(area.code) if area.is_country else None
    if card is None:
        return _not_found(request, NotFoundError("country", code))
    trends = [country_trend(ev, area.code, i) for i in method.indicators]
    if chosen is None:
        fitted = [t for t in trends if t.parity is not None]
        chosen = fitted[0].indicator if fitted else method.indicators[0]
    query = urlencode({"indicator": chosen})
    chart = {
        "kind": "trend",
        "data_url": f"{API}/parity-years/{area.code}/{chosen}",
        "csv_url": f"{API}/parity-years/{area.code}/{chosen}?format=csv",
        "zip_url": f"{API}/zip/parity-years/{area.code}/{chosen}",
        "share_url": localised(f"/analysis/country/{area.code}?{query}"),
        "title": _(
            "%(country)s: %(indicator)s parity trend",
            country=territory_name(area.code, area.name),
            indicator=msg(ev.indicator(chosen).label),
        ),
    }
    if _embed(request):
        return frameable(_render(request, "analysis/embed.html", chart=chart))
    return _render(
        request,
        "analysis/country.html",
        nav="analysis",
        area=area,
        card=card,
        result=result,
        trends=trends,
        chosen=chosen,
        catalogue=ev.catalogue,
        sources=ev.sources(),
        chart=chart,
    )


@router.get("/analysis/data-gaps", response_class=HTMLResponse)
def data_gaps_page(request: Request, ev: Ev) -> HTMLResponse:
    audit = data_gap_audit(ev)
    chart = {
        "kind": "availability",
        "data_url": f"{API}/data-gaps/countries",
        "csv_url": f"{API}/data-gaps?format=csv",
        "zip_url": f"{API}/zip/data-gaps",
        "share_url": localised("/analysis/data-gaps"),
        "title": _("Indicators with recent data by sex"),
        "total": len(list(ev.catalogue)),
    }
    if _embed(request):
        return frameable(_render(request, "analysis/embed.html", chart=chart))
    quality = load_quality([i.id for i in ev.catalogue])
    return _render(
        request,
        "analysis/data_gaps.html",
        nav="analysis",
        audit=audit,
        by_pillar=audit.summary("pillar"),
        by_indicator=audit.summary("indicator"),
        by_region=audit.summary("region"),
        by_income=audit.summary("income_group"),
        least=[c for c in audit.coverage() if c.income_group][:25],
        quality=quality,
        catalogue=ev.catalogue,
        chart=chart,
    )


@router.get("/analysis/methodology", response_class=HTMLResponse)
def methodology_page(request: Request, ev: Ev) -> HTMLResponse:
    method = _method(ev)
    return _render(
        request,
        "analysis/methodology.html",
        nav="analysis",
        method=method,
        trend=load_trend_method(),
        pillars=PILLARS,
        catalogue=ev.catalogue,
        quality=load_quality([i.id for i in ev.catalogue]),
        age_base=AGE_BASE,
    )
