"""Plain, frozen inputs and outputs of the calendar check.

The database layer adapts model rows into these, so the rules can be tested without it.
Constructors validate what would otherwise fail far away (naive datetimes, unknown zones).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

PersonaKind = Literal["buyer", "negative"]
Origin = Literal["own", "curated"]
Verdict = Literal["pass", "warn", "block"]
Severity = Literal["error", "warn", "info"]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"{name!r} is not a known time zone") from e


def _as_time(value: str | time) -> time:
    if isinstance(value, time):
        return value
    text = value.strip()
    return time.fromisoformat("0" + text if len(text) == 4 else text)  # "9:00" too


def _day(value: str | int) -> int:
    if isinstance(value, int):
        return value
    return DAY_NAMES.index(value.strip().lower()[:3])


@dataclass(frozen=True)
class Window:
    """When a persona reads, in the persona's local wall-clock time, half-open [start, end).

    A window whose end is not after its start crosses midnight: fri 22:00-02:00 runs from
    Friday 22:00 to Saturday 02:00, and start == end is a full 24 hours.
    """

    days: frozenset[int]
    start: time
    end: time

    def __post_init__(self) -> None:
        object.__setattr__(self, "days", frozenset(self.days))
        if not self.days <= set(range(7)):
            raise ValueError("window days are 0 (Monday) to 6 (Sunday)")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("window times are local wall-clock times, without a zone")

    @classmethod
    def parse(cls, days: Iterable[str | int], start: str | time, end: str | time) -> Window:
        """Build a window from the persona file's shape: days like "mon", times like "08:00"."""
        return cls(frozenset(_day(d) for d in days), _as_time(start), _as_time(end))

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def describe(self) -> str:
        """Say the window the way an editor writes it: "Mon–Fri 08:00–10:30"."""
        return f"{_describe_days(self.days)} {self.start:%H:%M}–{self.end:%H:%M}"


def _describe_days(days: frozenset[int]) -> str:
    if len(days) == 7:
        return "Daily"
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = [DAY_NAMES[d].title() for d in range(7)]
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts)


@dataclass(frozen=True)
class PersonaPlan:
    """A persona as the calendar sees it: zone, posting windows and weekly cadence."""

    id: int
    name: str
    kind: PersonaKind
    timezone: str = "UTC"
    windows: tuple[Window, ...] = ()
    min_per_week: int | None = None
    max_per_week: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("buyer", "negative"):
            raise ValueError(f"persona kind must be buyer or negative, not {self.kind!r}")
        _zone(self.timezone)
        object.__setattr__(self, "windows", tuple(self.windows))
        for limit in (self.min_per_week, self.max_per_week):
            if limit is not None and limit < 0:
                raise ValueError("cadence limits cannot be negative")
        if (
            self.min_per_week is not None
            and self.max_per_week is not None
            and self.min_per_week > self.max_per_week
        ):
            raise ValueError("min_per_week is above max_per_week")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class ChannelPlan:
    name: str
    min_gap_minutes: int = 0


@dataclass(frozen=True)
class PiecePlan:
    """A piece on the calendar; `scheduled_at` is normalised to UTC.

    `approved_by` and `approval_reason` name the owner whose override is in force on a
    blocked piece, and why: the calendar then notes the block instead of failing on it.
    """

    id: int
    title: str
    channel: str | None
    content_type: str
    origin: Origin
    persona_ids: tuple[int, ...] = ()
    scheduled_at: datetime | None = None
    status: str = "scheduled"
    verdict: Verdict | None = None
    approved_by: str | None = None
    approval_reason: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "persona_ids", tuple(self.persona_ids))
        if self.scheduled_at is not None:
            if self.scheduled_at.utcoffset() is None:
                raise ValueError(f"piece {self.id}: scheduled_at needs a time zone")
            object.__setattr__(self, "scheduled_at", self.scheduled_at.astimezone(UTC))
        if self.origin not in ("own", "curated"):
            raise ValueError(f"piece {self.id}: origin must be own or curated")
        if self.verdict not in (None, "pass", "warn", "block"):
            raise ValueError(f"piece {self.id}: unknown verdict {self.verdict!r}")


@dataclass(frozen=True)
class Finding:
    """One thing the editor should look at.

    `at` is the moment the finding is about (the piece's time, or the start of the week)
    and only orders findings; `week` is the Monday of a week rule's week (on the
    persona's calendar, the workspace's for mix). Neither is part of the JSON contract.
    """

    rule: str
    severity: Severity
    piece_id: int | None
    persona: str | None
    message: str
    suggested_slot: datetime | None = None
    at: datetime | None = None
    week: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the calendar check's finding (docs/contracts.md), times as ISO 8601 in UTC."""
        slot = self.suggested_slot
        return {
            "rule": self.rule,
            "severity": self.severity,
            "piece_id": self.piece_id,
            "persona": self.persona,
            "message": self.message,
            "suggested_slot": slot.astimezone(UTC).isoformat() if slot else None,
        }


@dataclass(frozen=True)
class CalendarSettings:
    """Workspace settings: the zone for channel and mix messages, and the thresholds."""

    timezone: str = "UTC"
    variety_max_share: float = 0.6
    mix_target: float = 0.8
    mix_tolerance: float = 0.05

    def __post_init__(self) -> None:
        _zone(self.timezone)
        if not 0 < self.variety_max_share <= 1:
            raise ValueError("variety_max_share must be in (0, 1]")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
