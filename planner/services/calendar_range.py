"""Dates and times as people type them, read in the workspace's zone.

The API, the CLI and the pages all take calendar days ("2026-11-24") and wall-clock
times ("2026-11-24T09:00", as a datetime-local field sends them); this is the one place
that turns them into UTC instants, with zoneinfo, and says clearly what was wrong.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.errors import ValidationError
from planner.services.calendar.rules import local_text
from planner.services.calendar.slots import wall_to_utc

DEFAULT_DAYS = 28
MAX_DAYS = 366


def parse_day(text: str, name: str) -> date:
    """Read a calendar day (YYYY-MM-DD) or raise a ValidationError for field `name`."""
    try:
        return date.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        raise ValidationError(
            f"{name!r} must be a date like 2026-11-24, not {text!r}.",
            {name: "must be a date (YYYY-MM-DD)"},
        ) from None


def day_start(day: date, timezone: str) -> datetime:
    """Return the UTC instant the day begins on the zone's wall clock."""
    return wall_to_utc(ZoneInfo(timezone), datetime.combine(day, datetime.min.time()))


def day_range(
    first: str | None,
    last: str | None,
    timezone: str,
    *,
    today: date,
    default_days: int = DEFAULT_DAYS,
) -> tuple[datetime, datetime]:
    """Return [start, end) in UTC for the days `first` to `last`, both included.

    A missing `first` is today; a missing `last` makes the range `default_days` long.
    """
    start_day = parse_day(first, "from") if first else today
    end_day = parse_day(last, "to") if last else start_day + timedelta(days=default_days - 1)
    if end_day < start_day:
        raise ValidationError(
            "'to' is before 'from'.", {"to": f"must be on or after {start_day.isoformat()}"}
        )
    if (end_day - start_day).days >= MAX_DAYS:
        raise ValidationError(
            f"Ask for at most {MAX_DAYS} days at a time.", {"to": f"at most {MAX_DAYS} days"}
        )
    return day_start(start_day, timezone), day_start(end_day + timedelta(days=1), timezone)


def parse_moment(text: str | None, timezone: str, name: str = "scheduled_at") -> datetime:
    """Read an ISO 8601 time; one without an offset is wall-clock time in `timezone`.

    A wall time the clock skips (spring forward) becomes the moment it jumps; a repeated
    one (autumn) its first occurrence, as the calendar core does.
    """
    if not text or not str(text).strip():
        raise ValidationError(f"{name} is required.", {name: "is required"})
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(
            f"{name} must be a date and time like 2026-11-24T09:00, not {text!r}.",
            {name: "must be a date and time (YYYY-MM-DDTHH:MM)"},
        ) from None
    if value.utcoffset() is None:
        return wall_to_utc(ZoneInfo(timezone), value)
    return value.astimezone(UTC)


def wall_text(at: datetime, timezone: str) -> str:
    """Return `at` as naive wall-clock ISO text in `timezone` (the calendar grid's format)."""
    return at.astimezone(ZoneInfo(timezone)).replace(tzinfo=None).isoformat(timespec="seconds")


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


class WallClock:
    """Say UTC instants on the workspace's wall clock, for pages and messages."""

    def __init__(self, timezone: str) -> None:
        self.zone_name = timezone
        self.zone = ZoneInfo(timezone)

    def text(self, at: datetime) -> str:
        """ "Tue 24 Nov 09:00 GMT", as the calendar rules word their messages."""
        return local_text(at, self.zone)

    def time(self, at: datetime) -> str:
        return at.astimezone(self.zone).strftime("%H:%M")

    def day(self, at: datetime) -> str:
        local = at.astimezone(self.zone)
        return f"{local:%A} {local.day} {local:%B %Y}"

    def input(self, at: datetime) -> str:
        """The value a datetime-local field shows."""
        return at.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M")

    def wall(self, at: datetime) -> str:
        return wall_text(at, self.zone_name)
