"""Server-rendered pages: the map, indicator rankings, country profiles, sources and methods.

Each route is a few lines: it asks :class:`~equals.evidence.queries.Evidence` (or
:func:`~equals.evidence.profile.country_profile`) for plain values and renders a Jinja2 template.
Charts are drawn in the browser by the small scripts in ``static/js`` from the JSON API, with
the vendored Vega-Lite; nothing loads from a CDN. Unknown names give an HTML 404 page with
suggestions (the JSON API keeps its own JSON errors).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from equals.core import i18n
from equals.core.errors import NotFoundError, UnknownCountryError
from equals.core.i18n import N_, _
from equals.core.version import __version__
from equals.core.vocabulary import IndicatorKind, Pillar
from equals.evidence.profile import country_profile
from equals.evidence.queries import Evidence, GapRow, IndicatorSummary, ObservationRow
from equals.indicators.catalogue import Indicator
from equals.indicators.gaps import PARITY_HIGH, PARITY_LOW, ParityStatus
from equals.indicators.model import Source
from equals.releases import current_release_names
from equals.web.chart_data import (
    action_links,
    embeds,
    frameable,
    is_embed,
    map_links,
    target_links,
    trend_links,
)
from equals.web.chart_data import router as chart_data_router
from equals.web.deps import get_evidence
from equals.web.language import lang_prefix, localised, switch_links

TEMPLATES_DIR = Path(__file__).parent / "templates"
DEFAULT_INDICATOR = "internet_use"
LARGEST_GAPS = 10

router = APIRouter(include_in_schema=False)
# The charts' data downloads (/api/v1/chart-data/…) come with the pages whose charts use them.
router.include_router(chart_data_router)
router.include_router(embeds)  # /embed/…: the partnership charts alone (their pages elsewhere)
Ev = Annotated[Evidence, Depends(get_evidence)]

STATUS_LABELS = {
    ParityStatus.FAVOURS_MEN: N_("Women lower"),
    ParityStatus.PARITY: N_("Parity"),
    ParityStatus.FAVOURS_WOMEN: N_("Women higher"),
    ParityStatus.NOT_COMPUTABLE: N_("Not computable"),
}
PILLAR_LABELS = {
    Pillar.ACCESS: N_("Access"),
    Pillar.SKILLS: N_("Skills"),
    Pillar.LEADERSHIP: N_("Leadership"),
}
SEX_LABELS = {"female": N_("Women"), "male": N_("Men"), "total": N_("Total")}
BREAKDOWN_LABELS = {"urban": N_("Urban"), "rural": N_("Rural")}
#: Code words shown on pages (``label`` filter); unknown words are shown with spaces.
CODE_LABELS = {
    "at_parity": N_("at parity"),
    "converging": N_("converging"),
    "not_at_current_pace": N_("not at current pace"),
    "diverging": N_("diverging"),
    "insufficient_data": N_("too few points"),
    "world": N_("world"),
    "region": N_("region"),
    "income_group": N_("income group"),
    # World Bank income groups (area.income_group): our labels for a published grouping.
    "Low income": N_("Low income"),
    "Lower middle income": N_("Lower middle income"),
    "Upper middle income": N_("Upper middle income"),
    "High income": N_("High income"),
    "World": N_("World"),
}


# -- formatting (Jinja filters, in the current language: Babel/CLDR) -------------------------
def fmt_num(value: float | None, digits: int = 1) -> str:
    """``12,345.6`` (en), ``12 345,6`` (fr), ``12.345,6`` (es); an en dash for a missing value."""
    return "–" if value is None else i18n.format_number(value, digits)


def fmt_int(value: int | None) -> str:
    """A count with the locale's grouping: ``1,234`` / ``1 234`` / ``1.234``."""
    return "–" if value is None else i18n.format_number(value, 0)


def unit_suffix(unit: str) -> str:
    """How a value's unit is written after the number: ``%``, `` thousand`` or nothing."""
    if unit.startswith("%"):
        return i18n.percent_sign()
    if unit.startswith("thousands"):
        return " " + _("thousand")
    return ""


def fmt_value(value: float | None, unit: str, digits: int = 1) -> str:
    return "–" if value is None else f"{fmt_num(value, digits)}{unit_suffix(unit)}"


def fmt_diff(value: float | None, unit: str) -> str:
    """A signed difference F − M: percentage points for rates."""
    if value is None:
        return "–"
    suffix = " " + _("pp") if unit.startswith("%") else unit_suffix(unit)
    return i18n.format_number(value, 1, signed=True) + suffix


