"""EQUALS Hub: evidence on the gender digital divide, and the partnership acting on it.

The notebook API returns pandas DataFrames::

    import equals
    equals.catalogue()          # the indicators (``equals.indicators`` is the subpackage)
    equals.gaps("internet_use", year=2019)
    equals.observations("account_ownership", country="KEN")
    equals.countries()
    equals.index(draws=1000, seed=1)   # the index with rank intervals
    equals.data_gaps()                 # where sex-disaggregated data are missing
    equals.parity_years("KEN", "internet_use")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from equals.core.version import __version__

__all__ = [
    "__version__",
    "catalogue",
    "connect",
    "countries",
    "data_gaps",
    "gaps",
    "index",
    "observations",
    "parity_years",
]

if TYPE_CHECKING:  # pragma: no cover
    from equals.frames import (
        catalogue,
        connect,
        countries,
        data_gaps,
        gaps,
        index,
        observations,
        parity_years,
    )


def __getattr__(name: str) -> Any:
    # Imported lazily so that `import equals` (and the CLI) stays light.
    if name in __all__ and name != "__version__":
        from equals import frames

        return getattr(frames, name)
    raise AttributeError(f"module 'equals' has no attribute {name!r}")
