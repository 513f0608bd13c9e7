"""The curated-versus-own arithmetic: window, filters, status and advice."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from planner.services.mix.rules import MixPiece, compute_mix, end_of_week

# Wednesday 11 March 2026, noon UTC; the week ends Monday 16 March 00:00 UTC.
NOW = datetime(2026, 3, 11, 12, tzinfo=UTC)


def pieces(curated: int, own: int, *, at: datetime = NOW - timedelta(days=1), **kwargs):
    return [MixPiece(at, "curated", **kwargs) for _ in range(curated)] + [
        MixPiece(at, "own", **kwargs) for _ in range(own)
    ]


def test_empty_window_has_no_content():
    result = compute_mix([], now=NOW)
    assert (result.curated, result.own, result.curated_share) == (0, 0, None)
    assert result.status == "no_content"
    assert result.advice == (
        "No scheduled or published pieces in the last 30 days: curate items from your feeds "
        "and schedule them with your own pieces, aiming at 80% curated and 20% own."
    )


@pytest.mark.parametrize(
    ("curated", "own", "status", "advice"),
    [
        (8, 2, "on_target", "On target: 80% curated (8 of 10)."),
        (3, 1, "on_target", "On target: 75% curated (3 of 4)."),  # the lower edge is in
        (17, 3, "on_target", "On target: 85% curated (17 of 20)."),  # the upper edge too
        (
            2,
            3,
            "too_much_own",
            "Schedule 10 more curated pieces by Sunday to reach 80% curated (now 2 of 5, 40%).",
        ),
        (
            0,
            1,
            "too_much_own",
            "Schedule 4 more curated pieces by Sunday to reach 80% curated (now 0 of 1, 0%).",
        ),
        (
            7,
            3,
            "too_much_own",
            "Schedule 5 more curated pieces by Sunday to reach 80% curated (now 7 of 10, 70%).",
        ),
        (
            9,
            1,
            "too_much_curated",
            "Add 2 own pieces by Sunday to bring curated down to 80% (now 9 of 10, 90%), "
            "or hold back 5 curated pieces.",
        ),
        (
            4,
            0,
            "too_much_curated",
            "Add 1 own piece by Sunday to bring curated down to 80% (now 4 of 4, 100%).",
        ),
    ],
)
def test_status_and_advice(curated, own, status, advice):
    result = compute_mix(pieces(curated, own), now=NOW)
    assert (result.curated, result.own, result.status, result.advice) == (
        curated,
        own,
        status,
        advice,
    )


def test_one_more_curated_piece_is_singular():
    # 3 of 5 is 60%, below 65% - 4%; one more makes 4 of 6 (66.7%), past the 65% target.
    result = compute_mix(pieces(3, 2), now=NOW, target=0.65, tolerance=0.04)
    assert result.advice.startswith("Schedule 1 more curated piece by Sunday to reach 65% curated")


@pytest.mark.parametrize(("curated", "own"), [(0, 1), (2, 3), (7, 3), (1, 9), (30, 11)])
@pytest.mark.parametrize("target", [0.5, 0.7, 0.8, 0.9])
def test_advised_count_is_the_smallest_that_reaches_the_target(curated, own, target):
    result = compute_mix(pieces(curated, own), now=NOW, target=target, tolerance=0.0)
    if curated / (curated + own) >= target:
        assert result.status != "too_much_own"
        return
    assert result.status == "too_much_own"
    n = int(result.advice.split()[1])
    assert (curated + n) / (curated + own + n) >= target - 1e-12
    assert (curated + n - 1) / (curated + own + n - 1) < target


@pytest.mark.parametrize(("curated", "own"), [(9, 1), (10, 0), (50, 3), (5, 1)])
@pytest.mark.parametrize("target", [0.5, 0.7, 0.8])
def test_own_count_is_the_smallest_that_brings_curated_down(curated, own, target):
    result = compute_mix(pieces(curated, own), now=NOW, target=target, tolerance=0.0)
    assert curated / (curated + own) > target  # every case here has too much curated
    assert result.status == "too_much_curated"
    m = int(result.advice.split()[1])
    assert curated / (curated + own + m) <= target + 1e-12
    assert curated / (curated + own + m - 1) > target
    if own:
        k = int(result.advice.split("hold back ")[1].split()[0])
        assert (curated - k) / (curated + own - k) <= target + 1e-12
        assert (curated - k + 1) / (curated + own - k + 1) > target


def test_targets_at_the_extremes():
    all_curated = compute_mix(pieces(3, 2), now=NOW, target=1.0, tolerance=0.0)
    assert all_curated.advice == "Hold back 2 own pieces to reach 100% curated (now 3 of 5, 60%)."
    no_curated = compute_mix(pieces(3, 2), now=NOW, target=0.0, tolerance=0.0)
    assert no_curated.advice == "Hold back all 3 curated pieces: the target is 0% curated."


def test_window_edges():
    start = NOW - timedelta(days=30)
    week_end = datetime(2026, 3, 16, tzinfo=UTC)
    counted = [
        MixPiece(start, "curated"),  # the first instant of the window counts
        MixPiece(NOW + timedelta(days=3), "curated"),  # scheduled later this week counts
        MixPiece(week_end - timedelta(seconds=1), "own"),
    ]
    left_out = [
        MixPiece(start - timedelta(seconds=1), "own"),
        MixPiece(week_end, "own"),  # next week
    ]
    result = compute_mix(counted + left_out, now=NOW)
    assert (result.curated, result.own) == (2, 1)


@pytest.mark.parametrize(("days", "expected"), [(7, 1), (30, 2), (90, 3)])
def test_window_lengths(days, expected):
    items = [MixPiece(NOW - timedelta(days=d), "curated") for d in (3, 20, 80)]
    assert compute_mix(items, now=NOW, window_days=days).curated == expected


@pytest.mark.parametrize("days", [0, 14, 31, 365])
def test_other_window_lengths_are_refused(days):
    with pytest.raises(ValueError, match="window_days"):
        compute_mix([], now=NOW, window_days=days)


def test_week_end_follows_the_workspace_zone():
    # Sunday 15 March 22:00 in New York is already Monday in UTC.
    late_sunday = datetime(2026, 3, 16, 2, tzinfo=UTC)
    item = MixPiece(late_sunday, "curated")
    assert compute_mix([item], now=NOW).curated == 0
    ny_week_end = end_of_week(NOW, "America/New_York")
    assert ny_week_end == datetime(2026, 3, 16, 4, tzinfo=UTC)
    assert compute_mix([item], now=NOW, week_end=ny_week_end).curated == 1
    with pytest.raises(ValueError, match="before now"):
        compute_mix([], now=NOW, week_end=NOW - timedelta(hours=1))


def test_channel_and_persona_filters():
    items = [
        *pieces(4, 0, channel="linkedin", persona_ids=(1,)),
        *pieces(0, 1, channel="linkedin", persona_ids=(2,)),
        *pieces(1, 3, channel="blog", persona_ids=(1, 2)),
        *pieces(2, 0),
    ]
    assert (compute_mix(items, now=NOW).curated, compute_mix(items, now=NOW).own) == (7, 4)
    linkedin = compute_mix(items, now=NOW, channel="linkedin")
    assert (linkedin.curated, linkedin.own, linkedin.status) == (4, 1, "on_target")
    persona = compute_mix(items, now=NOW, persona=1)
    assert (persona.curated, persona.own) == (5, 3)
    both = compute_mix(items, now=NOW, channel="blog", persona=2)
    assert (both.curated, both.own, both.status) == (1, 3, "too_much_own")
    nothing = compute_mix(items, now=NOW, channel="newsletter")
    assert nothing.status == "no_content"


def test_to_dict_is_the_design_shape():
    result = compute_mix(pieces(2, 1), now=NOW, window_days=7)
    assert json.loads(json.dumps(result.to_dict())) == {
        "window_days": 7,
        "curated": 2,
        "own": 1,
        "curated_share": 0.6667,
        "target": 0.8,
        "tolerance": 0.05,
        "status": "too_much_own",
        "advice": (
            "Schedule 2 more curated pieces by Sunday to reach 80% curated (now 2 of 3, 66.7%)."
        ),
    }


@pytest.mark.parametrize(
    "kwargs",
    [{"target": 1.2}, {"target": -0.1}, {"tolerance": 1.0}, {"now": datetime(2026, 3, 11)}],
)
def test_bad_settings_are_refused(kwargs):
    with pytest.raises(ValueError):
        compute_mix([], **{"now": NOW, **kwargs})


def test_naive_piece_times_are_refused():
    with pytest.raises(ValueError):
        MixPiece(datetime(2026, 3, 11), "curated")


def test_advice_asks_only_for_what_fits_and_says_what_would_reach_the_target():
    asked = []

    def room(n: int) -> tuple[int, str]:
        asked.append(n)
        return min(n, 4), "widen Olivia's cadence or add a channel"

    result = compute_mix(pieces(3, 4), now=NOW, room=room)
    assert asked == [13]
    assert result.advice == (
        "Schedule 4 more curated pieces by Sunday: 4 of 13 fit before Sunday, short of 80% "
        "curated; widen Olivia's cadence or add a channel (now 3 of 7, 42.9%)."
    )
    nothing = compute_mix(pieces(3, 4), now=NOW, room=lambda n: (0, "add a channel"))
    assert nothing.advice == (
        "0 of 13 fit before Sunday, short of 80% curated; add a channel (now 3 of 7, 42.9%)."
    )
    # Room enough: the usual advice.
    plenty = compute_mix(pieces(3, 4), now=NOW, room=lambda n: (n, ""))
    assert plenty.advice.startswith("Schedule 13 more curated pieces by Sunday to reach 80%")


def test_too_much_curated_advice_is_capped_too():
    result = compute_mix(pieces(19, 1), now=NOW, room=lambda n: (2, "add a channel"))
    assert result.status == "too_much_curated"
    assert result.advice == (
        "Add 2 own pieces by Sunday: 2 of 4 fit before Sunday, short of 80% curated; add a "
        "channel, or hold back 15 curated pieces (now 19 of 20, 95%)."
    )