def fmt_share(value: float | None) -> str:
    """A ratio as a signed percentage (relative gap (M − F)/M)."""
    return "–" if value is None else i18n.format_percent(value * 100, 1, signed=True)


def breakdown_label(breakdown: str) -> str:
    """``location=urban`` → ``Urban``; ``""`` → ``All (no breakdown)``."""
    if not breakdown:
        return _("All (no breakdown)")
    parts = [p.split("=", 1)[-1] for p in breakdown.split(";")]
    labels = [
        str(BREAKDOWN_LABELS[p]) if p in BREAKDOWN_LABELS else p.replace("_", " ") for p in parts
    ]
    return ", ".join(p[:1].upper() + p[1:] for p in labels)


FLAG_LABELS = {
    "use_with_caution": (
        N_("Use with caution"),
        N_("Coefficient of variation between 16.6% and 33.3%: the estimate is imprecise."),
    ),
    "unreliable": (
        N_("Unreliable"),
        N_("Coefficient of variation above 33.3%: too imprecise to rely on."),
    ),
    "small_n": (
        N_("Small sample"),
        N_("Fewer than 30 respondents in this group (unweighted)."),
    ),
}


def fmt_pm(se: float | None, digits: int = 1) -> str:
    """`` ± 1.2`` after a value with a standard error; nothing without one."""
    return "" if se is None else f" ± {fmt_num(se, digits)}"


def _level(level: float | None) -> str | None:
    if level is None or not math.isfinite(level) or not 0 < level < 1:
        return None
    pct = round(level * 100, 2)
    return i18n.format_percent(pct, len(f"{pct:g}".partition(".")[2]))  # 95%, 99.5%


def ci_label(level: float | None) -> str:
    """``95% CI`` only when the interval's stored level is 95% (``90% CI`` at 0.90…);
    ``CI (level not recorded)`` for estimates published before levels were stored."""
    text = _level(level)
    if text is None:
        return _("CI (level not recorded)")
    return _("%(level)s CI", level=text)


def ci_long_label(level: float | None) -> str:
    """``95% confidence interval`` (as :func:`ci_label`, spelt out)."""
    text = _level(level)
    if text is None:
        return _("confidence interval (level not recorded)")
    return _("%(level)s confidence interval", level=text)


def fmt_ci(
    low: float | None, high: float | None, level: float | None = None, digits: int = 1
) -> str:
    """``95% CI 44.6–49.4`` (the label names the stored level); empty without both bounds."""
    if low is None or high is None:
        return ""
    return f"{ci_label(level)} {fmt_num(low, digits)}–{fmt_num(high, digits)}"


def ci_legend(rows: Iterable[ObservationRow]) -> str:
    """What a survey card's bracketed intervals are: ``95% confidence interval`` when all are
    at 95%, every level present otherwise."""
    labels = sorted({ci_long_label(r.ci_level) for r in rows if r.ci_low is not None})
    return " / ".join(labels)


def flag_label(flag: str) -> str:
    known = FLAG_LABELS.get(flag)
    return str(known[0]) if known else flag.replace("_", " ").capitalize()


def flag_help(flag: str) -> str:
    known = FLAG_LABELS.get(flag)
    return str(known[1]) if known else _("Quality flag set by the survey estimation.")


def msg(text: object) -> str:
    """Our own catalogue text (indicator titles, vocabulary labels) in the current language;
    text without a translation — data values, source titles — stays as published."""
    return i18n.translations(i18n.current_language()).gettext(str(text))


def code_label(code: object) -> str:
    """A code word (``not_at_current_pace``) or group name in the current language."""
    text = str(code)
    label = CODE_LABELS.get(text)
    return str(label) if label is not None else msg(text.replace("_", " "))


def fmt_pct(value: float | None, digits: int = 1, signed: bool = False) -> str:
    """A value already in percent: ``12.3%`` (en), ``12,3 %`` (fr, es)."""
    return "–" if value is None else i18n.format_percent(value, digits, signed=signed)


def pillar_need(pillar: Pillar, method: Any) -> str:
    """``access: 2`` — how many components a pillar needs for a score (index ranking)."""
    return f"{pillar_label(pillar).lower()}: {method.min_components[pillar]}"


def pillar_label(pillar: Pillar) -> str:
    return str(PILLAR_LABELS.get(pillar, pillar.label))


def sex_label(sex: str) -> str:
    label = SEX_LABELS.get(sex)
    return str(label) if label is not None else sex


