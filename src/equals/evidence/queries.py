"""Read queries over the evidence: indicators, areas, observations and gap tables.

:class:`Evidence` is the one entry point used by the CLI, the web app and the Python API. It
returns plain frozen dataclasses; adapters format them. Gap tables are cached per
``(data_version, arguments)`` so pages stay fast while loads still show up immediately.
"""

from __future__ import annotations

import difflib
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Lock
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import InterfaceError, OperationalError

from equals.core.areas import Area, AreaKind, closest_codes
from equals.core.errors import (
    DatabaseUnavailableError,
    UnknownCountryError,
    UnknownIndicatorError,
    UnknownSourceError,
    ValidationError,
)
from equals.core.vocabulary import Sex
from equals.evidence.database import require_schema
from equals.evidence.rows import (
    GapRow,
    IndicatorSummary,
    ObservationRow,
    gap_rows,
    gap_sort_key,
)
from equals.indicators.catalogue import Catalogue, Indicator, load_catalogue
from equals.indicators.model import Source
from equals.store import schema
from equals.store.store import Store

__all__ = ["Evidence", "GapRow", "IndicatorSummary", "ObservationRow"]


T = TypeVar("T")

_NONE = Source(id="", organisation="", title="", licence="", retrieved_from="", origin="")
"""Stands for an unknown source in ``_resolve_source``."""

NAME_MAX = 64
"""Longest name (indicator id, area code, source id) worth a "did you mean" search."""

VERSION_TTL = 1.0
"""Seconds between checks of the database's data version (see ``Evidence._version``)."""


class Evidence:
    """Queries over one :class:`Store` and the indicator catalogue."""

    def __init__(self, store: Store, catalogue: Catalogue | None = None) -> None:
        self.store = store
        self.catalogue = catalogue or load_catalogue()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._lock = Lock()
        self._db_version = 0
        self._version_checked = -math.inf
        self._schema_ok = False

    # -- connections ----------------------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        """A connection, after checking once that the database is on this version's schema
        (a database from an older release gives one clear error, not SQL errors); a lost
        connection is reported as such (``DatabaseUnavailableError``, HTTP 503)."""
        if not self._schema_ok:
            self._check_schema()
        try:
            with self.store.connect() as conn:
                yield conn
        except (OperationalError, InterfaceError) as exc:
            raise DatabaseUnavailableError(
                f"{self.store.safe_url}: the database connection failed: "
                f"{' '.join(str(exc.orig).split())[:300]}"
            ) from exc

    def _check_schema(self) -> None:
        require_schema(self.store)  # unreachable: DatabaseUnavailableError; old: StoreError
        self._schema_ok = True

    # -- caching ------------------------------------------------------------------------
    def _version(self) -> tuple[int, int]:
        """The data version, read from the database at most every ``VERSION_TTL`` seconds.

        Loads through this process's own :class:`Store` show up at once (``local_version``);
        loads by another process (``equals init`` while the server runs) within the TTL.
        """
        if not self._schema_ok:
            self._check_schema()
        now = time.monotonic()
        with self._lock:
            if now - self._version_checked > VERSION_TTL:
                with self._connect() as conn:
                    self._db_version = int(self.store.get_meta("data_version", conn) or 0)
                self._version_checked = now
            return (self.store.local_version, self._db_version)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, memoised per data version under ``key`` (for derived views)."""
        result: T = self._cached(key, compute)
        return result

    def _cached(self, key: tuple[Any, ...], compute: Any) -> Any:
        version = self._version()
        full = (version, *key)
        with self._lock:
            if full in self._cache:
                return self._cache[full]
        value = compute()
        with self._lock:
            if len(self._cache) > 2048:
                self._cache.clear()
            self._cache[full] = value
        return value

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
        if year_from is not None and year_to is not None and year_from > year_to:
            raise ValidationError(
                f"'from' ({year_from}) is after 'to' ({year_to})", location="from", code="bad-range"
            )
        o = schema.observations
        q = select(o).order_by(
            o.c.indicator_id, o.c.area_code, o.c.year, o.c.sex, o.c.breakdown, o.c.source_id
        )
        ind = self.indicator(indicator) if indicator is not None else None
        if ind is not None:
            q = q.where(o.c.indicator_id == ind.id)
            if not all_sources:
                q = q.where(o.c.source_id == self._resolve_source(ind, source).id)
        elif source is not None:
            q = q.where(o.c.source_id == self.source(source).id)
        if country is not None:
            q = q.where(o.c.area_code == self.area(country).code)
        if sex is not None:
            q = q.where(o.c.sex == Sex(sex).value)
        if year_from is not None:
            q = q.where(o.c.year >= year_from)
        if year_to is not None:
            q = q.where(o.c.year <= year_to)
        if breakdown is not None:
            q = q.where(o.c.breakdown == breakdown)
        if country is None:
            return self._observation_rows(q)
        # One country's rows are few: cache them (a country page or API client asks often).
        key = (
            "observations",
            indicator,
            source,
            all_sources,
            self.area(country).code,
            None if sex is None else Sex(sex).value,
            year_from,
            year_to,
            breakdown,
        )
        return list(self.cached(key, lambda: self._observation_rows(q)))

    def _observation_rows(self, q: Any) -> list[ObservationRow]:
        areas = self.areas()
        sources = self.sources()
        with self._connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [
            ObservationRow(
                indicator=r["indicator_id"],
                area=r["area_code"],
                area_name=areas[r["area_code"]].name,
                year=r["year"],
                sex=Sex(r["sex"]),
                value=r["value"],
                source=r["source_id"],
                licence=sources[r["source_id"]].licence,
                breakdown=r["breakdown"],
                note=r["note"],
                flag=r["flag"],
                se=r["se"],
                ci_low=r["ci_low"],
                ci_high=r["ci_high"],
                n=r["n"],
                flags=None if r["flags"] is None else tuple(f for f in r["flags"].split(";") if f),
            )
            for r in rows
        ]

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
    ) -> list[GapRow]:
        """One row per area: the latest year with a computable comparison, or ``year``.

        For pair indicators, the row's year is the latest year with both a female and a male
        value; for female-share indicators, the latest year with a value. Rows are sorted
        by parity score, largest gap against women first; not-computable rows last.
        """
        ind = self.indicator(indicator)
        src = self._resolve_source(ind, source)
        key = ("gaps", ind.id, src.id, breakdown, year, include_aggregates)
        result: list[GapRow] = self._cached(
            key, lambda: self._compute_gaps(ind, src, year, breakdown, include_aggregates)
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
        q = select(o.c.area_code, o.c.year, o.c.sex, o.c.value, o.c.note, o.c.se).where(
            o.c.indicator_id == ind.id, o.c.source_id == src.id, o.c.breakdown == breakdown
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
        rows = list(best.values())
        rows.sort(key=gap_sort_key)
        return rows

    def gap(
        self, indicator: str, country: str, *, source: str | None = None, breakdown: str = ""
    ) -> GapRow | None:
        """The latest gap row of one area (``None`` when it has no comparable values)."""
        code = self.area(country).code
        rows = self.gaps(indicator, source=source, breakdown=breakdown, include_aggregates=True)
        return next((r for r in rows if r.area == code), None)
