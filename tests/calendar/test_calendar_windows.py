"""Posting windows in the persona's own zone, across daylight-saving changes."""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.services.calendar import (
    PersonaPlan,
    PiecePlan,
    Window,
    in_window,
    local_monday,
    next_window_start,
    week_start,
    window_intervals,
)
from planner.services.clock import wall_to_utc

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def pete(make_persona) -> PersonaPlan:
    return make_persona(
        name="Pete", timezone="America/New_York", windows=[(WEEKDAYS, "08:00", "10:30")]
    )


def test_new_york_morning_is_13_utc_in_winter_and_12_in_summer(pete):
    assert window_intervals(pete, utc(2026, 3, 2), utc(2026, 3, 3)) == [
        (utc(2026, 3, 2, 13), utc(2026, 3, 2, 15, 30))
    ]
    assert window_intervals(pete, utc(2026, 7, 6), utc(2026, 7, 7)) == [
        (utc(2026, 7, 6, 12), utc(2026, 7, 6, 14, 30))
    ]


def test_march_change_moves_the_window_an_hour_earlier_in_utc(pete):
    # Clocks go forward on Sunday 8 March 2026.
    assert window_intervals(pete, utc(2026, 3, 5), utc(2026, 3, 11)) == [
        (utc(2026, 3, 5, 13), utc(2026, 3, 5, 15, 30)),
        (utc(2026, 3, 6, 13), utc(2026, 3, 6, 15, 30)),
        (utc(2026, 3, 9, 12), utc(2026, 3, 9, 14, 30)),
        (utc(2026, 3, 10, 12), utc(2026, 3, 10, 14, 30)),
    ]
    assert in_window(pete, utc(2026, 3, 9, 12, 30))  # 08:30 EDT
    assert not in_window(pete, utc(2026, 3, 2, 12, 30))  # 07:30 EST


def test_november_change_moves_the_window_an_hour_later_in_utc(pete):
    # Clocks go back on Sunday 1 November 2026.
    assert window_intervals(pete, utc(2026, 10, 29), utc(2026, 11, 4)) == [
        (utc(2026, 10, 29, 12), utc(2026, 10, 29, 14, 30)),
        (utc(2026, 10, 30, 12), utc(2026, 10, 30, 14, 30)),
        (utc(2026, 11, 2, 13), utc(2026, 11, 2, 15, 30)),
        (utc(2026, 11, 3, 13), utc(2026, 11, 3, 15, 30)),
    ]


def test_window_starting_in_the_skipped_hour_opens_when_the_clock_jumps(make_persona):
    sunday = make_persona(timezone="America/New_York", windows=[(["sun"], "02:30", "03:30")])
    # 02:30 never shows on 8 March: the window runs from 03:00 EDT (07:00Z) to 03:30 EDT.
    assert window_intervals(sunday, utc(2026, 3, 8), utc(2026, 3, 9)) == [
        (utc(2026, 3, 8, 7), utc(2026, 3, 8, 7, 30))
    ]
    assert not in_window(sunday, utc(2026, 3, 8, 6, 59))
    assert in_window(sunday, utc(2026, 3, 8, 7))
    assert not in_window(sunday, utc(2026, 3, 8, 7, 30))
    assert window_intervals(sunday, utc(2026, 3, 15), utc(2026, 3, 16)) == [
        (utc(2026, 3, 15, 6, 30), utc(2026, 3, 15, 7, 30))
    ]


def test_window_ending_in_the_skipped_hour_closes_when_the_clock_jumps(make_persona):
    sunday = make_persona(timezone="America/New_York", windows=[(["sun"], "01:00", "02:30")])
    assert window_intervals(sunday, utc(2026, 3, 8), utc(2026, 3, 9)) == [
        (utc(2026, 3, 8, 6), utc(2026, 3, 8, 7))
    ]


def test_a_window_in_the_repeated_hour_is_open_twice(make_persona):
    sunday = make_persona(timezone="America/New_York", windows=[(["sun"], "01:00", "01:30")])
    assert window_intervals(sunday, utc(2026, 11, 1), utc(2026, 11, 2)) == [
        (utc(2026, 11, 1, 5), utc(2026, 11, 1, 5, 30)),  # 01:00-01:30 EDT
        (utc(2026, 11, 1, 6), utc(2026, 11, 1, 6, 30)),  # 01:00-01:30 EST
    ]
    assert not in_window(sunday, utc(2026, 11, 1, 5, 45))  # 01:45 EDT
    assert in_window(sunday, utc(2026, 11, 1, 6, 15))  # 01:15 EST, the second time round


