"""suggest_slot: windows, channel gaps, cadence and daylight saving together."""

from __future__ import annotations

import time as clock
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.services.calendar import (
    CalendarSettings,
    ChannelPlan,
    check_calendar,
    in_window,
    suggest_slot,
)

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
NEW_YORK = ZoneInfo("America/New_York")
LINKEDIN = ChannelPlan("linkedin", 30)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def pete(make_persona):
    return make_persona(
        name="Pete", timezone="America/New_York", windows=[(WEEKDAYS, "08:00", "10:30")]
    )


@pytest.fixture
def draft(make_piece, pete):
    return make_piece(channel="linkedin", persona_ids=(pete.id,))


def suggest(piece, personas, pieces=(), *, now, channels=(LINKEDIN,), **kwargs):
    return suggest_slot(piece, personas, channels, pieces, now=now, **kwargs)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 3, 3, 14, 7), utc(2026, 3, 3, 14, 15)),  # inside: round up to the step
        (utc(2026, 3, 3, 14, 15), utc(2026, 3, 3, 14, 15)),  # already on the step
        (utc(2026, 3, 3, 16), utc(2026, 3, 4, 13)),  # after the window: tomorrow 08:00 EST
        (utc(2026, 3, 6, 16), utc(2026, 3, 9, 12)),  # over the weekend and the March change
        (utc(2026, 10, 30, 16), utc(2026, 11, 2, 13)),  # and the November change
    ],
)
def test_earliest_time_inside_a_window(draft, pete, now, expected):
    assert suggest(draft, [pete], now=now) == expected


def test_channel_gap_pushes_the_slot_back(make_piece, draft, pete):
    busy = [
        make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 4, 13)),
        make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 4, 13, 40)),
        make_piece(channel="blog", scheduled_at=utc(2026, 3, 4, 14, 10)),  # another channel
    ]
    # 13:30 is only 10 minutes before the 13:40 piece; 14:10 is the first time clear of both,
    # 14:15 the first on the 15-minute grid.
    now = utc(2026, 3, 3, 16)
    assert suggest(draft, [pete], busy, now=now) == utc(2026, 3, 4, 14, 15)
    assert suggest(draft, [pete], busy, now=now, step_minutes=5) == utc(2026, 3, 4, 14, 10)


def test_exactly_one_gap_away_is_fine(make_piece, draft, pete):
    busy = [make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 4, 12, 30))]
    assert suggest(draft, [pete], busy, now=utc(2026, 3, 3, 16)) == utc(2026, 3, 4, 13)


def test_the_piece_does_not_clash_with_itself(draft, pete):
    scheduled = replace(draft, scheduled_at=utc(2026, 3, 4, 13))
    assert suggest(scheduled, [pete], [scheduled], now=utc(2026, 3, 3, 16)) == utc(2026, 3, 4, 13)


def test_gap_running_past_the_window_moves_to_the_next_window(make_piece, draft, pete):
    busy = [make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 3, 15, 10))]
    # 15:40 would be after 10:30 EST (15:30Z), so the next morning.
    assert suggest(draft, [pete], busy, now=utc(2026, 3, 3, 15, 5)) == utc(2026, 3, 4, 13)


def test_full_week_moves_to_next_local_week(make_piece, make_persona):
    sam = make_persona(
        timezone="America/New_York", windows=[(WEEKDAYS, "08:00", "10:30")], max_per_week=1
    )
    taken = make_piece(persona_ids=(sam.id,), scheduled_at=utc(2026, 3, 2, 14))
    draft = make_piece(persona_ids=(sam.id,))
    # Week of 2 Mar is full; Monday 9 Mar 08:00 is EDT by then.
    assert suggest(draft, [sam], [taken], now=utc(2026, 3, 3, 14)) == utc(2026, 3, 9, 12)
    # Rescheduling the piece that fills the week keeps it in the week.
    assert suggest(taken, [sam], [taken], now=utc(2026, 3, 3, 14)) == utc(2026, 3, 3, 14)


def test_cadence_week_ends_at_local_midnight(make_piece, make_persona):
    sam = make_persona(timezone="America/New_York", max_per_week=1)
    sunday_night = datetime(2026, 3, 15, 23, 30, tzinfo=NEW_YORK)  # Monday 03:30 UTC
    taken = make_piece(persona_ids=(sam.id,), scheduled_at=sunday_night)
    draft = make_piece(persona_ids=(sam.id,))
    # UTC Monday 00:00 is still Sunday evening in New York; the slot opens at local midnight.
    assert suggest(draft, [sam], [taken], now=utc(2026, 3, 13, 12)) == utc(2026, 3, 16, 4)


def test_no_persona_means_any_time_respecting_gaps(make_piece):
    draft = make_piece(channel="linkedin")
    busy = [make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 3, 9))]
    assert suggest(draft, [], now=utc(2026, 3, 3, 8, 50)) == utc(2026, 3, 3, 9)
    assert suggest(draft, [], busy, now=utc(2026, 3, 3, 8, 50)) == utc(2026, 3, 3, 9, 30)
    assert suggest(make_piece(), [], busy, now=utc(2026, 3, 3, 8, 50)) == utc(2026, 3, 3, 9)


def test_prefers_a_time_inside_every_target_window(make_piece, make_persona):
    morning = make_persona(windows=[(WEEKDAYS, "09:00", "12:00")])
    midday = make_persona(windows=[(WEEKDAYS, "11:00", "14:00")])
    draft = make_piece(persona_ids=(morning.id, midday.id))
    assert suggest(draft, [morning, midday], now=utc(2026, 3, 2, 8)) == utc(2026, 3, 2, 11)


