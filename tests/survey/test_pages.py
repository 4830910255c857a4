"""equals.survey.pages: NumPy's huge-page hint is off while a survey request runs, and comes
back as it was after the last overlapping request, whatever happens in between."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from equals.survey import Design, aggregate_many, estimate, gender_gaps, proportion
from equals.survey.pages import _switch, small_pages


def hint() -> bool:
    setter = _switch()
    assert setter is not None  # this NumPy has the switch (numpy >= 1.20)
    before = bool(setter(True))
    setter(before)
    return before


@pytest.fixture(params=[True, False], ids=["hint-on", "hint-off"])
def start(request: pytest.FixtureRequest) -> Iterator[bool]:
    setter = _switch()
    assert setter is not None
    saved = bool(setter(request.param))
    yield request.param
    setter(saved)


def test_off_inside_and_restored_after(start: bool) -> None:
    with small_pages():
        assert hint() is False
    assert hint() is start


def test_restored_after_an_error(start: bool) -> None:
    with pytest.raises(ZeroDivisionError), small_pages():
        _ = 1 / 0
    assert hint() is start


def test_nested_requests_restore_once(start: bool) -> None:
    with small_pages():
        with small_pages():
            assert hint() is False
        assert hint() is False  # the outer request still runs
    assert hint() is start


def test_overlapping_threads(start: bool) -> None:
    """Request A starts, B starts, A ends, B ends: the hint stays off until B ends and is then
    the setting from before A (not the 'off' that B saw when it began)."""
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def a() -> None:
        with small_pages():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with small_pages():
            b_in.set()
            a_out.wait(5)
            seen["b after a ended"] = hint()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"b after a ended": False}
    assert hint() is start


def test_decorated_entry_points_keep_their_names() -> None:
    assert estimate.__name__ == "estimate"
    assert aggregate_many.__name__ == "aggregate_many"
    assert gender_gaps.__doc__ and "gaps" in gender_gaps.__doc__


def test_a_request_runs_with_the_hint_off(start: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hint is off during the aggregation pass and the variance algebra, then restored."""
    from equals.survey import variance

    seen: list[bool] = []
    original = variance.covariances

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(hint())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(variance, "covariances", spy)
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "stratum": np.repeat([1, 2], 50),
            "psu": np.repeat(np.arange(10), 10),
            "weight": rng.uniform(1, 3, 100),
            "sex": rng.integers(1, 3, 100),
            "y": rng.integers(0, 2, 100),
        }
    )
    batch = aggregate_many(frame, Design("weight", "stratum", "psu"), [proportion("y")], [["sex"]])
    assert hint() is start
    assert batch.estimate(["sex"])
    assert seen and not any(seen)
    assert hint() is start