def test_overnight_window_across_the_november_change_lasts_five_hours(make_persona):
    saturday = make_persona(timezone="America/New_York", windows=[(["sat"], "23:00", "03:00")])
    # Sat 31 Oct 23:00 EDT to Sun 1 Nov 03:00 EST: the clock shows four hours, five pass.
    assert window_intervals(saturday, utc(2026, 10, 31), utc(2026, 11, 2)) == [
        (utc(2026, 11, 1, 3), utc(2026, 11, 1, 8))
    ]


def test_kolkata_half_hour_offset(make_persona):
    kolkata = make_persona(timezone="Asia/Kolkata", windows=[(WEEKDAYS, "09:30", "11:00")])
    assert window_intervals(kolkata, utc(2026, 3, 2), utc(2026, 3, 3)) == [
        (utc(2026, 3, 2, 4), utc(2026, 3, 2, 5, 30))
    ]
    assert not in_window(kolkata, utc(2026, 3, 2, 3, 59, 59))
    assert in_window(kolkata, utc(2026, 3, 2, 4))
    assert in_window(kolkata, utc(2026, 3, 2, 5, 29))
    assert not in_window(kolkata, utc(2026, 3, 2, 5, 30))
    # No daylight saving in India: the same UTC times in July.
    assert in_window(kolkata, utc(2026, 7, 6, 4))


def test_window_crossing_midnight_belongs_to_the_day_it_opens(make_persona):
    friday_night = make_persona(windows=[(["fri"], "22:00", "02:00")])
    assert not in_window(friday_night, utc(2026, 3, 6, 21, 59))
    assert in_window(friday_night, utc(2026, 3, 6, 22))
    assert in_window(friday_night, utc(2026, 3, 7, 1, 59))
    assert not in_window(friday_night, utc(2026, 3, 7, 2))
    assert not in_window(friday_night, utc(2026, 3, 7, 23))  # Saturday night is not Friday
    assert not in_window(friday_night, utc(2026, 3, 6, 1))  # Thursday night is not Friday
    assert window_intervals(friday_night, utc(2026, 3, 2), utc(2026, 3, 9)) == [
        (utc(2026, 3, 6, 22), utc(2026, 3, 7, 2))
    ]


def test_touching_windows_merge_and_midnight_end_closes_at_midnight(make_persona):
    persona = make_persona(
        windows=[
            (["fri"], "22:00", "02:00"),
            (["sat"], "02:00", "04:00"),
            (["mon"], "20:00", "00:00"),
        ]
    )
    assert window_intervals(persona, utc(2026, 3, 2), utc(2026, 3, 9)) == [
        (utc(2026, 3, 2, 20), utc(2026, 3, 3)),
        (utc(2026, 3, 6, 22), utc(2026, 3, 7, 4)),
    ]
    assert not in_window(persona, utc(2026, 3, 3))


def test_equal_start_and_end_is_a_full_day(make_persona):
    persona = make_persona(windows=[(["wed"], "06:00", "06:00")])
    assert window_intervals(persona, utc(2026, 3, 2), utc(2026, 3, 9)) == [
        (utc(2026, 3, 4, 6), utc(2026, 3, 5, 6))
    ]


ZONES = [
    "America/New_York",
    "Asia/Kolkata",
    "Europe/Berlin",
    "Australia/Lord_Howe",  # half-hour daylight saving
    "America/Santiago",  # changes at midnight
    "Pacific/Chatham",  # +12:45
]


@pytest.mark.parametrize("zone", ZONES)
def test_intervals_and_in_window_agree_over_a_year(make_persona, zone):
    persona = make_persona(
        timezone=zone,
        windows=[
            (WEEKDAYS, "08:00", "10:30"),
            (["sun"], "01:00", "02:30"),
            (["sun"], "02:15", "02:45"),
            (["sat"], "23:00", "03:00"),
            (["wed"], "00:00", "00:00"),
        ],
    )
    start, end = utc(2026, 1, 1), utc(2027, 1, 1)
    intervals = window_intervals(persona, start, end)
    second = timedelta(seconds=1)
    for a, b in intervals:
        # Every edge is exact: inside at the start, outside just before and at the end.
        assert in_window(persona, a) and in_window(persona, b - second)
        assert a == start or not in_window(persona, a - second)
        assert b == end or not in_window(persona, b)
    starts = [a for a, _ in intervals]
    rng = random.Random(zone)
    for _ in range(3000):
        at = start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
        i = bisect_right(starts, at) - 1
        assert in_window(persona, at) == (i >= 0 and at < intervals[i][1]), at


