"""The curated-versus-own mix: counts, status and plain-words advice.

Pure arithmetic over plain data. The rolling window is the `window_days` days ending at
`now` plus what is already scheduled until the end of the current week, [now - window_days,
week_end), so planning ahead counts. The caller passes scheduled and published pieces only;
ideas and drafts with a date are not part of the mix.

Advice counts aim at the target itself (80%), not the edge of the tolerance band: an
editor told "3 more" should land on target, not just inside it. Advice never asks for
more pieces than the plan holds before Sunday: the caller passes `room`, the calendar's
answer to "how many of n fit, and what would make room" (`calendar.room.room_for`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any, Literal
from zoneinfo import ZoneInfo

from planner.services.clock import local_monday, week_start

WINDOW_DAYS = (7, 30, 90)
MixStatus = Literal["on_target", "too_much_own", "too_much_curated", "no_content"]
Origin = Literal["own", "curated"]
# Shares are floats; compare band edges with a little slack so 3 of 4 is exactly 75%.
_EPSILON = 1e-9
# n -> (how many of n new pieces fit before the week ends, what would make room for more).
Room = Callable[[int], tuple[int, str]]


@dataclass(frozen=True)
class MixPiece:
    scheduled_at: datetime
    origin: Origin
    channel: str | None = None
    persona_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.scheduled_at.utcoffset() is None:
            raise ValueError("scheduled_at needs a time zone")
        if self.origin not in ("own", "curated"):
            raise ValueError(f"origin must be own or curated, not {self.origin!r}")
        object.__setattr__(self, "persona_ids", tuple(self.persona_ids))


@dataclass(frozen=True)
class MixResult:
    window_days: int
    curated: int
    own: int
    curated_share: float | None
    target: float
    tolerance: float
    status: MixStatus
    advice: str

    def to_dict(self) -> dict[str, Any]:
        """Return the mix JSON of docs/contracts.md."""
        share = None if self.curated_share is None else round(self.curated_share, 4)
        return {
            "window_days": self.window_days,
            "curated": self.curated,
            "own": self.own,
            "curated_share": share,
            "target": self.target,
            "tolerance": self.tolerance,
            "status": self.status,
            "advice": self.advice,
        }


def end_of_week(now: datetime, timezone: str = "UTC") -> datetime:
    """Return the UTC instant the week containing `now` ends (next Monday 00:00 local)."""
    zone = ZoneInfo(timezone)
    return week_start(local_monday(now, zone) + timedelta(days=7), zone)


def _percent(share: float | Fraction) -> str:
    return f"{round(float(share) * 100, 1):g}%"


def _pieces(n: int, kind: str) -> str:
    return f"{n} {kind} piece" if n == 1 else f"{n} {kind} pieces"


def _status(curated: int, own: int, target: float, tolerance: float) -> MixStatus:
    total = curated + own
    if total == 0:
        return "no_content"
    share = curated / total
    if share < target - tolerance - _EPSILON:
        return "too_much_own"
    if share > target + tolerance + _EPSILON:
        return "too_much_curated"
    return "on_target"


def _more(n: int, kind: str) -> str:
    return f"{n} more {kind} {'piece' if n == 1 else 'pieces'}"


def _advice(
    status: MixStatus,
    curated: int,
    own: int,
    target: float,
    window_days: int,
    room: Room | None = None,
) -> str:
    goal = Fraction(str(target))  # exact 4/5, not 0.8000000000000000444
    total = curated + own
    if status == "no_content":
        return (
            f"No scheduled or published pieces in the last {window_days} days: curate items "
            f"from your feeds and schedule them with your own pieces, aiming at "
            f"{_percent(goal)} curated and {_percent(1 - goal)} own."
        )
    state = f"now {curated} of {total}, {_percent(Fraction(curated, total))}"
    if status == "on_target":
        return f"On target: {_percent(Fraction(curated, total))} curated ({curated} of {total})."
    if status == "too_much_own":
        if goal == 1:
            return f"Hold back {_pieces(own, 'own')} to reach 100% curated ({state})."
        # smallest n with (curated + n) / (total + n) >= target
        n = math.ceil((goal * total - curated) / (1 - goal))
        fits, remedy = room(n) if room is not None else (n, "")
        if fits >= n:
            return (
                f"Schedule {_more(n, 'curated')} by Sunday to reach {_percent(goal)} curated "
                f"({state})."
            )
        ask = f"Schedule {_more(fits, 'curated')} by Sunday: " if fits else ""
        return (
            f"{ask}{fits} of {n} fit before Sunday, short of {_percent(goal)} curated; "
            f"{remedy} ({state})."
        )
    if goal == 0:
        return f"Hold back all {_pieces(curated, 'curated')}: the target is 0% curated."
    # smallest m with curated / (total + m) <= target
    m = math.ceil(curated / goal - total)
    # smallest k with (curated - k) / (total - k) <= target
    hold = _pieces(math.ceil((curated - goal * total) / (1 - goal)), "curated") if own else ""
    fits, remedy = room(m) if room is not None else (m, "")
    if fits >= m:
        advice = (
            f"Add {_pieces(m, 'own')} by Sunday to bring curated down to {_percent(goal)} ({state})"
        )
        return advice + (f", or hold back {hold}." if hold else ".")
    ask = f"Add {_pieces(fits, 'own')} by Sunday: " if fits else ""
    advice = f"{ask}{fits} of {m} fit before Sunday, short of {_percent(goal)} curated; {remedy}"
    return advice + (f", or hold back {hold}" if hold else "") + f" ({state})."


def compute_mix(
    pieces: Iterable[MixPiece],
    *,
    now: datetime,
    window_days: int = 30,
    target: float = 0.8,
    tolerance: float = 0.05,
    channel: str | None = None,
    persona: int | None = None,
    week_end: datetime | None = None,
    room: Room | None = None,
) -> MixResult:
    """Count curated and own pieces in [now - window_days, week_end) and advise.

    `week_end` defaults to the end of the current week in UTC; pass `end_of_week(now,
    workspace_zone)` to follow the workspace's week. `channel` (a name) and `persona`
    (an id) narrow the count to pieces on that channel or targeting that persona.
    `room` caps the pieces the advice asks for at what fits before `week_end`; without
    it the advice assumes the plan holds any number.
    """
    if window_days not in WINDOW_DAYS:
        raise ValueError(f"window_days must be one of {WINDOW_DAYS}, not {window_days!r}")
    if not 0 <= target <= 1 or not 0 <= tolerance < 1:
        raise ValueError("target must be in [0, 1] and tolerance in [0, 1)")
    if now.utcoffset() is None:
        raise ValueError("now needs a time zone")
    end = end_of_week(now) if week_end is None else week_end
    if end < now:
        raise ValueError("week_end is before now")
    begin = now.astimezone(UTC) - timedelta(days=window_days)
    counted = [
        p
        for p in pieces
        if begin <= p.scheduled_at < end
        and (channel is None or p.channel == channel)
        and (persona is None or persona in p.persona_ids)
    ]
    curated = sum(1 for p in counted if p.origin == "curated")
    own = len(counted) - curated
    status = _status(curated, own, target, tolerance)
    return MixResult(
        window_days=window_days,
        curated=curated,
        own=own,
        curated_share=curated / len(counted) if counted else None,
        target=target,
        tolerance=tolerance,
        status=status,
        advice=_advice(status, curated, own, target, window_days, room),
    )