def area_name(code: str, published: str) -> str:
    """A country's or aggregate's name in the current language (CLDR) or as published."""
    return i18n.territory_name(code, published)


@dataclass(frozen=True, slots=True)
class SurveyEstimate:
    """A country's latest survey estimates (with uncertainty) of one indicator and source."""

    source: str
    year: int
    rows: tuple[ObservationRow, ...]  # female, male, total (those present)


def _survey_estimates(
    ev: Evidence, code: str
) -> tuple[dict[str, list[SurveyEstimate]], dict[str, list[dict[str, Any]]]]:
    """Estimates with a standard error for one country (no breakdown), by indicator.

    Returns the latest year per (indicator, source) for the cards, and every point with a
    confidence interval (for the trend charts' error bars).
    """
    rows = [
        r
        for r in ev.observations(country=code, breakdown="", all_sources=True)
        if r.se is not None or r.ci_low is not None
    ]
    latest: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r.indicator, r.source)
        latest[key] = max(latest.get(key, r.year), r.year)
    cards: dict[str, list[SurveyEstimate]] = {}
    for (ind, src), yr in sorted(latest.items()):
        order = {"female": 0, "male": 1, "total": 2}
        chosen = sorted(
            (r for r in rows if (r.indicator, r.source, r.year) == (ind, src, yr)),
            key=lambda r: order.get(r.sex.value, 3),
        )
        cards.setdefault(ind, []).append(SurveyEstimate(src, yr, tuple(chosen)))
    points: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        points.setdefault(r.indicator, []).append(
            {
                "year": r.year,
                "sex": r.sex.value,
                "value": r.value,
                "se": r.se,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "ci_level": r.ci_level,
                "ci_label": ci_label(r.ci_level),
                "n": r.n,
                "flags": list(r.flags or ()),
                "source": r.source,
                "licence": r.licence,
            }
        )
    return cards, points


def _site_context(request: Request) -> dict[str, Any]:
    evidence: Evidence = request.app.state.evidence
    orgs = sorted({s.organisation.split(" (")[0] for s in evidence.sources().values()})
    lang = i18n.current_language()
    return {
        "attribution": "; ".join(orgs),
        "version": __version__,
        "lang": lang,
        "lang_prefix": lang_prefix(),
        "languages": switch_links(request.url.path, request.url.query),
    }


templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_site_context])
templates.env.add_extension("jinja2.ext.i18n")
# Translations: ``{{ _("text") }}`` / ``{% trans %}`` in templates, in the request's language
# (equals.core.i18n; jinja fills the ``%(name)s`` placeholders and escapes the values).
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=lambda s: i18n.translations(i18n.current_language()).gettext(s),
    ngettext=lambda s, p, n: i18n.translations(i18n.current_language()).ngettext(s, p, n),
    newstyle=True,
)
templates.env.filters.update(
    num=fmt_num,
    int=fmt_int,
    pct=fmt_pct,
    label=code_label,
    pillar_need=pillar_need,
    msg=msg,
    pillar=pillar_label,
    sex=sex_label,
    region=i18n.region_name,
    date=i18n.format_date,
    value=fmt_value,
    diff=fmt_diff,
    share=fmt_share,
    breakdown=breakdown_label,
    pm=fmt_pm,
)
templates.env.globals.update(
    Pillar=Pillar,
    STATUS_LABELS=STATUS_LABELS,
    PARITY_LOW=PARITY_LOW,
    PARITY_HIGH=PARITY_HIGH,
    unit_suffix=unit_suffix,
    FEMALE_SHARE=IndicatorKind.FEMALE_SHARE,
    fmt_ci=fmt_ci,
    ci_legend=ci_legend,
    flag_label=flag_label,
    flag_help=flag_help,
    action_chart=action_links,  # the chart toolbars of the partnership pages
    target_chart=target_links,
    area_name=area_name,
    localised=localised,
    client_messages=lambda: i18n.client_messages(i18n.current_language()),
    client_countries=lambda: i18n.territory_names(i18n.current_language()),
)


# -- helpers ----------------------------------------------------------------------------------
def _render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _not_found(request: Request, ev: Evidence, exc: NotFoundError) -> HTMLResponse:
    """A friendly 404: what was not found, and links to what probably was meant."""
    links: list[tuple[str, str]] = []
    if isinstance(exc, UnknownCountryError):
        areas = ev.areas()
        links = [
            (localised(f"/country/{c}"), area_name(c, areas[c].name))
            for c in exc.suggestions
            if c in areas
        ]
    elif exc.kind == "indicator":
        links = [
            (localised(f"/indicator/{i}"), msg(ev.indicator(i).title))
            for i in exc.suggestions
            if i in ev.catalogue
        ]
    else:
        links = [(f"?source={s}", s) for s in exc.suggestions]
    return _render(
        request, "not_found.html", 404, kind=exc.kind, value=exc.value, suggestions=links
    )


