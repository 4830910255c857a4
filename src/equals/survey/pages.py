"""Ordinary (4 KiB) memory pages for the arrays of a survey request.

NumPy asks Linux for transparent huge pages (``madvise(MADV_HUGEPAGE)``) on every array of
4 MiB or more. A request here makes many such arrays, each used for a few milliseconds: the
cells of the finest table (611k of them in the benchmark, 4.9 MB a column) and the per-row
products of the columnar pass. Under the kernel's usual ``defrag = madvise`` setting, a
fault in such an array waits until a whole 2 MiB page has been found — by compacting memory
when none is free — and zeroed. On a machine whose memory is fragmented (a busy host, a
virtual machine whose memory is being reclaimed) that wait dominates: on the benchmark's
2M-person request, 16 fresh processes took 0.60–1.01 s (median 0.86 s, 0.41 s of it in the
kernel) with huge pages and 0.70–0.87 s (median 0.75 s, 0.26 s in the kernel) without
(``docs/benchmarks.md``, session 8).

:func:`small_pages` turns NumPy's request off while a survey request runs and puts the
setting back after the last one that overlaps it ends (requests may run in threads). It
changes only that hint: the arrays, and every number computed from them, are the same. The
environment variable ``NUMPY_MADVISE_HUGEPAGE`` (NumPy's own switch) still decides the
setting outside requests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

_lock = threading.Lock()
_active = 0  # requests running now
_saved: bool | None = None  # NumPy's setting before the first of them


def _switch() -> Callable[[bool], bool] | None:
    """NumPy's setter of the hint (it returns the previous setting), or None where this NumPy
    has none (then nothing is changed)."""
    for name in ("_core", "core"):
        module = getattr(getattr(np, name, None), "multiarray", None)
        setter = getattr(module, "_set_madvise_hugepage", None)
        if callable(setter):
            return setter  # type: ignore[no-any-return]
    return None


@contextmanager
def small_pages() -> Iterator[None]:
    """Run the block with NumPy's huge-page hint off (usable as a decorator too)."""
    global _active, _saved
    setter = _switch()
    if setter is None:
        yield
        return
    with _lock:
        if _active == 0:
            _saved = bool(setter(False))
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                setter(_saved)
                _saved = None
