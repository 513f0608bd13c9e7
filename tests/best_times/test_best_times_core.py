"""The pure best-times core: planted peaks are found, in the persona's own hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from planner.services.engagement.best_times import (
    MIN_POSTS,
    BestWindow,
    Post,
    compute_best_times,
    proposed_windows,
)
from tests.best_times.history import Planted, planted_history

pytestmark = pytest.mark.nodb
NEW_YORK, KOLKATA = "America/New_York", "Asia/Kolkata"


def posts_of(results):
    return [Post(r.published_at, r.impressions, r.engagements) for r in results]


def shape(window: BestWindow) -> tuple:
    return (window.days, window.start, window.end)


def test_planted_tuesday_peak_in_new_york_is_the_best_window():
    result = compute_best_times(posts_of(planted_history(NEW_YORK)), NEW_YORK)

    assert result.enough_data and result.posts == 300
    best = result.windows[0]
    assert shape(best) == (("tue",), "09:00", "11:00")
    assert best.lower > result.average and best.posts >= 2
    # The busy decoy (Monday 14:00-16:00, ordinary rate) is not suggested.
    assert all("mon" not in w.days or w.start > "16:00" for w in result.windows)
    assert result.cell(0, 14).posts > result.cell(1, 9).posts


def test_twenty_posts_are_not_enough_data():
    result = compute_best_times(posts_of(planted_history(NEW_YORK, posts=20)), NEW_YORK)

    assert not result.enough_data
    assert result.windows == ()
    assert (result.posts, result.needed) == (20, MIN_POSTS - 20)


def test_kolkata_persona_gets_its_peak_in_its_own_hours():
    # Wednesday 19:00-21:00 India time is 13:30-15:30 UTC (a half-hour offset).
    results = planted_history(KOLKATA, peak=Planted(weekday=2, start_hour=19, end_hour=21))

    result = compute_best_times(posts_of(results), KOLKATA)

    assert shape(result.windows[0]) == (("wed",), "19:00", "21:00")
    in_utc = compute_best_times(posts_of(results), "UTC")
    assert shape(in_utc.windows[0]) != (("wed",), "19:00", "21:00")


def test_daylight_saving_weeks_do_not_shift_the_peak():
    # 16 weeks across 8 March 2026 (clocks forward) against 16 weeks of winter only.
    across = compute_best_times(
        posts_of(planted_history(NEW_YORK, first_monday=date(2026, 2, 2))), NEW_YORK
    )
    winter = compute_best_times(
        posts_of(planted_history(NEW_YORK, first_monday=date(2025, 11, 10))), NEW_YORK
    )

    assert shape(across.windows[0]) == (("tue",), "09:00", "11:00")
    assert [(c.posts, c.rate) for c in across.cells] == [(c.posts, c.rate) for c in winter.cells]
    # Read with a fixed offset (UTC-5 all year), the weeks after the change would move an hour.
    fixed = compute_best_times(
        posts_of(planted_history(NEW_YORK, first_monday=date(2026, 2, 2))), "Etc/GMT+5"
    )
    assert [c.posts for c in fixed.cells] != [c.posts for c in across.cells]


def test_posts_without_impressions_count_for_nothing_and_rates_are_capped():
    at = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    odd = [Post(at, None, 5), Post(at, 0, 5), Post(at, 100, None), Post(at, 10, 50)]

    result = compute_best_times(odd, NEW_YORK, min_posts=1)

    assert result.posts == 1
    assert result.cell(1, 9).observed == 1.0


def test_few_lucky_posts_are_pulled_towards_the_average():
    base = posts_of(planted_history(NEW_YORK, peak=Planted(rate=0.02)))
    lucky = [Post(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), 1000, 300)]  # Sun 03:00, 30%

    result = compute_best_times(base + lucky, NEW_YORK)

    cell = result.cell(6, 3)
    assert (cell.posts, cell.observed) == (1, 0.3)
    assert cell.rate < cell.observed / 2
    assert all("sun" not in w.days for w in result.windows)


def test_apply_adds_beside_or_replaces_the_current_windows():
    current = [{"days": ["mon"], "start": "08:00", "end": "09:00"}]
    tuesday = BestWindow(("tue",), "09:00", "11:00", 0.04, 0.035, 12)
    monday = BestWindow(("mon",), "08:00", "09:00", 0.03, 0.025, 9)

    added = proposed_windows(current, [tuesday, monday], replace=False)
    replaced = proposed_windows(current, [tuesday], replace=True)

    assert added == [*current, {"days": ["tue"], "start": "09:00", "end": "11:00"}]
    assert replaced == [{"days": ["tue"], "start": "09:00", "end": "11:00"}]


def test_hour_ranks_list_the_best_window_first():
    result = compute_best_times(posts_of(planted_history(NEW_YORK)), NEW_YORK)
    late = replace(result.windows[0], days=("sat",), start="23:00", end="00:00")

    assert result.hour_ranks()[:2] == ((1, 9), (1, 10))
    assert replace(result, windows=(late,)).hour_ranks() == ((5, 23),)


@pytest.mark.parametrize(
    ("zone", "peak"), [(NEW_YORK, Planted()), (KOLKATA, Planted(2, 19, 21))], ids=["ny", "kolkata"]
)
def test_over_forty_histories_the_best_window_is_never_outside_the_peak(zone, peak):
    exact = 0
    for seed in range(40):
        result = compute_best_times(posts_of(planted_history(zone, peak=peak, seed=seed)), zone)
        if not result.windows:
            continue  # the peak's hours got too few posts in this history
        best = result.windows[0]
        day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[peak.weekday]
        assert best.days == (day,), seed
        assert f"{peak.start_hour:02d}:00" <= best.start < best.end <= f"{peak.end_hour:02d}:00"
        exact += shape(best) == ((day,), f"{peak.start_hour:02d}:00", f"{peak.end_hour:02d}:00")
    assert exact >= 34
