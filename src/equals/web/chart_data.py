"""What every chart offers, as OWID grapher users expect: the data behind it, a metadata sheet
with the citation, a stable link and an embed.

- :class:`ChartLinks` — a chart's element id (also its URL anchor), title, CSV and zip URLs,
  the shareable page URL (the chart's state in the query string plus ``#id``) and the embed URL
  (the same state plus ``embed=1``). ``templates/_chart_tools.html`` renders the toolbar from
  it; ``static/js/chart-tools.js`` adds SVG/PNG export from the chart's Vega view.
- the zip (:mod:`equals.web.chart_sheet`): the CSV exactly as its link gives it,
  ``metadata.json`` and ``README.txt`` (indicator definition and unit, every source with the
  years used and its licence, the citation with the page URL and the access date, the exact
  query, what each column means).
- ``/api/v1/chart-data/…`` — the zips (and the CSV where the API had none) for the evidence,
  session and partnership charts. The analysis charts keep their own zips
  (:mod:`equals.web.analysis_api`). Downloads, so they stay out of the OpenAPI document.
- :func:`frameable` — an embed page (``?embed=1``) may be framed by any site; every other page
  may not (:mod:`equals.web.security` reads the marker this sets).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from equals.archive.participation import GroupBy, participation
from equals.archive.repository import SessionFilter
from equals.archive.rules import YEAR_MAX, YEAR_MIN
from equals.core import i18n
from equals.core.i18n import _
from equals.core.vocabulary import Pillar
from equals.evidence.queries import Evidence
from equals.evidence.records import to_csv
from equals.indicators.catalogue import Indicator
from equals.partners.action import action_gaps
from equals.partners.series import TargetSeries, target_series
from equals.web.auth_deps import store_of
from equals.web.chart_sheet import (
    ChartMetadata,
    SourceNote,
    csv_download,
    data_zip,
    source_notes,
    today,
)
from equals.web.deps import get_evidence
from equals.web.language import localised
from equals.web.security import FRAMEABLE_HEADER

router = APIRouter(prefix="/api/v1/chart-data", include_in_schema=False)
Ev = Annotated[Evidence, Depends(get_evidence)]
TEXT_MAX = 200
EMBED_VALUES = ("1", "true", "yes")
R = TypeVar("R", bound=Response)


# -- links ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ChartLinks:
    """Everything a chart's toolbar needs (see ``templates/_chart_tools.html``)."""

    id: str
    title: str
    csv_url: str
    zip_url: str
    share_url: str
    embed_url: str
    height: int = 520


def _msg(text: object) -> str:
    """Our own catalogue text (indicator labels, area names) in the current language, as the
    templates' ``msg`` filter; text without a translation stays as it is."""
    return i18n.translations(i18n.current_language()).gettext(str(text))