def page_not_found(request: Request) -> HTMLResponse:
    """The HTML 404 for a path that matches no page."""
    return _render(request, "not_found.html", 404, kind="page", value=request.url.path)


def _int_or_none(text: str | None) -> int | None:
    """A query-string year, leniently: anything that is not a whole number means 'latest'."""
    try:
        return int(text) if text else None
    except ValueError:
        return None


def _api_url(path: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"/api/v1/{path}" + (f"?{query}" if query else "")


@dataclass(frozen=True, slots=True)
class Listed:
    """An indicator and its default source: all the home page's selector and source line
    show. Cheaper than :class:`IndicatorSummary`, whose coverage counts need a gap table of
    every indicator (about a second on a cold start, before the first page of a data version)."""

    indicator: Indicator
    source: Source


def _listed(ev: Evidence) -> list[Listed]:
    sources = ev.sources()
    return [Listed(i, sources[i.default_source]) for i in ev.catalogue]


ListedT = TypeVar("ListedT", IndicatorSummary, Listed)


def _grouped(summaries: list[ListedT]) -> dict[Pillar, list[ListedT]]:
    out: dict[Pillar, list[ListedT]] = {p: [] for p in Pillar}
    for s in summaries:
        out[s.indicator.pillar].append(s)
    return out


def _map_view(
    ev: Evidence, ind: Indicator, source: str | None, breakdown: str, year_param: str | None
) -> dict[str, Any]:
    """Everything a map + ranking needs: years, chosen year, gap rows, API URLs."""
    years = ev.years(ind.id, source=source, breakdown=breakdown, comparable=True)
    wanted = _int_or_none(year_param)
    year = wanted if wanted in years else None
    rows: list[GapRow] = ev.gaps(ind.id, year=year, source=source, breakdown=breakdown)
    params = {"indicator": ind.id, "year": year, "source": source, "breakdown": breakdown}
    return {
        "years": years,
        "year": year,
        "year_ignored": year_param if (year_param and wanted not in years) else None,
        "rows": rows,
        "ranked": [r for r in rows if r.gap.parity is not None],
        "has_se": any(r.female_se is not None or r.male_se is not None for r in rows),
        "gaps_json": _api_url("gaps", **params, format="json"),
        "gaps_csv": _api_url("gaps", **params, format="csv"),
    }


# -- pages ------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, ev: Ev, indicator: str | None = None, year: str | None = None
) -> HTMLResponse:
    try:
        ind = ev.indicator(indicator or DEFAULT_INDICATOR)
    except NotFoundError as exc:
        return _not_found(request, ev, exc)
    view = _map_view(ev, ind, None, "", year)
    chart = map_links(ind, "/", {"indicator": ind.id, "year": view["year"]})
    source = ev.source(ind.default_source)
    if is_embed(request):
        page = _render(request, "embed/map.html", chart=chart, ind=ind, source=source, **view)
        return frameable(page)
    return _render(
        request,
        "home.html",
        nav="map",
        ind=ind,
        chart=chart,
        summary=Listed(ind, source),
        grouped=_grouped(_listed(ev)),
        largest=view["ranked"][:LARGEST_GAPS],
        **view,
    )


@router.get("/indicators", response_class=HTMLResponse)
def indicators(request: Request, ev: Ev) -> HTMLResponse:
    return _render(
        request, "indicators.html", nav="indicators", grouped=_grouped(ev.indicator_summaries())
    )


def _release_line(ev: Evidence, indicator: str, source: str, origin: str) -> str:
    """Which release the indicator's values from ``source`` come from (``equals data``)."""
    if origin != "bundled":
        return ""
    names = ev.cached(("release-names",), lambda: current_release_names(ev.store))
    by_sex = {sex: names.get((source, indicator, sex), _("bundled data")) for sex in SEXES}
    if len(set(by_sex.values())) == 1:
        return by_sex["female"]
    return "; ".join(f"{sex_label(sex)}: {name}" for sex, name in by_sex.items())


SEXES = ("female", "male", "total")