def test_falls_back_to_any_target_window_when_they_never_overlap(make_piece, make_persona):
    morning = make_persona(windows=[(WEEKDAYS, "09:00", "10:00")])
    evening = make_persona(windows=[(WEEKDAYS, "18:00", "19:00")])
    draft = make_piece(persona_ids=(morning.id, evening.id))
    assert suggest(draft, [morning, evening], now=utc(2026, 3, 2, 10)) == utc(2026, 3, 2, 18)


def test_prefer_before_takes_any_target_window_this_week_first(make_piece, make_persona):
    # Their windows meet only on Mondays; it is Tuesday, and the week still has room.
    monday = make_persona(windows=[(["mon"], "09:00", "10:00")])
    weekdays = make_persona(windows=[(WEEKDAYS, "09:00", "17:00")])
    draft = make_piece(persona_ids=(monday.id, weekdays.id))
    now = utc(2026, 3, 3, 12)
    assert suggest(draft, [monday, weekdays], now=now) == utc(2026, 3, 9, 9)
    sunday_night = utc(2026, 3, 9)
    assert suggest(draft, [monday, weekdays], now=now, prefer_before=sunday_night) == now
    # Nothing before the limit: the usual choice.
    late = utc(2026, 3, 6, 17)
    assert suggest(draft, [monday, weekdays], now=late, prefer_before=sunday_night) == utc(
        2026, 3, 9, 9
    )


def test_persona_without_windows_accepts_the_others_windows(make_piece, make_persona, pete):
    anytime = make_persona()
    draft = make_piece(persona_ids=(anytime.id, pete.id))
    assert suggest(draft, [anytime, pete], now=utc(2026, 3, 3, 16)) == utc(2026, 3, 4, 13)


def test_negative_personas_do_not_shape_the_slot(make_piece, make_persona):
    negative = make_persona(kind="negative", windows=[(WEEKDAYS, "09:00", "10:00")])
    draft = make_piece(persona_ids=(negative.id,))
    assert suggest(draft, [negative], now=utc(2026, 3, 2, 12)) == utc(2026, 3, 2, 12)


def test_kolkata_and_step_alignment(make_piece, make_persona):
    priya = make_persona(timezone="Asia/Kolkata", windows=[(WEEKDAYS, "09:30", "11:00")])
    draft = make_piece(persona_ids=(priya.id,))
    assert suggest(draft, [priya], now=utc(2026, 3, 2)) == utc(2026, 3, 2, 4)  # 09:30 IST
    odd = make_persona(windows=[(WEEKDAYS, "08:10", "09:00")])
    late = make_piece(persona_ids=(odd.id,))
    assert suggest(late, [odd], now=utc(2026, 3, 2)) == utc(2026, 3, 2, 8, 15)
    assert suggest(late, [odd], now=utc(2026, 3, 2), step_minutes=5) == utc(2026, 3, 2, 8, 10)


def test_none_when_nothing_fits_in_the_horizon(make_piece, make_persona):
    closed = make_persona(max_per_week=0)
    assert suggest(make_piece(persona_ids=(closed.id,)), [closed], now=utc(2026, 3, 2)) is None
    weekend = make_persona(windows=[(["sat"], "09:00", "10:00")])
    piece = make_piece(persona_ids=(weekend.id,))
    assert suggest(piece, [weekend], now=utc(2026, 3, 2), horizon_days=3) is None
    assert suggest(piece, [weekend], now=utc(2026, 3, 2), horizon_days=6) == utc(2026, 3, 7, 9)


def test_a_busy_calendar_is_walked_quickly(make_piece, make_persona):
    daily = make_persona(windows=[(range(7), "08:00", "10:00")])
    start = utc(2026, 3, 2, 8)
    busy = [
        make_piece(channel="linkedin", scheduled_at=start + timedelta(days=d, minutes=m))
        for d in range(50)
        for m in range(0, 120, 20)
    ]
    draft = make_piece(channel="linkedin", persona_ids=(daily.id,))
    began = clock.perf_counter()
    assert suggest(draft, [daily], busy, now=utc(2026, 3, 2)) == utc(2026, 4, 21, 8)
    assert clock.perf_counter() - began < 1


def test_a_suggested_slot_passes_the_check(make_piece, make_persona, pete):
    sam = make_persona(
        name="Sam Startup",
        timezone="America/New_York",
        windows=[(WEEKDAYS, "08:00", "10:30")],
        max_per_week=2,
    )
    now = utc(2026, 3, 4, 14)
    pieces = [
        make_piece(channel="linkedin", persona_ids=(sam.id,), scheduled_at=utc(2026, 3, 2, 13)),
        make_piece(channel="linkedin", persona_ids=(sam.id,), scheduled_at=utc(2026, 3, 5, 13)),
        make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 9, 12)),
    ]
    draft = make_piece(channel="linkedin", persona_ids=(sam.id, pete.id))
    slot = suggest(draft, [sam, pete], pieces, now=now)
    assert slot == utc(2026, 3, 9, 12, 30)
    assert in_window(sam, slot) and in_window(pete, slot)
    moved = replace(draft, scheduled_at=slot)
    findings = check_calendar(
        [*pieces, moved],
        [sam, pete],
        [LINKEDIN],
        CalendarSettings(),
        start=utc(2026, 3, 9),
        end=utc(2026, 3, 16),
        now=now,
    )
    assert findings == []


@pytest.mark.parametrize("kwargs", [{"step_minutes": 0}, {"horizon_days": 0}])
def test_bad_search_settings_are_refused(make_piece, kwargs):
    with pytest.raises(ValueError):
        suggest(make_piece(), [], now=utc(2026, 3, 2), **kwargs)
