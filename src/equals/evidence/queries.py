"""Read queries over the evidence: indicators, areas, observations and gap tables.

:class:`Evidence` is the one entry point used by the CLI, the web app and the Python API. It
returns plain frozen dataclasses; adapters format them. Gap tables are cached per
``(data_version, arguments)`` so pages stay fast while loads still show up immediately.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from typing import TypeVar

from sqlalchemy import func, select

from equals.core.areas import Area, AreaKind, closest_codes
from equals.core.errors import (
    UnknownCountryError,
    UnknownIndicatorError,
    UnknownSourceError,
)
from equals.core.vocabulary import Sex
from equals.evidence.base import EvidenceBase
from equals.evidence.observations import (
    ObservationFilter,
    Page,
    check_breakdown,
    check_page,
    check_range,
    read_page,
    to_rows,
)
from equals.evidence.rows import (
    GapRow,
    IndicatorSummary,
    ObservationRow,
    gap_metric,
    gap_rows,
    rank_gaps,
)
from equals.indicators.catalogue import Indicator
from equals.indicators.gaps import GapMetric
from equals.indicators.model import Source
from equals.store import schema

__all__ = ["Evidence", "GapRow", "IndicatorSummary", "ObservationRow"]


T = TypeVar("T")

_NONE = Source(id="", organisation="", title="", licence="", retrieved_from="", origin="")
"""Stands for an unknown source in ``_resolve_source``."""

NAME_MAX = 64
"""Longest name (indicator id, area code, source id) worth a "did you mean" search."""


class Evidence(EvidenceBase):
    """Queries over one :class:`Store` and the indicator catalogue."""

    # -- sources ------------------------------------------------------------------------
    def sources(self) -> dict[str, Source]:
        def compute() -> dict[str, Source]:
            with self._connect() as conn:
                rows = conn.execute(select(schema.sources)).mappings().all()
            return {
                r["id"]: Source(
                    id=r["id"],
                    organisation=r["organisation"],
                    title=r["title"],
                    licence=r["licence"],
                    retrieved_from=r["retrieved_from"],
                    files=tuple(f for f in r["files"].split("\n") if f),
                    licence_url=r["licence_url"],
                    coverage=r["coverage"],
                    citation=r["citation"],
                    notes=r["notes"],
                    origin=r["origin"],
                )
                for r in rows
            }

        result: dict[str, Source] = self._cached(("sources",), compute)
        return result

    def source(self, source_id: str) -> Source:
        sources = self.sources()
        if source_id not in sources:
            close = (
                difflib.get_close_matches(source_id, list(sources), n=3, cutoff=0.4)
                if len(source_id) <= NAME_MAX
                else []
            )
            raise UnknownSourceError(source_id, suggestions=close)
        return sources[source_id]

    def _resolve_source(self, indicator: Indicator, source: str | None) -> Source:
        if source is None:
            return self.source(indicator.default_source)
        if source not in indicator.sources and self.sources().get(source, _NONE).origin in (
            "",
            "bundled",
        ):
            raise UnknownSourceError(
                f"{source} (for indicator {indicator.id})", suggestions=indicator.sources
            )
        return self.source(source)

    # -- indicators ---------------------------------------------------------------------
    def indicator(self, indicator_id: str) -> Indicator:
        if len(indicator_id) > NAME_MAX:  # no id is this long: skip the costly suggestions
            raise UnknownIndicatorError(indicator_id)
        return self.catalogue.get(indicator_id)

    def indicator_summaries(self) -> list[IndicatorSummary]:
        """Coverage of each indicator's default source, counting sex-disaggregated data only.

        ``countries`` and the year span count country-years with a computable gap (a female
        and a male value, or a female share); ``observations`` counts every stored value of the
        default source (totals and breakdowns included).
        """

        def compute() -> list[IndicatorSummary]:
            o = schema.observations
            q = select(o.c.indicator_id, o.c.source_id, func.count()).group_by(
                o.c.indicator_id, o.c.source_id
            )
            with self._connect() as conn:
                counts = {(i, s): int(n) for i, s, n in conn.execute(q)}
            sources = self.sources()
            areas = self.areas()
            out = []
            for ind in self.catalogue:
                src = sources[ind.default_source]
                rows = [r for r in self._gap_candidates(ind, src, "") if areas[r.area].is_country]
                years = [r.year for r in rows]
                out.append(
                    IndicatorSummary(
                        indicator=ind,
                        source=src,
                        countries=len({r.area for r in rows}),
                        observations=counts.get((ind.id, src.id), 0),
                        year_min=min(years) if years else None,
                        year_max=max(years) if years else None,
                        sources=tuple(sources[s] for s in ind.sources if s in sources),
                    )
                )
            return out

        result: list[IndicatorSummary] = self._cached(("summaries",), compute)
        return result

    def indicator_summary(self, indicator_id: str) -> IndicatorSummary:
        ind = self.indicator(indicator_id)
        return next(s for s in self.indicator_summaries() if s.indicator.id == ind.id)

    # -- areas --------------------------------------------------------------------------
    def areas(self) -> dict[str, Area]:
        def compute() -> dict[str, Area]:
            with self._connect() as conn:
                rows = conn.execute(select(schema.areas)).mappings().all()
            return {
                r["code"]: Area(
                    code=r["code"],
                    name=r["name"],
                    kind=AreaKind(r["kind"]),
                    iso2=r["iso2"],
                    m49=r["m49"],
                    region=r["region"],
                    subregion=r["subregion"],
                    income_group=r["income_group"],
                    defined_by=r["defined_by"],
                )
                for r in rows
            }

        result: dict[str, Area] = self._cached(("areas",), compute)
        return result

    def countries(self) -> list[Area]:
        """Countries and territories, by name."""
        return sorted((a for a in self.areas().values() if a.is_country), key=lambda a: a.name)

    def area(self, code: str) -> Area:
        """An area by code: ISO3 (any case), ISO2, or an aggregate code such as ``WB:WLD``."""
        areas = self.areas()
        key = code.strip()
        if key.upper() in areas:
            return areas[key.upper()]
        if key in areas:
            return areas[key]
        for a in areas.values():
            if a.iso2 and a.iso2 == key.upper() and a.is_country:
                return a
        close = closest_codes(code, areas.values()) if len(code) <= NAME_MAX else []
        raise UnknownCountryError(code, suggestions=close)

    # -- observations -------------------------------------------------------------------
    def observations(
        self,
        *,
        indicator: str | None = None,
        country: str | None = None,
        sex: Sex | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        source: str | None = None,
        breakdown: str | None = "",
        all_sources: bool = False,
    ) -> list[ObservationRow]:
        """Tidy observation rows, filtered. ``breakdown=None`` returns every breakdown.

        Without ``source`` an indicator's rows come from its default source, unless
        ``all_sources`` is set.
        """
        f = self._observation_filter(
            indicator, country, sex, year_from, year_to, source, breakdown, all_sources
        )
        if f.area is None:
            return self._observation_rows(f)
        # One country's rows are few: cache them (a country page or API client asks often).
        key = ("observations", *(getattr(f, k) for k in f.__slots__))
        return list(self.cached(key, lambda: self._observation_rows(f)))

    def observations_page(
        self,
        *,
        limit: int,
        offset: int = 0,
        indicator: str | None = None,
        country: str | None = None,
        sex: Sex | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        source: str | None = None,
        breakdown: str | None = "",
        all_sources: bool = False,
    ) -> Page[ObservationRow]:
        """One page of :meth:`observations` (same filters and order), counted and cut in SQL."""
        check_page(limit, offset)
        f = self._observation_filter(
            indicator, country, sex, year_from, year_to, source, breakdown, all_sources
        )
        areas, sources = self.areas(), self.sources()
        with self._connect() as conn:
            total, rows = read_page(conn, f, limit, offset)
        return Page(tuple(to_rows(rows, areas, sources)), total, offset, limit)

    def _observation_filter(
        self,
        indicator: str | None,
        country: str | None,
        sex: Sex | None,
        year_from: int | None,
        year_to: int | None,
        source: str | None,
        breakdown: str | None,
        all_sources: bool,
    ) -> ObservationFilter:
        check_range(year_from, year_to)
        check_breakdown(breakdown)
        ind = self.indicator(indicator) if indicator is not None else None
        source_id: str | None = None
        if ind is not None:
            if not all_sources:
                source_id = self._resolve_source(ind, source).id
        elif source is not None:
            source_id = self.source(source).id
        return ObservationFilter(
            indicator=None if ind is None else ind.id,
            source=source_id,
            area=None if country is None else self.area(country).code,
            sex=None if sex is None else Sex(sex),
            year_from=year_from,
            year_to=year_to,
            breakdown=breakdown,
        )

    def _observation_rows(self, f: ObservationFilter) -> list[ObservationRow]:
        areas = self.areas()
        sources = self.sources()
        with self._connect() as conn:
            rows = conn.execute(f.select()).mappings().all()
        return to_rows(rows, areas, sources)

    def years(
        self,
        indicator: str,
        source: str | None = None,
        breakdown: str = "",
        *,
        comparable: bool = False,
    ) -> list[int]:
        """Years with at least one value, ascending.

        With ``comparable``, only years in which some area has a computable gap (a female and
        a male value for pair indicators, a female share otherwise): the years a map can show.
        """
        ind = self.indicator(indicator)
        src = self._resolve_source(ind, source)
        if comparable:

            def compute() -> list[int]:
                areas = self.areas()
                candidates = self._gap_candidates(ind, src, breakdown)
                return sorted({r.year for r in candidates if areas[r.area].is_country})

            return list(self.cached(("comparable_years", ind.id, src.id, breakdown), compute))
        o = schema.observations
        q = (
            select(o.c.year)
            .where(o.c.indicator_id == ind.id, o.c.source_id == src.id, o.c.breakdown == breakdown)
            .distinct()
            .order_by(o.c.year)
        )
        with self._connect() as conn:
            return [int(y) for y in conn.execute(q).scalars()]

    def breakdowns(self, indicator: str, source: str | None = None) -> list[str]:
        ind = self.indicator(indicator)
        src = self._resolve_source(ind, source)
        o = schema.observations
        q = (
            select(o.c.breakdown)
            .where(o.c.indicator_id == ind.id, o.c.source_id == src.id)
            .distinct()
            .order_by(o.c.breakdown)
        )
        with self._connect() as conn:
            return [str(b) for b in conn.execute(q).scalars()]

    # -- gaps ---------------------------------------------------------------------------
    def gaps(
        self,
        indicator: str,
        *,
        year: int | None = None,
        source: str | None = None,
        breakdown: str = "",
        include_aggregates: bool = False,
        metric: GapMetric | str = GapMetric.PARITY,
    ) -> list[GapRow]:
        """One row per area: the latest year with a computable comparison, or ``year``.

        For pair indicators, the row's year is the latest year with both a female and a male
        value; for female-share indicators, the latest year with a value. Rows are ranked by
        ``metric`` (parity F/M, relative (M−F)/M or difference F−M), largest gap against
        women first; rows whose metric is not computable last (:func:`rank_gaps`).
        """
        ind = self.indicator(indicator)
        src = self._resolve_source(ind, source)
        check_breakdown(breakdown)
        how = gap_metric(metric)
        key = ("gaps", ind.id, src.id, breakdown, year, include_aggregates, how.value)
        result: list[GapRow] = self._cached(
            key,
            lambda: rank_gaps(
                self._compute_gaps(ind, src, year, breakdown, include_aggregates),
                how,
                higher_is_better=ind.higher_is_better,
            ),
        )
        return result

    def _gap_candidates(self, ind: Indicator, src: Source, breakdown: str) -> list[GapRow]:
        """Every area-year with a computable comparison (cached): the base of gap tables."""
        key = ("candidates", ind.id, src.id, breakdown)
        result: list[GapRow] = self._cached(
            key, lambda: self._compute_candidates(ind, src, breakdown)
        )
        return result

    def _compute_candidates(self, ind: Indicator, src: Source, breakdown: str) -> list[GapRow]:
        o = schema.observations
        # Ordered so that a country-year's note is the same on every database: the first
        # non-empty one of its female, male, total rows (in that order).
        q = (
            select(o.c.area_code, o.c.year, o.c.sex, o.c.value, o.c.note, o.c.se)
            .where(o.c.indicator_id == ind.id, o.c.source_id == src.id, o.c.breakdown == breakdown)
            .order_by(o.c.area_code, o.c.year, o.c.sex)
        )
        values: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
        ses: dict[tuple[str, int], dict[str, float]] = defaultdict(dict)
        notes: dict[tuple[str, int], str] = {}
        with self._connect() as conn:
            for area, yr, sex, value, note, se in conn.execute(q):
                values[(area, yr)][sex] = value
                if se is not None:
                    ses[(area, yr)][sex] = se
                if note and (area, yr) not in notes:
                    notes[(area, yr)] = note
        return gap_rows(ind, src, breakdown, values, ses, notes, self.areas())

    def _compute_gaps(
        self,
        ind: Indicator,
        src: Source,
        year: int | None,
        breakdown: str,
        include_aggregates: bool,
    ) -> list[GapRow]:
        areas = self.areas()
        best: dict[str, GapRow] = {}
        for row in self._gap_candidates(ind, src, breakdown):
            if year is not None and row.year != year:
                continue
            if not include_aggregates and not areas[row.area].is_country:
                continue
            if row.area not in best or row.year > best[row.area].year:
                best[row.area] = row
        return list(best.values())

    def gap(
        self, indicator: str, country: str, *, source: str | None = None, breakdown: str = ""
    ) -> GapRow | None:
        """The latest gap row of one area (``None`` when it has no comparable values)."""
        code = self.area(country).code
        rows = self.gaps(indicator, source=source, breakdown=breakdown, include_aggregates=True)
        return next((r for r in rows if r.area == code), None)
