"""`free_slots` and `room_for` give the answers of the plain definition, on random plans.

The reference places each new piece by asking `suggest_slot` afresh, from `now`, for every
(persona, channel) pair and every planned piece: the rules read directly, with none of the
indexing, caching or resumed searches `calendar.room` uses to be fast (issue 11).
Daylight-saving zones, midnight-crossing windows, caps of 0, gaps and ties are all drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.services.calendar import ChannelPlan, PersonaPlan, PiecePlan, Window, suggest_slot
from planner.services.calendar.room import PlannedPieces, free_slots, room_for

pytestmark = pytest.mark.nodb

SETTINGS = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"]
# Around the spring and autumn changes of New York and Berlin, and a quiet week.
DAYS = [datetime(2026, 3, 6, tzinfo=UTC), datetime(2026, 10, 23, tzinfo=UTC)]
DAYS.append(datetime(2026, 6, 1, tzinfo=UTC))


def reference_free_slots(
    personas: Sequence[PersonaPlan],
    channels: Sequence[ChannelPlan],
    pieces: Sequence[PiecePlan],
    *,
    now: datetime,
    until: datetime,
    limit: int,
    targets: Sequence[PersonaPlan] | None = None,
    on: Sequence[ChannelPlan] | None = None,
) -> list[PiecePlan]:
    buyers = [p for p in (personas if targets is None else targets) if p.kind == "buyer"]
    outlets = list(channels if on is None else on)
    pairs = [(p, c) for p in buyers or [None] for c in outlets or [None]]
    planned = [p for p in pieces if p.scheduled_at is not None]
    horizon = max(1, -(-(until - now) // timedelta(days=1)))
    placed: list[PiecePlan] = []
    while len(placed) < limit:
        best = None
        for persona, channel in pairs:
            draft = PiecePlan(
                id=-1 - len(placed),
                title="(room)",
                channel=channel.name if channel is not None else None,
                content_type="article",
                origin="own",
                persona_ids=(persona.id,) if persona is not None else (),
            )
            at = suggest_slot(draft, personas, channels, planned, now=now, horizon_days=horizon)
            if at is not None and at < until and (best is None or at < best.scheduled_at):
                best = replace(draft, scheduled_at=at)
        if best is None:
            break
        planned.append(best)
        placed.append(best)
    return placed


def reference_room_for(wanted, personas, channels, pieces, *, now, until, targets=None, on=None):
    def placed(limit, caps=True, gaps=True):
        def persona(p):
            return p if caps or p.kind != "buyer" else replace(p, max_per_week=None)

        def channel(c):
            return c if gaps else replace(c, min_gap_minutes=0)

        return len(
            reference_free_slots(
                [persona(p) for p in personas],
                [channel(c) for c in channels],
                pieces,
                now=now,
                until=until,
                limit=limit,
                targets=None if targets is None else [persona(p) for p in targets],
                on=None if on is None else [channel(c) for c in on],
            )
        )

    fits = placed(wanted)
    if fits >= wanted:
        return max(wanted, 0), ""
    buyers = [p for p in (personas if targets is None else targets) if p.kind == "buyer"]
    capped = " and ".join(f"{p.name}'s" for p in buyers if p.max_per_week is not None)
    gapped = any(c.min_gap_minutes > 0 for c in (channels if on is None else on))
    cadence = bool(capped) and placed(fits + 1, caps=False) > fits
    more_gaps = gapped and placed(fits + 1, gaps=False) > fits
    add_room = f"shorten {on[0].name}'s minimum gap" if on and len(on) == 1 else "add a channel"
    if cadence or more_gaps:
        parts = [f"widen {capped} cadence"] * cadence + [add_room] * more_gaps
        return fits, " or ".join(parts)
    if capped and gapped and placed(fits + 1, caps=False, gaps=False) > fits:
        return fits, f"widen {capped} cadence and {add_room}"
    windowed = " and ".join(f"{p.name}'s" for p in buyers if p.windows)
    return fits, f"widen {windowed} posting windows" if windowed else "plan the rest for next week"


QUARTERS = st.integers(0, 24 * 4 - 1).map(lambda q: time(q // 4, q % 4 * 15))
WINDOWS = st.builds(
    Window,
    st.frozensets(st.integers(0, 6), min_size=1),
    QUARTERS,
    st.one_of(QUARTERS, st.sampled_from([time(2, 30), time(3, 0)])),  # DST hours
)


@st.composite
def plans(draw):
    count = draw(st.integers(1, 3))
    personas = [
        PersonaPlan(
            id=i + 1,
            name=f"P{i + 1}",
            kind=draw(st.sampled_from(["buyer", "buyer", "negative"])),
            timezone=draw(st.sampled_from(ZONES)),
            windows=tuple(draw(st.lists(WINDOWS, max_size=2))),
            max_per_week=draw(st.one_of(st.none(), st.integers(0, 4))),
        )
        for i in range(count)
    ]
    channels = [
        ChannelPlan(f"C{i + 1}", draw(st.sampled_from([0, 0, 45, 240, 1440])))
        for i in range(draw(st.integers(0, 3)))
    ]
    now = draw(st.sampled_from(DAYS)) + timedelta(minutes=draw(st.integers(0, 6 * 24 * 60)))
    names = [c.name for c in channels] + [None]
    pieces = [
        PiecePlan(
            id=100 + i,
            title=f"piece {i}",
            channel=draw(st.sampled_from(names)),
            content_type="article",
            origin="own",
            persona_ids=tuple(draw(st.sets(st.sampled_from([p.id for p in personas])))),
            scheduled_at=now + timedelta(minutes=draw(st.integers(-10 * 24 * 60, 12 * 24 * 60))),
        )
        for i in range(draw(st.integers(0, 14)))
    ]
    until = now + timedelta(minutes=draw(st.integers(-60, 9 * 24 * 60)))
    targets = draw(st.one_of(st.none(), st.lists(st.sampled_from(personas), max_size=2)))
    on = (
        draw(st.one_of(st.none(), st.lists(st.sampled_from(channels), max_size=2)))
        if channels
        else None
    )
    return personas, channels, pieces, now, until, targets, on


@SETTINGS
@given(plans(), st.integers(0, 12))
def test_free_slots_equal_the_reference(plan, limit):
    personas, channels, pieces, now, until, targets, on = plan
    kwargs = {"now": now, "until": until, "targets": targets, "on": on}
    expected = reference_free_slots(personas, channels, pieces, limit=limit, **kwargs)
    assert free_slots(personas, channels, pieces, limit=limit, **kwargs) == expected
    # The same index answers again, unchanged by the placements it served.
    index = PlannedPieces(pieces)
    assert free_slots(personas, channels, index, limit=limit, **kwargs) == expected
    assert free_slots(personas, channels, index, limit=limit, **kwargs) == expected


@SETTINGS
@given(plans(), st.integers(0, 10))
def test_room_for_equals_the_reference(plan, wanted):
    personas, channels, pieces, now, until, targets, on = plan
    kwargs = {"now": now, "until": until, "targets": targets, "on": on}
    expected = reference_room_for(wanted, personas, channels, pieces, **kwargs)
    assert room_for(wanted, personas, channels, pieces, **kwargs) == expected
    assert room_for(wanted, personas, channels, PlannedPieces(pieces), **kwargs) == expected
