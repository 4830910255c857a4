"""Women's participation across filed reports: ``/api/v1/sessions/participation`` (JSON or
CSV) and the page ``/sessions/participation`` (chart + table). Figures only as the reports
state them, each with the number of reports behind it and what is missing."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from equals.archive.participation import GroupBy, participation
from equals.archive.repository import SessionFilter, list_events
from equals.archive.rules import YEAR_MAX, YEAR_MIN, check_texts, parse_year
from equals.core.errors import ValidationError, message_of
from equals.web.auth_deps import store_of
from equals.web.chart_data import frameable, is_embed, participation_links

api = APIRouter(prefix="/participation")
pages = APIRouter(include_in_schema=False)


class RatioOut(BaseModel):
    value: float | None = Field(description="null when no report states it")
    numerator: float
    denominator: float
    reports: int = Field(description="Reports behind the figure.")


class GroupOut(BaseModel):
    key: str
    reports: int
    participants: int = Field(description="Σ participants of the reports stating both counts.")
    women: int = Field(description="Σ women of the reports stating both counts.")
    women_share: RatioOut = Field(description="Pooled: Σ women ÷ Σ participants.")
    women_share_mean: RatioOut = Field(description="Mean of the per-report shares stated.")
    women_speakers_share: RatioOut
    women_moderators_share: RatioOut
    gender_discussed: RatioOut = Field(description="Reports whose gender reflection says yes.")
    missing: dict[str, int] = Field(description="Reports that do not state each item.")


class ParticipationOut(BaseModel):
    by: str
    basis: str
    groups: list[GroupOut]
    overall: GroupOut


@api.get(
    "",
    response_model=ParticipationOut,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def participation_api(
    request: Request,
    by: GroupBy = GroupBy.YEAR,
    event: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = None,
    format: Literal["json", "csv"] = "json",
) -> Any:
    """Share of women participants, women among speakers and moderators (where stated), and
    gender reflection, per event, year, theme or stakeholder group."""
    result = participation(store_of(request), by, SessionFilter(event=event, year=year))
    if format == "csv":
        return Response(
            result.to_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="participation-{by}.csv"'},
        )
    return result.to_record()


@pages.get("/sessions/participation", response_class=HTMLResponse)
def participation_page(request: Request, by: str = "year", event: str = "", year: str = "") -> Any:
    from equals.web.sessions_pages import _render

    store = store_of(request)
    error, result, status = None, None, 200
    group = GroupBy(by) if by in GroupBy._value2member_map_ else GroupBy.YEAR
    try:
        check_texts({"event": event}, "")
        result = participation(store, group, SessionFilter(event=event[:200] or None,
                                                           year=parse_year(year)))  # fmt: skip
    except ValidationError as exc:
        error, status = message_of(exc), 422
    query = {"by": group.value, "event": event, "year": year}
    chart = participation_links(group.value, event, year)
    if is_embed(request) and result is not None:
        embed = _render(
            request,
            "embed/participation.html",
            chart=chart,
            data=result.to_record(),
            by=group.value,
        )
        return frameable(embed)
    return _render(
        request,
        "sessions/participation.html",
        status,
        nav="sessions",
        chart=chart,
        result=result,
        data=result.to_record() if result else None,
        by=group.value,
        choices=list(GroupBy),
        filters={"event": event, "year": year},
        events=list_events(store),
        csv_url="/api/v1/sessions/participation?"
        + "&".join(f"{k}={v}" for k, v in query.items() if v)
        + "&format=csv",
        error=error,
    )
