"""The slot finder prefers a persona's best-ranked hours inside its windows (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.services.calendar import PersonaPlan, PiecePlan, Window, suggest_slot

pytestmark = pytest.mark.nodb
NEW_YORK = ZoneInfo("America/New_York")
BEA = PersonaPlan(
    id=1,
    name="Buyer Bea",
    kind="buyer",
    timezone="America/New_York",
    windows=(Window.parse(["mon", "tue", "wed", "thu", "fri"], "08:00", "11:00"),),
)
DRAFT = PiecePlan(
    id=9, title="New", channel=None, content_type="article", origin="own", persona_ids=(1,)
)
MONDAY_7AM = datetime(2026, 3, 2, 7, 0, tzinfo=NEW_YORK).astimezone(UTC)


def local(at: datetime) -> tuple[str, int]:
    shown = at.astimezone(NEW_YORK)
    return shown.strftime("%a"), shown.hour


def test_without_ranks_the_earliest_good_time_wins():
    assert local(suggest_slot(DRAFT, [BEA], [], [], now=MONDAY_7AM)) == ("Mon", 8)


def test_the_best_ranked_hour_inside_the_windows_wins():
    ranks = {1: [(3, 10), (1, 9)]}  # Thursday 10:00, then Tuesday 09:00

    slot = suggest_slot(DRAFT, [BEA], [], [], now=MONDAY_7AM, ranked_hours=ranks)

    assert local(slot) == ("Thu", 10)


def test_ranked_hours_outside_the_windows_are_ignored():
    ranks = {1: [(5, 10), (1, 9)]}  # Saturday is outside Bea's windows

    slot = suggest_slot(DRAFT, [BEA], [], [], now=MONDAY_7AM, ranked_hours=ranks)

    assert local(slot) == ("Tue", 9)


def test_ranked_hours_hold_across_the_spring_change():
    # Clocks go forward on Sunday 8 March 2026: Tuesday 09:00 is 13:00 UTC, not 14:00.
    friday = datetime(2026, 3, 6, 12, 0, tzinfo=NEW_YORK).astimezone(UTC)

    slot = suggest_slot(DRAFT, [BEA], [], [], now=friday, ranked_hours={1: [(1, 9)]})

    assert slot == datetime(2026, 3, 10, 13, 0, tzinfo=UTC)


def test_a_good_time_this_week_still_beats_a_ranked_hour_after_it():
    friday = datetime(2026, 3, 6, 8, 0, tzinfo=NEW_YORK).astimezone(UTC)
    sunday_night = datetime(2026, 3, 9, 0, 0, tzinfo=NEW_YORK).astimezone(UTC)

    slot = suggest_slot(
        DRAFT, [BEA], [], [], now=friday, ranked_hours={1: [(1, 9)]}, prefer_before=sunday_night
    )

    assert local(slot) == ("Fri", 8)
