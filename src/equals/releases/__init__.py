"""Fresh data without a new release: import newer releases of bundled sources from files.

``import_release`` validates a file (the source's bundled CSV layout, SDMX-ML or SDMX-CSV)
and loads it in one transaction with its provenance; ``diff_release`` shows what would change;
``list_releases`` lists them; ``release_observations_of`` reads any release, also one that a
newer release replaced. The package's own data files are never touched.
"""

from __future__ import annotations

from equals.releases.labels import add_release_keys, release_of
from equals.releases.model import ImportReport, ParsedRelease, Release, ReleaseDiff, Revision
from equals.releases.readers import detect_format, importable_sources, read_release
from equals.releases.service import (
    current_release_names,
    diff_release,
    get_release,
    import_release,
    list_releases,
    prepare,
    reapply,
    release_observations_of,
)

__all__ = [
    "ImportReport",
    "ParsedRelease",
    "Release",
    "ReleaseDiff",
    "Revision",
    "add_release_keys",
    "current_release_names",
    "detect_format",
    "diff_release",
    "get_release",
    "import_release",
    "importable_sources",
    "list_releases",
    "prepare",
    "read_release",
    "reapply",
    "release_observations_of",
    "release_of",
]
