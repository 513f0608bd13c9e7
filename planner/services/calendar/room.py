"""Room for new pieces: how many more the plan holds before a time, and what would make room.

`free_slots` places new pieces one by one at the earliest time `suggest_slot`'s rules allow
(a target persona's posting windows, the channel's least gap, the persona's weekly cap).
Asking `suggest_slot` again for every placement rebuilt each persona's windows, each
channel's sorted times and each persona's week counts from every planned piece: quadratic,
and most of what the month calendar and the dashboard cost (issue 11). Here the planned
pieces are indexed once (`PlannedPieces`), a placement adds its piece to small sorted
overlays, and each (persona, channel) pair keeps its earliest good time until a new piece
lands within its channel's gap of it or in its week for a capped persona, then searches on
from there: a new piece only ever blocks times, so no earlier time can become good again.

`tests/load_p99/test_room_reference.py` checks the answers against `suggest_slot` called
from scratch for every placement, on random plans.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.services.calendar.plan import ChannelPlan, PersonaPlan, PiecePlan, Window
from planner.services.calendar.slots import Interval, ceil_to_step, window_intervals
from planner.services.clock import local_monday, week_start

STEP = timedelta(minutes=15)  # `suggest_slot`'s grid
# A persona's windows (and their ends), and its weekly caps: id, zone, planned and placed
# counts per local week, cap. A channel's least gap, and its planned and placed times.
_Cap = tuple[int, str, Counter[date], Counter[date], int]
_PersonaRules = tuple[list[Interval], list[datetime], list[_Cap]]
_ChannelRules = tuple[timedelta, tuple[list[datetime], ...]]


class PlannedPieces:
    """The planned pieces, indexed for placing new ones; build once, place many times.

    Each channel's times are sorted and each persona's pieces counted per local week on
    first use; posting windows are kept per zone, windows and span, and week arithmetic
    per zone. `room_for` places up to four times per question and the mix asks per week,
    channel and persona, so the calendar builds one of these per request
    (`calendar.service.mix_room`).
    """

    def __init__(self, pieces: Iterable[PiecePlan]) -> None:
        self.pieces = tuple(p for p in pieces if p.scheduled_at is not None)
        self._busy: dict[str | None, list[datetime]] | None = None
        self._weeks: dict[tuple[int, str], Counter[date]] = {}
        self._windows: dict[tuple[str, tuple[Window, ...], datetime, datetime], list[Interval]]
        self._windows = {}
        self._mondays: dict[tuple[str, datetime], date] = {}
        self._next_weeks: dict[tuple[str, date], datetime] = {}

    def busy(self, channel: str | None) -> list[datetime]:
        """The times of the channel's pieces, sorted."""
        if self._busy is None:
            self._busy = {}
            for piece in self.pieces:
                self._busy.setdefault(piece.channel, []).append(_time(piece))
            for times in self._busy.values():
                times.sort()
        return self._busy.get(channel, [])

    def weeks(self, persona: PersonaPlan) -> Counter[date]:
        """How many pieces target the persona in each of its local weeks."""
        key = (persona.id, persona.timezone)
        if key not in self._weeks:
            self._weeks[key] = Counter(
                self.monday(persona.timezone, _time(p))
                for p in self.pieces
                if persona.id in p.persona_ids
            )
        return self._weeks[key]

    def windows(self, persona: PersonaPlan, start: datetime, end: datetime) -> list[Interval]:
        """The persona's posting windows in [start, end), as `window_intervals` gives them."""
        key = (persona.timezone, persona.windows, start, end)
        if key not in self._windows:
            self._windows[key] = window_intervals(persona, start, end)
        return self._windows[key]

    def monday(self, timezone: str, at: datetime) -> date:
        """`local_monday`, remembered: the same times are tried again and again."""
        key = (timezone, at)
        if key not in self._mondays:
            self._mondays[key] = local_monday(at, ZoneInfo(timezone))
        return self._mondays[key]

    def next_week(self, timezone: str, monday: date) -> datetime:
        """When the local week after the one starting on `monday` starts (UTC)."""
        key = (timezone, monday)
        if key not in self._next_weeks:
            self._next_weeks[key] = week_start(monday + timedelta(days=7), ZoneInfo(timezone))
        return self._next_weeks[key]


