"""Bring a database to a usable state: migrate, load the bundled evidence, add example content.

``initialise`` is what ``equals init``, ``equals serve`` (first start), the web app's startup and
the notebook API's ``connect`` call. The store loads the bundled evidence (idempotently, by the
bundle's fingerprint); each feature that ships labelled example content (the session archive's
example report, the partnership registry's example partners and initiatives) adds it here through
its own service, each idempotent and each in its own transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from equals.core.i18n import Msg
from equals.store import InitReport, Progress, Store

log = logging.getLogger(__name__)

ExampleLoader = Callable[[Store], str | None]
"""Adds one feature's example content if it is missing; returns a one-line summary or None."""


def example_loaders() -> list[tuple[str, ExampleLoader]]:
    """The features' example-content loaders, in dependency order (imported lazily)."""
    loaders: list[tuple[str, ExampleLoader]] = []
    from equals.archive.examples import load_examples as archive_examples

    loaders.append(("session archive", archive_examples))
    from equals.partners.examples import load_examples as partnership_examples

    loaders.append(("partnership registry", partnership_examples))
    return loaders


def _example_label(name: str) -> Msg:
    """The progress label of a feature's example content (shown while ``equals init`` runs)."""
    match name:
        case "session archive":
            return Msg("Example content: session archive")
        case "partnership registry":
            return Msg("Example content: partnership registry")
        case _:
            return Msg("Example content: %(name)s", name=name)


@dataclass(frozen=True, slots=True)
class SetupReport:
    """What :func:`initialise` did."""

    init: InitReport
    examples: list[str] = field(default_factory=list)


def initialise(
    store: Store,
    *,
    force: bool = False,
    examples: bool = True,
    progress: Progress | None = None,
) -> SetupReport:
    """Migrate and load the bundled data (see :meth:`Store.init`), then the example content.

    Holds :meth:`Store.init_lock` throughout, so server workers that start together on one
    database set it up one after another (the later ones find it done).
    """
    with store.init_lock():
        return _initialise(store, force=force, examples=examples, progress=progress)


def _initialise(
    store: Store, *, force: bool, examples: bool, progress: Progress | None
) -> SetupReport:
    report = store.init(force=force, progress=progress)
    log.info(
        "init %s: %s (%s observations, %d indicators, %d areas, %d sources)",
        report.url,
        "loaded the bundled data" if report.loaded else "bundled data already up to date",
        f"{report.observations:,}",
        report.indicators,
        report.areas,
        report.sources,
    )
    if report.loaded:
        from equals.releases import reapply

        reapplied = reapply(store)  # imported releases stay current after a reload
        if reapplied:
            log.info("re-applied %s observations of imported data releases", f"{reapplied:,}")
    done: list[str] = []
    if examples:
        for name, load in example_loaders():
            if progress is not None:
                progress(_example_label(name), 0, 1)
            summary = load(store)
            if summary:
                log.info("example content: %s", summary)
                done.append(summary)
    return SetupReport(report, done)
