"""room_for: how many new pieces the plan holds before a time, and what would make room."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from planner.services.calendar import ChannelPlan
from planner.services.calendar.room import free_slots, room_for

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
MONDAY_NOON = datetime(2026, 3, 2, 12, tzinfo=UTC)
SUNDAY_END = datetime(2026, 3, 9, tzinfo=UTC)
BLOG = ChannelPlan("Blog", 240)
LINKEDIN = ChannelPlan("LinkedIn", 0)


def test_the_cadence_cap_bounds_the_room(make_persona, make_piece):
    olivia = make_persona(name="Olivia", windows=[(WEEKDAYS, "08:00", "17:00")], max_per_week=5)
    planned = [
        make_piece(persona_ids=(olivia.id,), channel="LinkedIn", scheduled_at=MONDAY_NOON),
        make_piece(persona_ids=(olivia.id,), channel="Blog", scheduled_at=MONDAY_NOON),
    ]
    room = room_for(8, [olivia], [BLOG, LINKEDIN], planned, now=MONDAY_NOON, until=SUNDAY_END)
    assert room == (3, "widen Olivia's cadence")
    assert room_for(3, [olivia], [BLOG, LINKEDIN], planned, now=MONDAY_NOON, until=SUNDAY_END) == (
        3,
        "",
    )


def test_the_channel_gap_bounds_the_room(make_persona, make_piece):
    olivia = make_persona(name="Olivia", windows=[(WEEKDAYS, "08:00", "17:00")])
    # 12:00 and 16:00 today, then 08:00, 12:00 and 16:00 on four more days.
    room = room_for(20, [olivia], [BLOG], [], now=MONDAY_NOON, until=SUNDAY_END)
    assert room == (14, "add a channel")
    only_blog = room_for(
        20, [olivia], [BLOG, LINKEDIN], [], now=MONDAY_NOON, until=SUNDAY_END, on=[BLOG]
    )
    assert only_blog == (14, "shorten Blog's minimum gap")
    placed = free_slots([olivia], [BLOG], [], now=MONDAY_NOON, until=SUNDAY_END, limit=20)
    times = [p.scheduled_at for p in placed]
    assert all(b - a >= timedelta(minutes=240) for a, b in zip(times, times[1:], strict=False))


def test_both_limits_and_the_windows_are_named(make_persona, make_piece):
    olivia = make_persona(name="Olivia", windows=[(WEEKDAYS, "08:00", "17:00")], max_per_week=2)
    assert room_for(20, [olivia], [BLOG], [], now=MONDAY_NOON, until=SUNDAY_END) == (
        2,
        "widen Olivia's cadence",
    )
    friday_night = datetime(2026, 3, 6, 18, tzinfo=UTC)
    assert room_for(3, [olivia], [BLOG], [], now=friday_night, until=SUNDAY_END) == (
        0,
        "widen Olivia's posting windows",
    )