class _Placed:
    """The pieces one `free_slots` call has placed so far, indexed like `PlannedPieces`."""

    def __init__(self, planned: PlannedPieces) -> None:
        self.planned = planned
        self.pieces: list[PiecePlan] = []
        self.busy: dict[str | None, list[datetime]] = {}
        self.weeks: dict[tuple[int, str], Counter[date]] = {}

    def add(self, piece: PiecePlan) -> None:
        self.pieces.append(piece)
        insort(self.busy_of(piece.channel), _time(piece))
        for (persona_id, timezone), counts in self.weeks.items():
            if persona_id in piece.persona_ids:
                counts[self.planned.monday(timezone, _time(piece))] += 1

    def busy_of(self, channel: str | None) -> list[datetime]:
        """The channel's placed times, sorted (the same list as more are placed)."""
        return self.busy.setdefault(channel, [])

    def weeks_of(self, persona: PersonaPlan) -> Counter[date]:
        """The placed pieces per local week of the persona (the same counter as more are
        placed)."""
        key = (persona.id, persona.timezone)
        if key not in self.weeks:
            self.weeks[key] = Counter(
                self.planned.monday(persona.timezone, _time(p))
                for p in self.pieces
                if persona.id in p.persona_ids
            )
        return self.weeks[key]


class _Pair:
    """One (persona, channel) a new piece may go to, and the rules that block its times."""

    def __init__(
        self,
        persona_ids: tuple[int, ...],
        channel: str | None,
        rules: _Rules,
        planned: PlannedPieces,
    ) -> None:
        self.planned = planned
        self.persona_ids = persona_ids
        self.channel = channel
        self.intervals, self.ends, self.caps = rules.persona(persona_ids)
        self.gap, self.busy = rules.channel(channel)

    def blocked(self, at: datetime) -> datetime | None:
        """None when `at` is good, else the earliest time worth trying next.

        `suggest_slot`'s blockers, in its order: the channel's gap, then the cap. Every
        time from `at` to the answer is blocked, so the search may jump there.
        """
        if self.gap:
            low = at - self.gap
            nearest = [busy[i] for busy in self.busy if (i := bisect_right(busy, low)) < len(busy)]
            if nearest and min(nearest) < at + self.gap:
                return min(nearest) + self.gap
        for _id, timezone, counts, placed_counts, cap in self.caps:
            monday = self.planned.monday(timezone, at)
            if counts[monday] + placed_counts[monday] >= cap:
                return self.planned.next_week(timezone, monday)
        return None

    def moved_by(self, piece: PiecePlan, found: datetime) -> bool:
        """Whether a new piece may block `found`, this pair's earliest time: it is within
        the channel's gap of it, or in its week for a capped persona. Else `found` stays
        the earliest, since a piece only ever blocks times."""
        at = _time(piece)
        if self.gap and piece.channel == self.channel and abs(found - at) < self.gap:
            return True
        return any(
            persona_id in piece.persona_ids
            and self.planned.monday(timezone, found) == self.planned.monday(timezone, at)
            for persona_id, timezone, *_counts in self.caps
        )

    def earliest(self, after: datetime) -> datetime | None:
        """The first good time from `after` (on the grid) before the span ends, or None."""
        index, at = bisect_right(self.ends, after), after
        while index < len(self.intervals):
            a, b = self.intervals[index]
            at = ceil_to_step(max(a, at), STEP)
            if at >= b:
                index += 1
                continue
            retry = self.blocked(at)
            if retry is None:
                return at
            at = max(ceil_to_step(retry, STEP), at + STEP)
            if at >= b:  # skip the windows the jump passed
                index = bisect_right(self.ends, at, index)
        return None


