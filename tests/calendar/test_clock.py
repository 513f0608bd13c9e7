"""The one rule for wall-clock times people type, checked where it lives (`services/clock`).

Pieces, the calendar grid, the agenda's "New time" form and the API all read times
through `parse_moment`, so these cases hold for each of them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.errors import ValidationError
from planner.services.clock import (
    WallClock,
    day_range,
    parse_moment,
    parse_optional_moment,
    wall_to_utc,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_refused_naming_the_nearest_valid_times():
    # London springs forward at 01:00 on 29 March 2026: 01:00-01:59 never shows.
    with pytest.raises(ValidationError) as caught:
        parse_moment("2026-03-29T01:30", "Europe/London")
    error = caught.value
    assert "01:30 does not exist on Sun 29 Mar 2026 in Europe/London" in error.message
    assert "jump from 01:00 to 02:00" in error.message
    assert error.details == {"scheduled_at": "01:30 does not exist that day; choose 00:59 or 02:00"}


def test_the_field_named_in_the_error_is_the_one_asked_for():
    with pytest.raises(ValidationError) as caught:
        parse_moment("2026-03-08T02:15", "America/New_York", name="start")
    assert set(caught.value.details) == {"start"}
    assert "choose 01:59 or 03:00" in caught.value.details["start"]


def test_the_minutes_either_side_of_the_jump_are_accepted():
    assert parse_moment("2026-03-29T00:59", "Europe/London") == utc(2026, 3, 29, 0, 59)
    assert parse_moment("2026-03-29T02:00", "Europe/London") == utc(2026, 3, 29, 1, 0)


def test_a_repeated_time_means_its_first_occurrence():
    # London falls back at 02:00 BST on 25 October 2026: 01:30 shows twice.
    assert parse_moment("2026-10-25T01:30", "Europe/London") == utc(2026, 10, 25, 0, 30)


def test_a_time_with_an_offset_is_taken_as_it_is():
    assert parse_moment("2026-03-29T01:30+00:00", "Europe/London") == utc(2026, 3, 29, 1, 30)
    assert parse_moment("2026-12-01T09:00Z", "Asia/Kolkata") == utc(2026, 12, 1, 9)


def test_text_that_is_not_a_time_names_the_field():
    with pytest.raises(ValidationError) as caught:
        parse_moment("next tuesday", "UTC")
    assert caught.value.details == {"scheduled_at": "is not a date and time (YYYY-MM-DDTHH:MM)"}
    with pytest.raises(ValidationError) as caught:
        parse_moment("  ", "UTC")
    assert caught.value.details == {"scheduled_at": "is required"}


def test_an_empty_optional_time_is_none_and_a_skipped_one_still_refused():
    assert parse_optional_moment("", "Europe/London") is None
    assert parse_optional_moment(None, "Europe/London") is None
    with pytest.raises(ValidationError):
        parse_optional_moment("2026-03-29T01:30", "Europe/London")


def test_boundaries_are_arithmetic_not_input_so_a_skipped_midnight_starts_at_the_jump():
    # Santiago skips 00:00-00:59 on 6 September 2026: that day begins at 01:00 local.
    santiago = ZoneInfo("America/Santiago")
    assert wall_to_utc(santiago, datetime(2026, 9, 6)) == utc(2026, 9, 6, 4)
    start, end = day_range("2026-09-06", "2026-09-06", "America/Santiago", today=date(2026, 9, 1))
    assert (start, end) == (utc(2026, 9, 6, 4), utc(2026, 9, 7, 3))


def test_wall_clock_says_times_in_the_zone():
    clock = WallClock("America/New_York")
    at = utc(2026, 3, 3, 0, 0)
    assert clock.text(at) == "Mon 2 Mar 19:00 EST"
    assert clock.input(at) == "2026-03-02T19:00"
    assert clock.wall(at) == "2026-03-02T19:00:00"
