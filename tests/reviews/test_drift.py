"""Best-time drift against a persona's windows: pure, no database."""

from __future__ import annotations

import pytest

from planner.services.engagement.best_times import BestTimes, BestWindow, Cell
from planner.services.persona_reviews.engagement import drift, window_hours

pytestmark = pytest.mark.nodb


def _best(windows: tuple[BestWindow, ...], rates: dict[tuple[int, int], float]) -> BestTimes:
    cells = tuple(
        Cell(i // 24, i % 24, 3, rates.get((i // 24, i % 24), 0.01), 0.0, None) for i in range(168)
    )
    return BestTimes("America/New_York", 300, True, 0, 0.02, cells, windows)


def test_window_hours_cover_partial_hours_and_wrap_past_midnight_and_sunday():
    assert window_hours([{"days": ["tue"], "start": "09:30", "end": "11:00"}]) == {(1, 9), (1, 10)}
    assert window_hours([{"days": ["sun"], "start": "23:00", "end": "01:00"}]) == {(6, 23), (0, 0)}


def test_best_hours_outside_the_windows_are_drift():
    tuesday_morning = BestWindow(("tue",), "09:00", "11:00", 0.08, 0.06, 40)
    best = _best((tuesday_morning,), {(1, 9): 0.08, (1, 10): 0.08})

    fridays = [{"days": ["fri"], "start": "14:00", "end": "16:00"}]
    moved = drift(best, fridays)
    assert moved.drifted and moved.top_hours == 2 and moved.top_hours_inside == 0
    assert moved.rate_inside == pytest.approx(0.01) and moved.best_rate == 0.08
    assert [s.inside for s in moved.suggested] == [False]

    kept = drift(best, [{"days": ["tue", "wed"], "start": "08:00", "end": "12:00"}])
    assert not kept.drifted and kept.top_hours_inside == 2
    assert [s.inside for s in kept.suggested] == [True]