class _Rules:
    """What blocks a new piece's times, worked out once per persona and per channel."""

    def __init__(
        self,
        personas: Sequence[PersonaPlan],
        channels: Sequence[ChannelPlan],
        span: Interval,
        placed: _Placed,
    ) -> None:
        self.personas, self.span, self.placed = personas, span, placed
        self.gaps = {c.name: timedelta(minutes=c.min_gap_minutes) for c in channels}
        self._personas: dict[tuple[int, ...], _PersonaRules] = {}
        self._channels: dict[str | None, _ChannelRules] = {}

    def persona(self, persona_ids: tuple[int, ...]) -> _PersonaRules:
        """Where the windows let a piece for these personas go, and their weekly caps."""
        if persona_ids not in self._personas:
            planned, placed, span = self.placed.planned, self.placed, self.span
            # As `suggest_slot` reads a draft: its targets are the buyer personas with its ids.
            targets = [p for p in self.personas if p.id in persona_ids and p.kind == "buyer"]
            caps = [
                (p.id, p.timezone, planned.weeks(p), placed.weeks_of(p), p.max_per_week or 0)
                for p in targets
                if p.max_per_week is not None
            ]
            # Persona ids are unique, so there is at most one target: its windows are both
            # of `suggest_slot`'s choices (inside all targets' windows, inside any).
            windowed = next((p for p in targets if p.windows), None)
            if windowed is not None:
                intervals = planned.windows(windowed, *span)
            else:
                intervals = [span] if span[0] < span[1] else []
            self._personas[persona_ids] = (intervals, [b for _a, b in intervals], caps)
        return self._personas[persona_ids]

    def channel(self, name: str | None) -> _ChannelRules:
        """The channel's least gap, and its planned and placed times."""
        if name not in self._channels:
            gap = max(self.gaps.get(name, timedelta()) if name else timedelta(), timedelta())
            busy = (self.placed.planned.busy(name), self.placed.busy_of(name)) if gap else ()
            self._channels[name] = (gap, busy)  # no gap, no blocker
        return self._channels[name]


def free_slots(
    personas: Sequence[PersonaPlan],
    channels: Sequence[ChannelPlan],
    pieces: Iterable[PiecePlan] | PlannedPieces,
    *,
    now: datetime,
    until: datetime,
    limit: int,
    targets: Sequence[PersonaPlan] | None = None,
    on: Sequence[ChannelPlan] | None = None,
) -> list[PiecePlan]:
    """Place up to `limit` new pieces in [now, until) by `suggest_slot`'s rules, one by one.

    Each new piece targets one of `targets` (default: every buyer persona) and goes on one
    of `on` (default: every channel), whichever pair gives the earliest good time; later
    pieces count the earlier ones, so cadence caps fill and channel gaps hold. Returns the
    pieces placed: how many more the plan holds before `until`, up to `limit`. `pieces`
    may be a `PlannedPieces` built once for many questions. Persona ids are unique.
    """
    planned = pieces if isinstance(pieces, PlannedPieces) else PlannedPieces(pieces)
    buyers: list[PersonaPlan | None] = [
        p for p in (personas if targets is None else targets) if p.kind == "buyer"
    ]
    outlets: list[ChannelPlan | None] = list(channels if on is None else on)
    overlay = _Placed(planned)
    span = (ceil_to_step(now, STEP), until)
    rules = _Rules(personas, channels, span, overlay)
    pairs = [
        _Pair(
            (persona.id,) if persona is not None else (),
            channel.name if channel is not None else None,
            rules,
            planned,
        )
        for persona in buyers or [None]
        for channel in outlets or [None]
    ]
    placed = overlay.pieces
    # A pair's earliest time changes only when a piece lands within its channel's gap of
    # it or in its week for its capped persona; every other pair keeps the time found
    # before, and a pair's next search starts at its last time. None: nothing left.
    earliest: dict[int, datetime | None] = {}
    start_at = dict.fromkeys(range(len(pairs)), span[0])
    while len(placed) < limit:
        best: int | None = None
        for index, pair in enumerate(pairs):
            if index not in earliest:
                found = pair.earliest(start_at[index])
                earliest[index] = found
                if found is not None:
                    start_at[index] = found
            at = earliest[index]
            if at is not None and (best is None or at < _at(earliest, best)):
                best = index
        if best is None:
            break
        pair = pairs[best]
        piece = PiecePlan(
            id=-1 - len(placed),  # never a row's id
            title="(room)",
            channel=pair.channel,
            content_type="article",
            origin="own",
            persona_ids=pair.persona_ids,
            scheduled_at=_at(earliest, best),
        )
        overlay.add(piece)
        for index, other in enumerate(pairs):
            found = earliest.get(index)
            if found is not None and other.moved_by(piece, found):
                del earliest[index]
    return placed


