"""Compare a release with the source's current rows within the release's scope (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from equals.indicators.model import Observation
from equals.releases.model import Key, ReleaseDiff, Revision, Scope, key_of

Current = Mapping[Key, tuple[float, str, str]]
"""The current rows in scope: key -> (value, note, flag)."""


def diff(
    source: str, scope: Sequence[Scope], current: Current, new: Sequence[Observation]
) -> ReleaseDiff:
    """Added, revised (value changed), removed and unchanged rows; the years that are new."""
    incoming = {key_of(o): o for o in new}
    added = sorted(k for k in incoming if k not in current)
    removed = sorted(k for k in current if k not in incoming)
    revised: list[Revision] = []
    unchanged = metadata_changed = 0
    for k, o in sorted(incoming.items()):
        if k not in current:
            continue
        old_value, old_note, old_flag = current[k]
        if old_value != o.value:
            revised.append(Revision(k, old_value, o.value))
        else:
            unchanged += 1
            if (old_note, old_flag) != (o.note, o.flag):
                metadata_changed += 1
    old_years: dict[str, set[int]] = {}
    for k in current:
        old_years.setdefault(k[0], set()).add(k[2])
    new_years: dict[str, set[int]] = {}
    for k in added:
        if k[2] not in old_years.get(k[0], set()):
            new_years.setdefault(k[0], set()).add(k[2])
    return ReleaseDiff(
        source=source,
        scope=tuple(scope),
        added=tuple(added),
        revised=tuple(revised),
        removed=tuple(removed),
        unchanged=unchanged,
        metadata_changed=metadata_changed,
        new_years=tuple((i, tuple(sorted(y))) for i, y in sorted(new_years.items())),
        added_values=tuple(incoming[k].value for k in added),
        removed_values=tuple(current[k][0] for k in removed),
    )
