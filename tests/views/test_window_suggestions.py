"""Suggestions for many pieces outside a window, from windows computed once, are the ones
computed piece by piece (across a daylight-saving change and a window past midnight)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.services.calendar.plan import PersonaPlan, Window
from planner.services.calendar.slots import next_window_start, next_window_starts

pytestmark = pytest.mark.nodb


def test_batched_suggestions_match_one_by_one():
    persona = PersonaPlan(
        id=1,
        name="Night Nora",
        kind="buyer",
        timezone="America/New_York",
        windows=(
            Window.parse(["mon", "wed"], "08:00", "10:30"),
            Window.parse(["fri"], "23:00", "01:00"),
        ),
    )
    start = datetime(2026, 10, 28, 3, 17, tzinfo=UTC)  # DST ends on 1 November
    afters = [start + timedelta(hours=7 * n, minutes=13 * n) for n in range(60)]
    assert next_window_starts(persona, afters) == [next_window_start(persona, a) for a in afters]
    rare = PersonaPlan(
        id=2, name="Rare", kind="buyer", windows=(Window.parse(["sun"], "09:00", "09:30"),)
    )
    assert next_window_starts(rare, afters[:5], within=timedelta(days=1)) == [
        next_window_start(rare, a, within=timedelta(days=1)) for a in afters[:5]
    ]
