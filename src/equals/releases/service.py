"""Import, diff and list releases of bundled sources (the library behind ``equals data``).

An import is validated completely first (:mod:`equals.releases.validate`), then written in one
transaction: the rows it replaces are kept in ``release_observations`` (under a ``bundled``
baseline record for rows from the package), the release's own rows are stored there too, the
source's rows within the release's scope (indicator, sex) are replaced in ``observations``,
``release_scopes`` records which release they come from, and the audit log gets an entry.
The package's files are never touched: ``equals init`` reloads them and then re-applies the
current releases (:func:`reapply`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from equals.auth.audit import record_audit
from equals.auth.model import Actor
from equals.core.areas import Area, AreaKind
from equals.core.errors import NotFoundError, UnknownSourceError, ValidationError
from equals.core.i18n import Msg
from equals.core.vocabulary import Sex
from equals.indicators.catalogue import load_catalogue
from equals.indicators.model import Observation
from equals.releases import validate
from equals.releases.diff import Current, diff
from equals.releases.model import ImportReport, ParsedRelease, Release, ReleaseDiff, Scope
from equals.releases.readers import importable_sources, read_release
from equals.store import schema
from equals.store.store import Store
from equals.store.tables.releases import data_releases, release_observations, release_scopes

BUNDLED = "bundled"
_BATCH = 5000


log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _check_date(text: str) -> str:
    if not text:
        return ""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise ValidationError(
            Msg("release date %(value)s is not a date like 2024-07-01", value=repr(text[:40])),
            location="--release-date",
            code="invalid-parameter",
        ) from exc


def prepare(
    store: Store,
    path: Path,
    source: str,
    *,
    skip_unknown_areas: bool = False,
    data_dir: Path | None = None,
) -> tuple[ParsedRelease, ReleaseDiff]:
    """Read and validate ``path`` as a release of ``source`` and compare it with the current
    rows: what ``equals data diff`` shows. Writes nothing."""
    with store.connect() as conn:
        origin = conn.execute(
            select(schema.sources.c.origin).where(schema.sources.c.id == source)
        ).scalar_one_or_none()
        known = set(conn.execute(select(schema.areas.c.code)).scalars())
    if origin is None or origin != BUNDLED:
        raise UnknownSourceError(source, suggestions=importable_sources())
    parsed = read_release(path, source, data_dir)
    catalogue = load_catalogue()
    validate.check(parsed, catalogue, known, skip_unknown_areas=skip_unknown_areas)
    with store.connect() as conn:
        current = _current_rows(conn, source, parsed.scope)
    change = diff(source, parsed.scope, current, parsed.observations)
    return parsed, replace(change, warnings=tuple(validate.warnings(parsed, catalogue)))


def diff_release(
    store: Store, path: Path, source: str, *, skip_unknown_areas: bool = False
) -> ReleaseDiff:
    return prepare(store, path, source, skip_unknown_areas=skip_unknown_areas)[1]


def import_release(
    store: Store,
    path: Path,
    source: str,
    *,
    actor: Actor,
    label: str = "",
    release_date: str = "",
    skip_unknown_areas: bool = False,
    allow_removals: bool = False,
    data_dir: Path | None = None,
) -> ImportReport:
    """Validate then load ``path`` as the current release of ``source``, in one transaction.

    A release holds whole series: rows of the source's (indicator, sex) pairs that the file
    lacks are removed. A file that would remove more than :data:`REMOVAL_LIMIT` of them (an
    extract for a few countries, most likely) is refused unless ``allow_removals``.
    """
    release_date = _check_date(release_date.strip())
    parsed, change = prepare(
        store, path, source, skip_unknown_areas=skip_unknown_areas, data_dir=data_dir
    )
    if not allow_removals:
        check_removals(change)
    label = " ".join(label.split())[:200] or parsed.label or f"{parsed.file_name}"
    release_date = release_date or parsed.release_date
    with store.transaction() as conn:
        # One import of a source at a time (PostgreSQL row lock; SQLite has one writer).
        conn.execute(
            select(schema.sources.c.id).where(schema.sources.c.id == source).with_for_update()
        )
        scope = parsed.scope
        current_ids = _scope_releases(conn, source, scope)
        same = conn.execute(
            select(data_releases.c.id).where(
                data_releases.c.source_id == source,
                data_releases.c.sha256 == parsed.sha256,
                data_releases.c.kind == "import",
            )
        ).scalars()
        same_ids = set(same)
        if same_ids and set(current_ids.values()) <= same_ids and len(current_ids) == len(scope):
            return ImportReport(None, change, (Msg("this file is already the current release"),))
        # Re-read the current rows inside the transaction: what is replaced is what we keep.
        current = _current_rows(conn, source, scope)
        change = replace(
            diff(source, scope, current, parsed.observations), warnings=change.warnings
        )
        if not allow_removals:
            check_removals(change)  # again: another import may have come first
        baseline = _keep_bundled_rows(conn, source, scope, current_ids, current)
        new_id = _insert_release(conn, parsed, change, label, release_date, actor.name)
        _insert_release_rows(conn, new_id, parsed.observations)
        _replace_rows(conn, source, scope, parsed.observations, parsed.aggregates)
        for indicator, sex in scope:
            conn.execute(
                release_scopes.delete().where(
                    release_scopes.c.source_id == source,
                    release_scopes.c.indicator_id == indicator,
                    release_scopes.c.sex == sex,
                )
            )
        conn.execute(
            release_scopes.insert(),
            [
                {"source_id": source, "indicator_id": i, "sex": s, "release_id": new_id}
                for i, s in scope
            ],
        )
        _bump_data_version(store, conn)
        record_audit(
            conn,
            actor,
            "import",
            "data-release",
            new_id,
            {
                "source": source,
                "file": parsed.file_name,
                "sha256": parsed.sha256,
                "added": len(change.added),
                "revised": len(change.revised),
                "removed": len(change.removed),
                "baseline": baseline,
            },
        )
    store.local_version += 1
    release = get_release(store, new_id)
    log.info(
        "data release imported: %s %r from %s (%d observations: %d added, %d revised, "
        "%d removed; sha256 %s; by %s)",
        release.source,
        release.label,
        release.file_name,
        release.observations,
        len(change.added),
        len(change.revised),
        len(change.removed),
        release.sha256[:12],
        release.imported_by,
    )
    return ImportReport(release, change)


REMOVAL_LIMIT = 0.05
"""Share of the current rows in a release's scope that it may remove without
``allow_removals`` (a few countries dropped from a series is normal; most of them is not)."""


def check_removals(change: ReleaseDiff) -> None:
    """Refuse a release that would remove more than :data:`REMOVAL_LIMIT` of the rows it
    replaces (and more than 10 rows)."""
    before = len(change.removed) + len(change.revised) + change.unchanged
    if len(change.removed) > 10 and len(change.removed) > REMOVAL_LIMIT * before:
        raise ValidationError(
            Msg(
                "this file would remove %(removed)s of the %(before)s current rows of "
                "%(source)s for %(series)s: a release must hold whole series (is it an extract "
                "for some countries?). Check with `equals data diff`, then pass "
                "--allow-removals to import it anyway",
                removed=len(change.removed),
                before=before,
                source=change.source,
                series=", ".join(f"{i}/{s}" for i, s in change.scope),
            ),
            location="FILE",
            code="invalid-parameter",
        )


def _bump_data_version(store: Store, conn: Connection) -> None:
    meta = schema.meta
    version = int(store.get_meta("data_version", conn) or 0) + 1
    conn.execute(meta.delete().where(meta.c.key == "data_version"))
    conn.execute(meta.insert().values(key="data_version", value=str(version)))


def _scope_filter(source: str, scope: Sequence[Scope]) -> Any:
    o = schema.observations
    return and_(
        o.c.source_id == source,
        or_(*(and_(o.c.indicator_id == i, o.c.sex == s) for i, s in scope)),
    )


def _current_rows(conn: Connection, source: str, scope: Sequence[Scope]) -> Current:
    if not scope:
        return {}
    o = schema.observations
    q = select(
        o.c.indicator_id,
        o.c.area_code,
        o.c.year,
        o.c.sex,
        o.c.breakdown,
        o.c.value,
        o.c.note,
        o.c.flag,
    ).where(_scope_filter(source, scope))
    return {(r[0], r[1], int(r[2]), r[3], r[4]): (r[5], r[6], r[7]) for r in conn.execute(q)}


def _scope_releases(conn: Connection, source: str, scope: Sequence[Scope]) -> dict[Scope, int]:
    rs = release_scopes
    rows = conn.execute(
        select(rs.c.indicator_id, rs.c.sex, rs.c.release_id).where(rs.c.source_id == source)
    )
    wanted = set(scope)
    return {(i, s): int(r) for i, s, r in rows if (i, s) in wanted}


def _keep_bundled_rows(
    conn: Connection,
    source: str,
    scope: Sequence[Scope],
    current_ids: dict[Scope, int],
    current: Current,
) -> int | None:
    """Store the package's rows that this import replaces under the source's ``bundled``
    record (created the first time); rows of earlier imports are stored already."""
    from_package = {k: v for k, v in current.items() if (k[0], k[3]) not in current_ids}
    if not from_package:
        return None
    r = data_releases
    baseline = conn.execute(
        select(r.c.id).where(r.c.source_id == source, r.c.kind == BUNDLED)
    ).scalar_one_or_none()
    if baseline is None:
        src = conn.execute(select(schema.sources).where(schema.sources.c.id == source)).one()
        files = [f for f in src.files.split("\n") if f]
        baseline = _new_id(
            conn,
            r.insert().values(
                source_id=source,
                kind=BUNDLED,
                label=BUNDLED,
                release_date="",
                file_name=", ".join(files),
                sha256=store_fingerprint(conn),
                format="bundled",
                imported_at=_now(),
                imported_by="equals init",
                rows_read=0,
                observations=0,
                skipped=0,
                added=0,
                revised=0,
                removed=0,
                unchanged=0,
                detail=json.dumps({"scope": []}),
            ),
        )
    ro = release_observations
    have = {
        (r[0], r[1], int(r[2]), r[3], r[4])
        for r in conn.execute(
            select(ro.c.indicator_id, ro.c.area_code, ro.c.year, ro.c.sex, ro.c.breakdown).where(
                ro.c.release_id == baseline
            )
        )
    }
    rows = [
        {
            "release_id": baseline,
            "indicator_id": k[0],
            "area_code": k[1],
            "year": k[2],
            "sex": k[3],
            "breakdown": k[4],
            "value": v[0],
            "note": v[1],
            "flag": v[2],
        }
        for k, v in from_package.items()
        if k not in have
    ]
    for start in range(0, len(rows), _BATCH):
        conn.execute(ro.insert(), rows[start : start + _BATCH])
    detail = json.loads(
        conn.execute(select(r.c.detail).where(r.c.id == baseline)).scalar_one() or "{}"
    )
    kept = sorted(
        {tuple(s) for s in detail.get("scope", [])} | {(k[0], k[3]) for k in from_package}
    )
    count = conn.execute(select(ro.c.release_id).where(ro.c.release_id == baseline)).fetchall()
    conn.execute(
        r.update()
        .where(r.c.id == baseline)
        .values(detail=json.dumps({"scope": kept}), observations=len(count), rows_read=len(count))
    )
    return int(baseline)


def store_fingerprint(conn: Connection) -> str:
    """The bundle fingerprint stored by ``equals init`` (identifies the package's files)."""
    meta = schema.meta
    value = conn.execute(
        select(meta.c.value).where(meta.c.key == "bundle_fingerprint")
    ).scalar_one_or_none()
    return str(value or "")


def _insert_release(
    conn: Connection,
    parsed: ParsedRelease,
    change: ReleaseDiff,
    label: str,
    release_date: str,
    by: str,
) -> int:
    detail = {
        "scope": [list(s) for s in parsed.scope],
        "skipped": dict(parsed.skipped),
        "new_years": {i: list(y) for i, y in change.new_years},
        "aggregates": [
            {"code": a.code, "name": a.name, "m49": a.m49, "defined_by": a.defined_by}
            for a in parsed.aggregates
        ],
        "path": parsed.path,
        "warnings": list(change.warnings),
    }
    return _new_id(
        conn,
        data_releases.insert().values(
            source_id=parsed.source,
            kind="import",
            label=label,
            release_date=release_date,
            file_name=parsed.file_name,
            sha256=parsed.sha256,
            format=parsed.format,
            imported_at=_now(),
            imported_by=by,
            rows_read=parsed.rows_read,
            observations=len(parsed.observations),
            skipped=parsed.total_skipped,
            added=len(change.added),
            revised=len(change.revised),
            removed=len(change.removed),
            unchanged=change.unchanged,
            detail=json.dumps(detail, ensure_ascii=False),
        ),
    )


def _new_id(conn: Connection, insert: Any) -> int:
    """Run an INSERT and return the new row's primary key."""
    key = conn.execute(insert).inserted_primary_key
    if key is None:  # pragma: no cover - every dialect we support returns it
        raise RuntimeError("the database did not return the new release id")
    return int(key[0])


def _release_row(release_id: int, o: Observation) -> dict[str, Any]:
    return {
        "release_id": release_id,
        "indicator_id": o.indicator,
        "area_code": o.area,
        "year": o.year,
        "sex": o.sex.value,
        "breakdown": o.breakdown,
        "value": o.value,
        "note": o.note,
        "flag": o.flag,
    }


def _insert_release_rows(conn: Connection, release_id: int, obs: Sequence[Observation]) -> None:
    rows = [_release_row(release_id, o) for o in obs]
    for start in range(0, len(rows), _BATCH):
        conn.execute(release_observations.insert(), rows[start : start + _BATCH])


def _replace_rows(
    conn: Connection,
    source: str,
    scope: Sequence[Scope],
    obs: Sequence[Observation],
    aggregates: Sequence[Area],
) -> None:
    o = schema.observations
    areas = schema.areas
    existing = set(conn.execute(select(areas.c.code)).scalars())
    used = {x.area for x in obs}
    new_areas = [a for a in aggregates if a.code not in existing and a.code in used]
    if new_areas:
        conn.execute(
            areas.insert(),
            [
                {
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
                for a in new_areas
            ],
        )
    if scope:
        conn.execute(o.delete().where(_scope_filter(source, scope)))
    rows = [
        {
            "indicator_id": x.indicator,
            "area_code": x.area,
            "year": x.year,
            "sex": x.sex.value,
            "breakdown": x.breakdown,
            "value": x.value,
            "source_id": x.source,
            "note": x.note,
            "flag": x.flag,
        }
        for x in obs
    ]
    for start in range(0, len(rows), _BATCH):
        conn.execute(o.insert(), rows[start : start + _BATCH])


# -- reading ---------------------------------------------------------------------------------
def _release(row: Any, current: set[int]) -> Release:
    detail = json.loads(row.detail or "{}")
    return Release(
        id=int(row.id),
        source=row.source_id,
        kind=row.kind,
        label=row.label,
        release_date=row.release_date,
        file_name=row.file_name,
        sha256=row.sha256,
        format=row.format,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        rows_read=row.rows_read,
        observations=row.observations,
        skipped=row.skipped,
        added=row.added,
        revised=row.revised,
        removed=row.removed,
        unchanged=row.unchanged,
        current=int(row.id) in current,
        scope=tuple((str(i), str(s)) for i, s in detail.get("scope", [])),
    )


def _current_ids(conn: Connection) -> set[int]:
    return {int(r) for r in conn.execute(select(release_scopes.c.release_id).distinct()).scalars()}


def list_releases(store: Store, source: str | None = None) -> list[Release]:
    """Every release record, newest first (optionally of one source)."""
    q = select(data_releases).order_by(data_releases.c.id.desc())
    if source is not None:
        q = q.where(data_releases.c.source_id == source)
    with store.connect() as conn:
        current = _current_ids(conn)
        return [_release(r, current) for r in conn.execute(q)]


def get_release(store: Store, release_id: int) -> Release:
    with store.connect() as conn:
        row = conn.execute(
            select(data_releases).where(data_releases.c.id == release_id)
        ).one_or_none()
        if row is None:
            raise NotFoundError("release", str(release_id))
        return _release(row, _current_ids(conn))


def release_observations_of(store: Store, release_id: int) -> list[Observation]:
    """Every observation of one release (also after a newer release replaced it)."""
    release = get_release(store, release_id)
    ro = release_observations
    q = (
        select(ro)
        .where(ro.c.release_id == release_id)
        .order_by(ro.c.indicator_id, ro.c.area_code, ro.c.year, ro.c.sex, ro.c.breakdown)
    )
    with store.connect() as conn:
        return [
            Observation(
                indicator=r.indicator_id,
                area=r.area_code,
                year=r.year,
                sex=Sex(r.sex),
                value=r.value,
                source=release.source,
                breakdown=r.breakdown,
                note=r.note,
                flag=r.flag,
            )
            for r in conn.execute(q)
        ]


def current_release_names(store: Store) -> dict[tuple[str, str, str], str]:
    """(source, indicator, sex) -> the name of the release its rows come from, for the rows
    that come from an import; other rows of bundled sources are ``"bundled"``."""
    rs, r = release_scopes, data_releases
    q = select(rs.c.source_id, rs.c.indicator_id, rs.c.sex, r).join(r, r.c.id == rs.c.release_id)
    with store.connect() as conn:
        current = _current_ids(conn)
        return {(row[0], row[1], row[2]): _release(row, current).name for row in conn.execute(q)}


def reapply(store: Store) -> int:
    """After ``equals init`` reloaded the package's files: put the current releases' rows back
    in place of the bundled ones (one transaction). Returns the number of rows re-applied."""
    rs, ro = release_scopes, release_observations
    with store.transaction() as conn:
        scopes = conn.execute(select(rs.c.source_id, rs.c.indicator_id, rs.c.sex, rs.c.release_id))
        by_release: dict[tuple[str, int], list[Scope]] = {}
        for source, ind, sex, rid in scopes:
            by_release.setdefault((source, int(rid)), []).append((ind, sex))
        total = 0
        for (source, rid), scope in by_release.items():
            sexes = {(i, s) for i, s in scope}
            rows = [
                r
                for r in conn.execute(select(ro).where(ro.c.release_id == rid))
                if (r.indicator_id, r.sex) in sexes
            ]
            detail = json.loads(
                conn.execute(
                    select(data_releases.c.detail).where(data_releases.c.id == rid)
                ).scalar_one()
                or "{}"
            )
            aggs = [
                Area(
                    a["code"],
                    a["name"],
                    AreaKind.AGGREGATE,
                    m49=a.get("m49"),
                    defined_by=a.get("defined_by"),
                )
                for a in detail.get("aggregates", [])
            ]
            obs = [
                Observation(
                    indicator=r.indicator_id,
                    area=r.area_code,
                    year=r.year,
                    sex=Sex(r.sex),
                    value=r.value,
                    source=source,
                    breakdown=r.breakdown,
                    note=r.note,
                    flag=r.flag,
                )
                for r in rows
            ]
            _replace_rows(conn, source, scope, obs, aggs)
            total += len(obs)
        if total:
            _bump_data_version(store, conn)
    if total:
        store.local_version += 1
    return total


__all__ = [
    "diff_release",
    "get_release",
    "import_release",
    "list_releases",
    "prepare",
    "reapply",
    "release_observations_of",
]
