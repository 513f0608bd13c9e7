"""Posting windows as UTC intervals, persona-local weeks, and the next good slot.

One definition settles every daylight-saving edge case: an instant is inside a window when
the persona's wall clock shows a time inside it. So a window that starts in the skipped
hour opens when the clock jumps forward, and a window in the repeated hour of autumn is
open twice. `in_window` tests that directly; `window_intervals` turns it into UTC
intervals by splitting time into stretches of constant UTC offset, and the tests check
that the two agree.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from planner.services.calendar.plan import ChannelPlan, PersonaPlan, PiecePlan, Window
from planner.services.clock import local_monday, offset_segments, week_start

Interval = tuple[datetime, datetime]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _wall_span(window: Window, day: date) -> tuple[datetime, datetime]:
    """Return the naive local start and end of `window` opening on `day`."""
    end_day = day + timedelta(days=1) if window.crosses_midnight else day
    return datetime.combine(day, window.start), datetime.combine(end_day, window.end)


def window_intervals(persona: PersonaPlan, start: datetime, end: datetime) -> list[Interval]:
    """Return the persona's posting windows inside [start, end) as sorted UTC intervals."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if not persona.windows or start >= end:
        return []
    found = []
    for seg_start, seg_end, offset in offset_segments(persona.zone, start, end):
        day = (seg_start + offset).date() - timedelta(days=1)
        while day <= (seg_end + offset).date():
            for window in persona.windows:
                if day.weekday() not in window.days:
                    continue
                wall_start, wall_end = _wall_span(window, day)
                a = max(wall_start.replace(tzinfo=UTC) - offset, seg_start)
                b = min(wall_end.replace(tzinfo=UTC) - offset, seg_end)
                if a < b:
                    found.append((a, b))
            day += timedelta(days=1)
    return _merge(found)


def in_window(persona: PersonaPlan, at: datetime) -> bool:
    """Say whether the persona's wall clock at `at` shows a time inside one of its windows."""
    local = at.astimezone(persona.zone)
    weekday, clock = local.weekday(), local.time()
    for window in persona.windows:
        if not window.crosses_midnight:
            if weekday in window.days and window.start <= clock < window.end:
                return True
        elif (weekday in window.days and clock >= window.start) or (
            (weekday - 1) % 7 in window.days and clock < window.end
        ):
            return True
    return False


def next_window_start(
    persona: PersonaPlan, after: datetime, *, within: timedelta = timedelta(days=15)
) -> datetime | None:
    """Return the earliest instant at or after `after` inside one of the persona's windows.

    That is `after` itself when it is inside a window, else the next window's opening (UTC).
    None when the persona has no windows, or none opens within `within`.
    """
    after = after.astimezone(UTC)
    if in_window(persona, after):
        return after
    intervals = window_intervals(persona, after, after + within)
    return intervals[0][0] if intervals else None


def next_window_starts(
    persona: PersonaPlan, afters: Sequence[datetime], *, within: timedelta = timedelta(days=15)
) -> list[datetime | None]:
    """`next_window_start` for many instants, computing the persona's windows once.

    A calendar check asks this for every piece outside a window; the intervals of the
    whole span are built once and each instant is found by bisection.
    """
    if not afters or not persona.windows:
        return [None] * len(afters)
    points = [a.astimezone(UTC) for a in afters]
    intervals = window_intervals(persona, min(points), max(points) + within)
    ends = [b for _a, b in intervals]
    found: list[datetime | None] = []
    for after in points:
        i = bisect_right(ends, after)
        if i == len(intervals) or intervals[i][0] >= after + within:
            found.append(None)
        else:
            found.append(max(intervals[i][0], after))
    return found


def ceil_to_step(at: datetime, step: timedelta) -> datetime:
    """Round `at` up to a multiple of `step` counted from the Unix epoch (UTC)."""
    remainder = (at - _EPOCH) % step
    return at.astimezone(UTC) + (step - remainder if remainder else timedelta())


def first_gap_free(start: datetime, busy: Iterable[datetime], gap: timedelta) -> datetime:
    """Return the earliest time from `start` at least `gap` away from every busy time."""
    at = start
    for other in sorted(busy):
        if other >= at + gap:
            break
        if other > at - gap:
            at = other + gap
    return at


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        i, j = (i + 1, j) if a[i][1] < b[j][1] else (i, j + 1)
    return out


# Returns None when a time fits, else the earliest time worth trying next.
Blocker = Callable[[datetime], datetime | None]


def _channel_blocker(busy: list[datetime], gap: timedelta) -> Blocker:
    def blocked(at: datetime) -> datetime | None:
        i = bisect_right(busy, at - gap)  # pieces exactly one gap away are fine
        return busy[i] + gap if i < len(busy) and busy[i] < at + gap else None

    return blocked