def _at(earliest: dict[int, datetime | None], index: int) -> datetime:
    found = earliest[index]
    assert found is not None
    return found


def _time(piece: PiecePlan) -> datetime:
    assert piece.scheduled_at is not None
    return piece.scheduled_at


def room_for(
    wanted: int,
    personas: Sequence[PersonaPlan],
    channels: Sequence[ChannelPlan],
    pieces: Sequence[PiecePlan] | PlannedPieces,
    *,
    now: datetime,
    until: datetime,
    targets: Sequence[PersonaPlan] | None = None,
    on: Sequence[ChannelPlan] | None = None,
) -> tuple[int, str]:
    """Say how many of `wanted` new pieces fit before `until`, and what would fit more.

    The second part is "" when all fit, else the change that would make room, found by
    placing the pieces again without the cadence caps, without the channel gaps, then
    without both: "widen Owner Olivia's cadence", "add a channel" (for one channel,
    "shorten Blog's minimum gap"), or "widen Owner Olivia's posting windows".
    """
    planned = pieces if isinstance(pieces, PlannedPieces) else PlannedPieces(pieces)

    def placed(limit: int, *, caps: bool = True, gaps: bool = True) -> int:
        def persona(p: PersonaPlan) -> PersonaPlan:
            return p if caps or p.kind != "buyer" else replace(p, max_per_week=None)

        def channel(c: ChannelPlan) -> ChannelPlan:
            return c if gaps else replace(c, min_gap_minutes=0)

        found = free_slots(
            [persona(p) for p in personas],
            [channel(c) for c in channels],
            planned,
            now=now,
            until=until,
            limit=limit,
            targets=None if targets is None else [persona(p) for p in targets],
            on=None if on is None else [channel(c) for c in on],
        )
        return len(found)

    fits = placed(wanted)
    if fits >= wanted:
        return max(wanted, 0), ""
    buyers = [p for p in (personas if targets is None else targets) if p.kind == "buyer"]
    capped = " and ".join(f"{p.name}'s" for p in buyers if p.max_per_week is not None)
    gapped = any(c.min_gap_minutes > 0 for c in (channels if on is None else on))
    cadence = bool(capped) and placed(fits + 1, caps=False) > fits
    gaps = gapped and placed(fits + 1, gaps=False) > fits
    add_room = f"shorten {on[0].name}'s minimum gap" if on and len(on) == 1 else "add a channel"
    if cadence or gaps:
        remedy = " or ".join(
            part for part, on_ in ((f"widen {capped} cadence", cadence), (add_room, gaps)) if on_
        )
    elif capped and gapped and placed(fits + 1, caps=False, gaps=False) > fits:
        remedy = f"widen {capped} cadence and {add_room}"
    else:
        windowed = " and ".join(f"{p.name}'s" for p in buyers if p.windows)
        remedy = f"widen {windowed} posting windows" if windowed else "plan the rest for next week"
    return fits, remedy
