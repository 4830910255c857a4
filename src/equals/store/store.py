"""The database handle: connect, migrate, load the bundled evidence, idempotently.

``Store(url)`` works on SQLite (default, a file) and PostgreSQL (``postgresql+psycopg://…``)
with the same code. Nothing connects until a method is called.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url

from equals.core.areas import Area, AreaKind, closest_codes
from equals.core.errors import EqualsError, UnknownCountryError, UnknownIndicatorError
from equals.core.i18n import Msg
from equals.indicators.catalogue import Catalogue, load_catalogue
from equals.indicators.model import Observation, Source
from equals.store import schema

Progress = Callable[[str, int, int], None]
"""Progress callback: (step description, done, total)."""

_BATCH = 5000
_INIT_LOCK_KEY = 7_305_118_400_113  # pg_advisory_lock key of `Store.init_lock` ("EQUALS")


class StoreError(EqualsError):
    code = "store-error"


@dataclass(frozen=True, slots=True)
class InitReport:
    """What ``Store.init`` did."""

    url: str
    loaded: bool  # False when the database already held this exact bundle
    fingerprint: str
    sources: int
    areas: int
    indicators: int
    observations: int


@dataclass(frozen=True, slots=True)
class PublishReport:
    """What ``Store.publish`` did."""

    source: str
    observations: int
    replaced: int  # rows of the same source deleted first (a re-publication)


def _redact(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


class Store:
    """A relational store of evidence. Create with a SQLAlchemy URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self._echo = echo
        # Bumped by every load through this object: lets caches see own writes at once.
        self.local_version = 0

    def __repr__(self) -> str:
        return f"Store({_redact(self.url)!r})"

    @property
    def safe_url(self) -> str:
        """The URL without its password, for messages."""
        return _redact(self.url)

    @cached_property
    def engine(self) -> Engine:
        url = make_url(self.url)
        kwargs: dict[str, Any] = {"echo": self._echo}
        if url.get_backend_name() == "sqlite":
            db = url.database
            if db and db != ":memory:":
                Path(db).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False}
        engine = create_engine(url, **kwargs)
        if url.get_backend_name() == "sqlite":

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                if db and db != ":memory:":
                    cur.execute("PRAGMA journal_mode=WAL")
                cur.close()

        return engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in one transaction: committed on success, rolled back on error."""
        with self.engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()

    # -- schema -------------------------------------------------------------------------
    def _alembic_config(self, conn: Connection) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        cfg.attributes["connection"] = conn
        return cfg

    def migrate(self) -> None:
        """Bring the schema to the newest migration (safe to call any time)."""
        with self.transaction() as conn:
            command.upgrade(self._alembic_config(conn), "head")

    def schema_revision(self) -> str | None:
        with self.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        with self.connect() as conn:
            return ScriptDirectory.from_config(self._alembic_config(conn)).get_current_head()

    # -- meta ---------------------------------------------------------------------------
    def get_meta(self, key: str, conn: Connection | None = None) -> str | None:
        q = select(schema.meta.c.value).where(schema.meta.c.key == key)
        if conn is not None:
            return conn.execute(q).scalar_one_or_none()
        with self.connect() as c:
            return c.execute(q).scalar_one_or_none()

    @staticmethod
    def _set_meta(conn: Connection, key: str, value: str) -> None:
        conn.execute(schema.meta.delete().where(schema.meta.c.key == key))
        conn.execute(schema.meta.insert().values(key=key, value=value))

    def data_version(self) -> int:
        """A number that changes whenever evidence is (re)loaded: a cache key for queries."""
        return int(self.get_meta("data_version") or 0)

    def is_initialised(self) -> bool:
        try:
            return self.schema_revision() == self.head_revision() and bool(
                self.get_meta("bundle_fingerprint")
            )
        except Exception:
            return False

    # -- loading ------------------------------------------------------------------------
    @contextmanager
    def init_lock(self) -> Iterator[None]:
        """Hold the database's set-up lock: one process at a time migrates and loads.

        Several server workers starting together on one database would otherwise each load
        the bundle and the example content and collide on their keys. PostgreSQL: a session
        advisory lock on a connection of its own. SQLite: an exclusive file lock beside the
        database file (an in-memory database belongs to one process and needs none).
        """
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({_INIT_LOCK_KEY})")
                conn.commit()
                try:
                    yield
                finally:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_INIT_LOCK_KEY})")
                    conn.commit()
            return
        db = make_url(self.url).database
        if self.dialect != "sqlite" or not db or db == ":memory:":
            yield
            return
        import fcntl

        lock_path = Path(f"{db}.init-lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def init(self, *, force: bool = False, progress: Progress | None = None) -> InitReport:
        """Migrate, then load the bundled evidence unless this exact bundle is loaded.

        All loading happens in one transaction: a failure leaves the database as it was.
        """
        from equals.indicators.bundle import bundle_fingerprint, load_bundle

        step = progress or (lambda *_: None)
        step("Migrating schema", 0, 1)
        self.migrate()
        fingerprint = bundle_fingerprint()
        if not force and self.get_meta("bundle_fingerprint") == fingerprint:
            counts = self.counts()
            return InitReport(_redact(self.url), False, fingerprint, **counts)
        step("Reading bundled data files", 0, 1)
        bundle = load_bundle()
        self.load(
            sources=bundle.sources,
            areas=bundle.areas,
            observations=bundle.observations,
            catalogue=load_catalogue(),
            fingerprint=fingerprint,
            progress=progress,
        )
        return InitReport(_redact(self.url), True, fingerprint, **self.counts())

    def load(
        self,
        *,
        sources: Sequence[Source],
        areas: Sequence[Area],
        observations: Sequence[Observation],
        catalogue: Catalogue,
        fingerprint: str,
        progress: Progress | None = None,
    ) -> None:
        """Replace the bundled evidence with these records, in one transaction.

        Only ``origin = 'bundled'`` sources and their observations are replaced: published
        survey sources and their observations stay.
        """
        step = progress or (lambda *_: None)
        src_ids = [s.id for s in sources]
        with self.transaction() as conn:
            o, s = schema.observations, schema.sources
            bundled = select(s.c.id).where(s.c.origin == "bundled")
            conn.execute(o.delete().where(o.c.source_id.in_(bundled)))
            conn.execute(s.delete().where(s.c.origin == "bundled"))
            _replace_unreferenced(conn, schema.indicators, "id", o.c.indicator_id)
            _replace_unreferenced(conn, schema.areas, "code", o.c.area_code)
            conn.execute(s.insert(), [_source_row(x) for x in sources])
            _upsert(conn, schema.indicators, "id", [_indicator_row(i) for i in catalogue])
            _upsert(conn, schema.areas, "code", [_area_row(a) for a in areas])
            total = len(observations)
            for start in range(0, total, _BATCH):
                step("Loading observations", start, total)
                batch = observations[start : start + _BATCH]
                conn.execute(o.insert(), [_observation_row(x) for x in batch])
            step("Loading observations", total, total)
            self._set_meta(conn, "bundle_fingerprint", fingerprint)
            self._set_meta(conn, "bundle_sources", ",".join(src_ids))
            version = int(self.get_meta("data_version", conn) or 0) + 1
            self._set_meta(conn, "data_version", str(version))
        self.local_version += 1

    def publish(
        self, source: Source, observations: Sequence[Observation], *, origin: str = "survey"
    ) -> PublishReport:
        """Store estimates (e.g. from survey microdata) as the observations of ``source``.

        One transaction: the source row (with ``origin``) and all its observations replace
        whatever that source had before; any failure writes nothing. Refuses a source id that
        belongs to the bundled data, observations of another source, and unknown areas or
        indicators (load the bundle first). ``Store.load`` keeps non-bundled sources.
        """
        if origin == "bundled":
            raise StoreError(Msg("publish is for non-bundled sources; use load for the bundle"))
        other = sorted({x.source for x in observations} - {source.id})
        if other:
            raise StoreError(
                Msg(
                    "observations name source(s) %(sources)s, not %(source)s",
                    sources=", ".join(other),
                    source=source.id,
                )
            )
        s, o = schema.sources, schema.observations
        with self.transaction() as conn:
            existing = conn.execute(
                select(s.c.origin).where(s.c.id == source.id)
            ).scalar_one_or_none()
            if existing is not None and existing != origin:
                raise StoreError(_belongs_to(source.id, existing))
            rows = conn.execute(select(schema.areas)).mappings().all()
            areas = {r["code"]: Area(**{**r, "kind": AreaKind(r["kind"])}) for r in rows}
            for code in sorted({x.area for x in observations} - set(areas)):
                raise UnknownCountryError(code, suggestions=closest_codes(code, areas.values()))
            indicators = set(conn.execute(select(schema.indicators.c.id)).scalars())
            for ind in sorted({x.indicator for x in observations} - indicators):
                close = difflib.get_close_matches(ind, sorted(indicators), n=3, cutoff=0.4)
                raise UnknownIndicatorError(ind, suggestions=close)
            replaced = conn.execute(o.delete().where(o.c.source_id == source.id)).rowcount
            conn.execute(s.delete().where(s.c.id == source.id))
            conn.execute(s.insert(), [_source_row(source, origin)])
            for start in range(0, len(observations), _BATCH):
                batch = observations[start : start + _BATCH]
                conn.execute(o.insert(), [_observation_row(x) for x in batch])
            version = int(self.get_meta("data_version", conn) or 0) + 1
            self._set_meta(conn, "data_version", str(version))
        self.local_version += 1
        return PublishReport(source.id, len(observations), int(replaced or 0))

    def counts(self) -> dict[str, int]:
        with self.connect() as conn:
            return {
                name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for name, t in (
                    ("sources", schema.sources),
                    ("areas", schema.areas),
                    ("indicators", schema.indicators),
                    ("observations", schema.observations),
                )
            }


def _replace_unreferenced(conn: Connection, table: Any, key: str, ref: Any) -> None:
    """Delete rows of ``table`` that no remaining observation references."""
    conn.execute(table.delete().where(table.c[key].not_in(select(ref).distinct())))


def _upsert(conn: Connection, table: Any, key: str, rows: Iterable[dict[str, Any]]) -> None:
    rows = list(rows)
    existing = set(conn.execute(select(table.c[key])).scalars())
    new = [r for r in rows if r[key] not in existing]
    for r in rows:
        if r[key] in existing:
            conn.execute(table.update().where(table.c[key] == r[key]).values(**r))
    if new:
        conn.execute(table.insert(), new)


def _belongs_to(source: str, origin: str) -> Msg:
    """Why a source id cannot be published: another kind of data (``origin``) has it."""
    if origin == "bundled":
        return Msg(
            "source id %(source)s belongs to bundled data; choose another id", source=repr(source)
        )
    if origin == "survey":
        return Msg(
            "source id %(source)s belongs to survey data; choose another id", source=repr(source)
        )
    return Msg(
        "source id %(source)s belongs to %(origin)s data; choose another id",
        source=repr(source),
        origin=origin,
    )


def _source_row(s: Source, origin: str = "bundled") -> dict[str, Any]:
    return {
        "id": s.id,
        "organisation": s.organisation,
        "title": s.title,
        "licence": s.licence,
        "licence_url": s.licence_url,
        "retrieved_from": s.retrieved_from,
        "files": "\n".join(s.files),
        "coverage": s.coverage,
        "citation": s.citation,
        "notes": s.notes,
        "origin": origin,
    }


def _indicator_row(i: Any) -> dict[str, Any]:
    return {
        "id": i.id,
        "title": i.title,
        "pillar": i.pillar.value,
        "kind": i.kind.value,
        "unit": i.unit,
        "default_source": i.default_source,
        "descriptor": json.dumps(i.to_descriptor(), ensure_ascii=False),
    }


def _area_row(a: Area) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "kind": a.kind.value,
        "iso2": a.iso2,
        "m49": a.m49,
        "region": a.region,
        "subregion": a.subregion,
        "income_group": a.income_group,
        "defined_by": a.defined_by,
    }


def _observation_row(x: Observation) -> dict[str, Any]:
    return {
        "indicator_id": x.indicator,
        "area_code": x.area,
        "year": x.year,
        "sex": x.sex.value,
        "breakdown": x.breakdown,
        "value": x.value,
        "source_id": x.source,
        "note": x.note,
        "flag": x.flag,
        "se": x.se,
        "ci_low": x.ci_low,
        "ci_high": x.ci_high,
        "ci_level": x.ci_level,
        "n": x.n,
        "flags": None if x.flags is None else ";".join(x.flags),
    }