def _entry_releases(ev: Evidence, entries: Iterable[Any]) -> dict[str, str]:
    """Per indicator of a country profile: the release its latest values come from (the
    source of the latest comparison, else the indicator's default source)."""
    sources = ev.sources()
    out = {}
    for e in entries:
        src = sources.get(e.latest.source if e.latest else e.indicator.default_source)
        if src is not None:
            out[e.indicator.id] = _release_line(ev, e.indicator.id, src.id, src.origin)
    return out


@router.get("/indicator/{indicator_id}", response_class=HTMLResponse)
def indicator_page(
    request: Request,
    ev: Ev,
    indicator_id: str,
    year: str | None = None,
    source: str | None = None,
    breakdown: str = "",
) -> HTMLResponse:
    try:
        summary = ev.indicator_summary(indicator_id)
        ind = summary.indicator
        breakdowns = ev.breakdowns(ind.id, source=source)  # also checks the source
        src = ev.source(source) if source else summary.source
        chosen = breakdown if breakdown in breakdowns else ""
        view = _map_view(ev, ind, src.id if source else None, chosen, year)
    except NotFoundError as exc:
        return _not_found(request, ev, exc)
    state = {"year": view["year"], "source": src.id if source else None, "breakdown": chosen}
    chart = map_links(ind, f"/indicator/{ind.id}", state)
    if is_embed(request):
        page = _render(request, "embed/map.html", chart=chart, ind=ind, source=src, **view)
        return frameable(page)
    return _render(
        request,
        "indicator.html",
        nav="indicators",
        ind=ind,
        chart=chart,
        summary=summary,
        source=src,
        source_param=source or "",
        release=_release_line(ev, ind.id, src.id, src.origin),
        breakdowns=breakdowns,
        breakdown=chosen,
        breakdown_ignored=breakdown if breakdown != chosen else None,
        **view,
    )


@router.get("/countries", response_class=HTMLResponse)
def countries(request: Request, ev: Ev) -> HTMLResponse:
    by_region: dict[str, list[Any]] = {}
    for area in ev.countries():
        region = i18n.region_name(area.region) if area.region else _("Other territories")
        by_region.setdefault(region, []).append((area, area_name(area.code, area.name)))
    for areas in by_region.values():  # by name in the reader's language, accents ignored
        areas.sort(key=lambda pair: i18n.sort_key(pair[1]))
    ordered = dict(sorted(by_region.items(), key=lambda item: i18n.sort_key(item[0])))
    return _render(request, "countries.html", nav="countries", by_region=ordered)


@router.get("/country/{code}", response_class=HTMLResponse)
def country(request: Request, ev: Ev, code: str, indicator: str | None = None) -> Response:
    try:
        profile = country_profile(ev, code)
    except NotFoundError as exc:
        return _not_found(request, ev, exc)
    if profile.area.code != code:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/country/{profile.area.code}{query}", status_code=308)
    survey, survey_points = _survey_estimates(ev, profile.area.code)
    area = profile.area
    charts = {
        e.indicator.id: trend_links(area.code, e.indicator, area.name) for e in profile.entries
    }
    if is_embed(request):
        entry = next((e for e in profile.entries if e.indicator.id == indicator), None)
        if entry is None:
            return _not_found(request, ev, NotFoundError("indicator", indicator or ""))
        sources = ev.sources()
        page = _render(
            request,
            "embed/trend.html",
            chart=charts[entry.indicator.id],
            area=area,
            entry=entry,
            points=survey_points.get(entry.indicator.id, []),
            source=sources.get(
                entry.latest.source if entry.latest else entry.indicator.default_source
            ),
            profile_url=_api_url(f"countries/{area.code}"),
        )
        return frameable(page)
    return _render(
        request,
        "country.html",
        trend_charts=charts,
        nav="countries",
        profile=profile,
        by_pillar=profile.by_pillar(),
        highlight=indicator or "",
        sources=ev.sources(),
        profile_url=_api_url(f"countries/{profile.area.code}"),
        survey=survey,
        survey_points=survey_points,
        releases=_entry_releases(ev, profile.entries),
    )


@router.get("/about", response_class=HTMLResponse)
@router.get("/sources", response_class=HTMLResponse)
def about(request: Request, ev: Ev) -> HTMLResponse:
    sources = sorted(ev.sources().values(), key=lambda s: (s.organisation, s.id))
    used_by = {s.id: [i for i in ev.catalogue if s.id in i.sources] for s in sources}
    return _render(request, "about.html", nav="about", sources=sources, used_by=used_by)