def _cadence_blocker(persona: PersonaPlan, others: Sequence[PiecePlan]) -> Blocker:
    zone, cap = persona.zone, persona.max_per_week
    assert cap is not None
    weeks = Counter(
        local_monday(p.scheduled_at, zone)
        for p in others
        if p.scheduled_at is not None and persona.id in p.persona_ids
    )

    next_weeks: dict[date, datetime] = {}

    def blocked(at: datetime) -> datetime | None:
        monday = local_monday(at, zone)
        if weeks[monday] < cap:
            return None
        if monday not in next_weeks:
            next_weeks[monday] = week_start(monday + timedelta(days=7), zone)
        return next_weeks[monday]

    return blocked


def _first_fit(
    intervals: Sequence[Interval], step: timedelta, blockers: list[Blocker]
) -> datetime | None:
    for a, b in intervals:
        at = ceil_to_step(a, step)
        while at < b:
            retry = next((r for r in (blocked(at) for blocked in blockers) if r), None)
            if retry is None:
                return at
            at = max(ceil_to_step(retry, step), at + step)
    return None


def suggest_slot(
    piece: PiecePlan,
    personas: Iterable[PersonaPlan],
    channels: Iterable[ChannelPlan],
    pieces: Iterable[PiecePlan],
    *,
    now: datetime,
    horizon_days: int = 60,
    step_minutes: int = 15,
    prefer_before: datetime | None = None,
    ranked_hours: Mapping[int, Sequence[tuple[int, int]]] | None = None,
) -> datetime | None:
    """Return the earliest good time for `piece` from `now` on, or None within the horizon.

    A good time is on the step grid, inside a posting window of a target buyer persona
    (preferring one inside all their windows; a persona without windows takes any time),
    at least the channel's gap away from the channel's other pieces, and in a week where
    no target buyer persona is already at its `max_per_week`. Rather than trying every
    step, it walks window intervals and jumps past whatever blocks a time.

    With `prefer_before` (curation passes the end of the workspace's week), any good time
    before it wins over a time inside all the windows after it: a piece curated to fix
    this week's mix must land this week.

    With `ranked_hours` ({persona id: (weekday, hour)s in its zone, best first: the best
    times its results suggest}), a good time in the week ahead inside all the windows and
    in a higher-ranked hour wins over an earlier one in a lower-ranked or unranked hour.
    """
    if step_minutes <= 0 or horizon_days <= 0:
        raise ValueError("step_minutes and horizon_days must be positive")
    step = timedelta(minutes=step_minutes)
    begin, end = ceil_to_step(now, step), now.astimezone(UTC) + timedelta(days=horizon_days)
    others = [p for p in pieces if p.id != piece.id and p.scheduled_at is not None]
    targets = [p for p in personas if p.id in piece.persona_ids and p.kind == "buyer"]

    blockers: list[Blocker] = []
    gaps = {c.name: timedelta(minutes=c.min_gap_minutes) for c in channels}
    gap = gaps.get(piece.channel or "", timedelta())
    if piece.channel and gap > timedelta():
        busy = sorted(
            p.scheduled_at
            for p in others
            if p.channel == piece.channel and p.scheduled_at is not None  # (for mypy)
        )
        blockers.append(_channel_blocker(busy, gap))
    blockers += [_cadence_blocker(p, others) for p in targets if p.max_per_week is not None]

    open_for = [list(_windows(p, begin, end)) if p.windows else [(begin, end)] for p in targets]
    choices = [[(begin, end)]]
    if open_for:
        shared = open_for[0]
        for intervals in open_for[1:]:
            shared = _intersect(shared, intervals)
        choices = [shared, _merge(i for intervals in open_for for i in intervals)]
    ranked = _ranked(targets, ranked_hours or {}, choices[0], begin, min(end, begin + _WEEK))
    if prefer_before is not None:
        ranked = [_before(c, prefer_before) for c in ranked]
        choices = [_before(c, prefer_before) for c in choices] + choices
    choices = ranked + choices
    return next(
        (at for at in (_first_fit(c, step, blockers) for c in choices) if at is not None), None
    )


@lru_cache(maxsize=256)
def _windows(persona: PersonaPlan, start: datetime, end: datetime) -> tuple[Interval, ...]:
    # A calendar check asks the same persona for the same span for many pieces.
    return tuple(window_intervals(persona, start, end))


_WEEK = timedelta(days=7)


def _ranked(
    targets: Sequence[PersonaPlan],
    ranked_hours: Mapping[int, Sequence[tuple[int, int]]],
    allowed: Sequence[Interval],
    start: datetime,
    end: datetime,
) -> list[list[Interval]]:
    """Each target's ranked hours, best first, as UTC intervals inside `allowed`."""
    found = []
    for persona in targets:
        for weekday, hour in ranked_hours.get(persona.id, ()):
            one_hour = Window(frozenset({weekday}), time(hour), time((hour + 1) % 24))
            hours = window_intervals(replace(persona, windows=(one_hour,)), start, end)
            found.append(_intersect(hours, allowed))
    return found


def _before(intervals: Sequence[Interval], limit: datetime) -> list[Interval]:
    return [(a, min(b, limit)) for a, b in intervals if a < limit]
