"""The evidence cache computes each view once per data version, even under concurrency."""

from __future__ import annotations

import threading
import time

import pytest

from equals.evidence.queries import Evidence
from equals.store import Store


def test_concurrent_requests_for_a_cold_view_compute_it_once(loaded_store: Store) -> None:
    ev = Evidence(loaded_store)
    calls = 0
    count_lock = threading.Lock()
    start = threading.Barrier(8)

    def compute() -> int:
        nonlocal calls
        with count_lock:
            calls += 1
        time.sleep(0.2)  # a slow query: every thread arrives while it runs
        return 42

    results: list[int] = []

    def ask() -> None:
        start.wait()
        results.append(ev.cached(("slow-view",), compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 8
    assert calls == 1
    assert ev.cached(("slow-view",), compute) == 42 and calls == 1


def test_a_failed_computation_is_not_cached_and_can_be_retried(loaded_store: Store) -> None:
    ev = Evidence(loaded_store)
    attempts = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("transient")
        return "ok"

    with pytest.raises(RuntimeError, match="transient"):
        ev.cached(("flaky",), flaky)
    assert ev.cached(("flaky",), flaky) == "ok" and len(attempts) == 2