def _query(params: Mapping[str, object]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def url_with(path: str, **params: object) -> str:
    """``path?k=v…`` without the empty parameters."""
    query = _query(params)
    return path + (f"?{query}" if query else "")


def chart_links(
    chart_id: str,
    title: str,
    page: str,
    state: Mapping[str, object],
    csv_url: str,
    zip_url: str,
    height: int = 520,
) -> ChartLinks:
    """Links for a chart on ``page`` showing ``state`` (indicator, year, source, sex …)."""
    base = url_with(localised(page), **state)  # in the reader's language (/fr/…)
    embed = base + ("&" if "?" in base else "?") + "embed=1"
    return ChartLinks(chart_id, title, csv_url, zip_url, f"{base}#{chart_id}", embed, height)


def is_embed(request: Request) -> bool:
    """Whether the page was asked for as an embed (``?embed=1``)."""
    return request.query_params.get("embed") in EMBED_VALUES


def frameable(response: R) -> R:
    """Mark an embed page: other sites may frame it (CSP ``frame-ancestors *``, no
    ``X-Frame-Options``). Only embed pages call this; every other page stays unframeable."""
    response.headers[FRAMEABLE_HEADER] = "1"
    return response


def _absolute(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


def _text(response: Response) -> str:
    return bytes(response.body).decode()


# -- evidence charts: the map (gaps) and a country's trend (observations) -------------------------
def map_links(ind: Indicator, page: str, state: Mapping[str, object]) -> ChartLinks:
    """The links of an indicator's map (home page and indicator page)."""
    params = {"indicator": ind.id, **{k: v for k, v in state.items() if k != "indicator"}}
    return chart_links(
        "map",
        _msg(ind.label),
        page,
        state,
        url_with("/api/v1/gaps", **params, format="csv"),
        url_with("/api/v1/chart-data/gaps.zip", **params),
    )


def trend_links(code: str, ind: Indicator, area_name: str) -> ChartLinks:
    """The links of one trend chart on a country page."""
    params = {"country": code, "indicator": ind.id}
    return chart_links(
        f"trend-{ind.id}",
        _(
            "%(country)s: %(indicator)s",
            country=i18n.territory_name(code, area_name),
            indicator=_msg(ind.label),
        ),
        f"/country/{code}",
        {"indicator": ind.id},
        url_with("/api/v1/observations", **params, format="csv"),
        url_with("/api/v1/chart-data/observations.zip", **params),
        height=380,
    )


@router.get("/gaps.zip")
def gaps_zip(
    request: Request,
    ev: Ev,
    indicator: Annotated[str, Query(max_length=TEXT_MAX)],
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    source: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
    breakdown: Annotated[str, Query(max_length=TEXT_MAX)] = "",
) -> Response:
    """A map's data (the gap table behind it) with its metadata sheet and citation."""
    from equals.web.api import Format, gaps

    ind = ev.indicator(indicator)
    params = {"indicator": ind.id, "year": year, "source": source, "breakdown": breakdown}
    text = _text(gaps(ev, ind.id, year, source, breakdown, format=Format.csv))
    page = url_with(f"/indicator/{ind.id}", year=year, source=source, breakdown=breakdown)
    meta = ChartMetadata(
        title=f"{ind.label}: gender parity score (women ÷ men) by country",
        description=(
            f"Gender parity score (women's value ÷ men's value) of {ind.title}, "
            + (f"{year}" if year else "latest year with data for each country")
            + (f", breakdown {breakdown}" if breakdown else "")
            + ". Parity band 0.98-1.02 (ITU)."
        ),
        page_url=_absolute(request, page + "#map"),
        query_url=_absolute(request, url_with("/api/v1/gaps", **params, format="csv")),
        accessed=today(),
        sources=source_notes(ev, text),
        indicator=ind,
    )
    return data_zip(f"gaps-{ind.id}", text, meta)


@router.get("/observations.zip")
def observations_zip(
    request: Request,
    ev: Ev,
    country: Annotated[str, Query(max_length=TEXT_MAX)],
    indicator: Annotated[str, Query(max_length=TEXT_MAX)],
) -> Response:
    """A country trend chart's data (its observations) with metadata sheet and citation."""
    from equals.web.api import MAX_PAGE, Format, observations

    area, ind = ev.area(country), ev.indicator(indicator)
    answer = observations(
        ev,
        request,
        indicator=ind.id,
        country=area.code,
        sex=None,
        from_=None,
        to=None,
        source=None,
        breakdown="",
        format=Format.csv,
        limit=MAX_PAGE,
        offset=0,
    )
    text = _text(answer)
    params = {"country": area.code, "indicator": ind.id}
    meta = ChartMetadata(
        title=f"{area.name}: {ind.label}, women and men over time",
        description=f"{ind.title} in {area.name}, by sex and year (default source).",
        page_url=_absolute(request, f"/country/{area.code}?indicator={ind.id}#trend-{ind.id}"),
        query_url=_absolute(request, url_with("/api/v1/observations", **params, format="csv")),
        accessed=today(),
        sources=source_notes(ev, text),
        indicator=ind,
    )
    return data_zip(f"observations-{area.code}-{ind.id}", text, meta)


# -- partnership: the under-served map ------------------------------------------------------------
ACTION_COLUMNS = (
    "rank",
    "country",
    "country_name",
    "pillar",
    "gap",
    "parity",
    "initiatives",
    "score",
    "indicator",
    "year",
    "female",
    "male",
    "source",
    "licence",
)


def action_links(pillar: Pillar, target_group: str | None) -> ChartLinks:
    """The under-served map on ``/action`` (its embed is ``/embed/action-map``)."""
    params = {"pillar": pillar.value, "target_group": target_group}
    state = {"pillar": pillar.value, "group": target_group}
    return ChartLinks(
        "action-map",
        _("Under-served score: %(area)s", area=_msg(pillar.label)),
        url_with("/api/v1/chart-data/action-gaps.csv", **params),
        url_with("/api/v1/chart-data/action-gaps.zip", **params),
        url_with(localised("/action"), **state) + "#action-map",
        url_with(localised("/embed/action-map"), **state, embed=1),
    )


def _action_csv(ev: Evidence, pillar: Pillar, target_group: str | None) -> str:
    rows = action_gaps(ev, pillar, target_group=target_group)
    keep = set(ACTION_COLUMNS)
    return to_csv([r.model_dump(mode="json", include=keep) for r in rows], ACTION_COLUMNS)


TargetGroup = Annotated[str | None, Query(max_length=48, pattern="^[a-z_]+$")]


@router.get("/action-gaps.csv")
def action_gaps_csv(ev: Ev, pillar: Pillar, target_group: TargetGroup = None) -> Response:
    """The under-served ranking as CSV (the action map's data)."""
    return csv_download(f"action-gaps-{pillar.value}", _action_csv(ev, pillar, target_group))


@router.get("/action-gaps.zip")
def action_gaps_zip(
    request: Request, ev: Ev, pillar: Pillar, target_group: TargetGroup = None
) -> Response:
    text = _action_csv(ev, pillar, target_group)
    with i18n.use_language(i18n.DEFAULT_LANGUAGE):  # a download's sheet is English, as the API
        links = action_links(pillar, target_group)
    meta = ChartMetadata(
        title=links.title,
        description=(
            f"Countries by how under-served they are in {pillar.label}: score = max(gap, 0) / "
            "(1 + active initiatives), gap = 1 - parity (F/M) of the action area's headline "
            "indicator, latest year per country"
            + (f"; initiatives for the target group {target_group}" if target_group else "")
            + "."
        ),
        page_url=_absolute(request, links.share_url),
        query_url=_absolute(request, links.csv_url),
        accessed=today(),
        sources=source_notes(ev, text),
        notes=(
            "Initiatives: the EQUALS Hub partnership registry (as recorded by partners; "
            "example records are labelled as examples).",
        ),
    )
    return data_zip(f"action-gaps-{pillar.value}", text, meta)


# -- sessions: women's participation --------------------------------------------------------------
ARCHIVE_SOURCE = "EQUALS Hub session archive"


def participation_links(by: str, event: str, year: str) -> ChartLinks:
    params = {"by": by, "event": event, "year": year}
    return chart_links(
        "participation-chart",
        _("Women's participation in sessions"),
        "/sessions/participation",
        params,
        url_with("/api/v1/sessions/participation", **params, format="csv"),
        url_with("/api/v1/chart-data/participation.zip", **params),
        height=460,
    )


@router.get("/participation.zip")
def participation_zip(
    request: Request,
    by: GroupBy = GroupBy.YEAR,
    event: Annotated[str | None, Query(max_length=TEXT_MAX)] = None,
    year: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = None,
) -> Response:
    """Women's participation by group, with a metadata sheet and citation."""
    from equals.archive.repository import list_events

    store = store_of(request)
    result = participation(store, by, SessionFilter(event=event, year=year))
    events = [e for e in list_events(store) if e.sessions and (not event or e.name == event)]
    years = tuple(sorted({e.year for e in events if e.year and (not year or e.year == year)}))
    with i18n.use_language(i18n.DEFAULT_LANGUAGE):  # a download's sheet is English, as the API
        links = participation_links(by.value, event or "", str(year or ""))
    meta = ChartMetadata(
        title=links.title,
        description=(
            f"Share of women among participants, speakers and moderators of the filed session "
            f"reports, by {by.value.replace('_', ' ')}, as the reports state it (gender is "
            "never inferred from names); each figure with the number of reports behind it."
        ),
        page_url=_absolute(request, links.share_url),
        query_url=_absolute(request, links.csv_url),
        accessed=today(),
        sources=(
            SourceNote(
                "session-archive",
                "EQUALS Hub",
                f"{ARCHIVE_SOURCE}: filed session reports" + (f" of {event}" if event else ""),
                "as stated by each report's publisher (IGF session reports are public)",
                years=years,
            ),
        ),
    )
    return data_zip(f"participation-{by.value}", result.to_csv(), meta)


# -- partnership: a target's progress -------------------------------------------------------------
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
TARGET_COLUMNS = ("series", "year", "value", "source", "licence", "date")


def target_links(initiative_id: int, target_id: int, title: str) -> ChartLinks:
    """A target chart on an initiative page (its embed is ``/embed/initiatives/…``)."""
    chart_id = f"target-chart-{target_id}"
    path = f"/api/v1/chart-data/target-series/{initiative_id}/{target_id}"
    embed = localised(f"/embed/initiatives/{initiative_id}/targets/{target_id}") + "?embed=1"
    return ChartLinks(
        chart_id,
        title,
        f"{path}.csv",
        f"{path}.zip",
        localised(f"/initiatives/{initiative_id}") + f"#{chart_id}",
        embed,
        height=420,
    )


def _target_csv(ev: Evidence, initiative_id: int, target_id: int) -> tuple[TargetSeries, str]:
    s = target_series(ev, initiative_id, target_id)
    rows = [p.model_dump(mode="json") for p in s.points]
    for r in rows:
        r["source"] = r["source"] or "initiative report"
    return s, to_csv(rows, TARGET_COLUMNS)


@router.get("/target-series/{initiative_id}/{target_id}.csv")
def target_series_csv(ev: Ev, initiative_id: Id, target_id: Id) -> Response:
    """A target's chart data: the published series, baseline, reported actuals and target."""
    _, text = _target_csv(ev, initiative_id, target_id)
    return csv_download(f"target-{initiative_id}-{target_id}", text)


@router.get("/target-series/{initiative_id}/{target_id}.zip")
def target_series_zip(request: Request, ev: Ev, initiative_id: Id, target_id: Id) -> Response:
    s, text = _target_csv(ev, initiative_id, target_id)
    links = target_links(initiative_id, target_id, f"{s.indicator_title}, {s.country_name}")
    meta = ChartMetadata(
        title=f"Target progress: {s.indicator_title}, {s.sex}, {s.country_name}",
        description=(
            f"Initiative {initiative_id}, target {target_id}: the country's published series "
            f"({s.sex}) beside the initiative's baseline, reported actuals and target."
        ),
        page_url=_absolute(request, links.share_url),
        query_url=_absolute(request, links.csv_url),
        accessed=today(),
        sources=source_notes(ev, text),
        indicator=ev.indicator(s.indicator),
        notes=(
            "Rows with source 'initiative report': values reported by the initiative in the "
            "EQUALS Hub partnership registry.",
        ),
    )
    return data_zip(f"target-{initiative_id}-{target_id}", text, meta)


# -- embeds of the partnership charts (their pages are equals.web.partners_pages) -----------------
embeds = APIRouter(include_in_schema=False)


@embeds.get("/embed/action-map", response_class=HTMLResponse)
def action_map_embed(request: Request, ev: Ev, pillar: str = "access", group: str = "") -> Any:
    """The under-served map alone, for other sites to frame."""
    from equals.partners import codes
    from equals.web.pages import templates

    p = Pillar(pillar) if pillar in {x.value for x in Pillar} else Pillar.ACCESS
    tg = group if group in codes.target_groups() else None
    rows = action_gaps(ev, p, target_group=tg)
    source = ev.sources().get(rows[0].source) if rows else None
    ctx = {
        "chart": action_links(p, tg),
        "api": url_with("/api/v1/action-gaps", pillar=p.value, target_group=tg),
        "source": source,
    }
    page = templates.TemplateResponse(request, "embed/action_map.html", ctx)
    return frameable(page)


@embeds.get("/embed/initiatives/{initiative_id}/targets/{target_id}", response_class=HTMLResponse)
def target_embed(request: Request, ev: Ev, initiative_id: Id, target_id: Id) -> Any:
    """A target's progress chart alone, for other sites to frame."""
    from equals.web.pages import templates

    s = target_series(ev, initiative_id, target_id)
    country = i18n.territory_name(s.country, s.country_name)
    links = target_links(initiative_id, target_id, f"{_msg(s.indicator_title)}, {country}")
    known = ev.sources()
    used = sorted({p.source for p in s.points if p.series == "published" and p.source})
    ctx = {
        "chart": links,
        "series": s,
        "initiative": initiative_id,
        "sources": [known[x] for x in used if x in known],
    }
    page = templates.TemplateResponse(request, "embed/target.html", ctx)
    return frameable(page)