def test_next_window_start_across_the_march_change(pete):
    # Friday 11:00 EST is after the window; the next one opens Monday 08:00 EDT.
    assert next_window_start(pete, utc(2026, 3, 6, 16)) == utc(2026, 3, 9, 12)
    assert next_window_start(pete, utc(2026, 3, 9, 12, 5)) == utc(2026, 3, 9, 12, 5)
    assert next_window_start(pete, datetime(2026, 3, 6, 11, tzinfo=NEW_YORK)) == utc(2026, 3, 9, 12)


def test_next_window_start_without_windows_is_none(make_persona):
    assert next_window_start(make_persona(), utc(2026, 3, 6)) is None
    never = make_persona(windows=[Window(frozenset(), time(8), time(9))])
    assert next_window_start(never, utc(2026, 3, 6)) is None


def test_week_of_a_sunday_night_piece_is_the_local_week(pete):
    late_sunday = datetime(2026, 3, 15, 23, 30, tzinfo=NEW_YORK)
    assert late_sunday.astimezone(UTC) == utc(2026, 3, 16, 3, 30)  # Monday in UTC
    assert local_monday(late_sunday, NEW_YORK) == date(2026, 3, 9)
    assert local_monday(late_sunday, ZoneInfo("UTC")) == date(2026, 3, 16)
    assert week_start(date(2026, 3, 2), NEW_YORK) == utc(2026, 3, 2, 5)
    assert week_start(date(2026, 3, 9), NEW_YORK) == utc(2026, 3, 9, 4)
    assert week_start(date(2026, 3, 9), ZoneInfo("Asia/Kolkata")) == utc(2026, 3, 8, 18, 30)


def test_wall_to_utc_handles_skipped_and_repeated_times():
    assert wall_to_utc(NEW_YORK, datetime(2026, 3, 8, 2, 30)) == utc(2026, 3, 8, 7)
    assert wall_to_utc(NEW_YORK, datetime(2026, 11, 1, 1, 30)) == utc(2026, 11, 1, 5, 30)
    santiago = ZoneInfo("America/Santiago")
    # Chile skips midnight when summer time starts (Sunday 6 September 2026).
    skipped = datetime(2026, 9, 6, 0, 0)
    assert skipped.replace(tzinfo=santiago).astimezone(UTC).astimezone(santiago).hour == 1
    assert wall_to_utc(santiago, skipped) == utc(2026, 9, 6, 4)


def test_window_parse_and_describe():
    assert Window.parse(WEEKDAYS, "08:00", "10:30").describe() == "Mon–Fri 08:00–10:30"
    assert Window.parse(["fri", "mon", "wed"], "9:00", "10:00").describe() == (
        "Mon, Wed, Fri 09:00–10:00"
    )
    assert Window.parse(["Saturday", "sun"], "22:00", "02:00").describe() == "Sat, Sun 22:00–02:00"
    assert Window.parse(range(7), time(6), time(7)).describe() == "Daily 06:00–07:00"
    assert Window.parse(["fri"], "22:00", "02:00").crosses_midnight


@pytest.mark.parametrize(
    "build",
    [
        lambda: Window.parse(["funday"], "08:00", "09:00"),
        lambda: Window(frozenset({7}), time(8), time(9)),
        lambda: Window(frozenset({0}), time(8, tzinfo=UTC), time(9)),
        lambda: PersonaPlan(1, "X", "buyer", "Mars/Olympus_Mons"),
        lambda: PersonaPlan(1, "X", "reader"),
        lambda: PersonaPlan(1, "X", "buyer", min_per_week=3, max_per_week=2),
        lambda: PiecePlan(1, "T", None, "article", "own", scheduled_at=datetime(2026, 3, 2)),
        lambda: PiecePlan(1, "T", None, "article", "borrowed"),
    ],
)
def test_invalid_inputs_are_refused(build):
    with pytest.raises(ValueError):
        build()


def test_piece_time_is_normalised_to_utc():
    piece = PiecePlan(
        1, "T", None, "article", "own", scheduled_at=datetime(2026, 3, 3, 19, tzinfo=NEW_YORK)
    )
    assert piece.scheduled_at == utc(2026, 3, 4)
    assert piece.scheduled_at.tzinfo is UTC
