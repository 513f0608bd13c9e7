"""Time zones and wall clocks: the one place that turns what people type into UTC.

Times are stored in UTC and reasoned about on a wall clock (the persona's or the
workspace's). Two rules settle the daylight-saving edges, and both live here:

- **Arithmetic** (a day's or a week's start, a window's opening): `wall_to_utc` gives the
  first instant the clock reads that time or later, so a boundary in the skipped hour falls
  on the jump and one in the repeated hour on its first occurrence.
- **A time someone typed** (`parse_moment`, `resolve_wall_time`): a time the clock skips
  does not exist, so it is refused with a message naming the nearest times that do; a
  repeated one means its first occurrence, as a calendar app shows it.

Pure Python and zoneinfo: the calendar core and the mix arithmetic use it without Flask
or a database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.errors import ValidationError

DEFAULT_DAYS = 28
MAX_DAYS = 366
# Years a plan can mean. Beyond them the UTC conversion and the week arithmetic overflow
# (`0001-01-01T00:00:00+01:00` is in year 0 in UTC), so a typed time outside is refused.
MIN_YEAR, MAX_YEAR = 1000, 9000

# Probe offsets this often; no zone changes its offset twice within six hours.
_PROBE_SECONDS = 6 * 3600
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_OFFSET = timedelta(hours=15)
_MINUTE = timedelta(minutes=1)


def _offset_at(zone: ZoneInfo, ts: int) -> timedelta:
    offset = datetime.fromtimestamp(ts, zone).utcoffset()
    assert offset is not None
    return offset


def offset_segments(
    zone: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, timedelta]]:
    """Split [start, end) into stretches of constant UTC offset in `zone`.

    zoneinfo does not expose its transitions, so find them by bisecting whole seconds
    (tz transitions fall on whole seconds).
    """
    probe = int((start - _EPOCH) // timedelta(seconds=1))
    end_ts = -int((_EPOCH - end) // timedelta(seconds=1))  # ceiling
    offset = _offset_at(zone, probe)
    segments = []
    seg_start = start
    while probe < end_ts:
        ahead = min(probe + _PROBE_SECONDS, end_ts)
        if _offset_at(zone, ahead) == offset:
            probe = ahead
            continue
        lo, hi = probe, ahead
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if _offset_at(zone, mid) == offset else (lo, mid)
        change = datetime.fromtimestamp(hi, UTC)
        if change >= end:
            break
        segments.append((seg_start, change, offset))
        seg_start, offset, probe = change, _offset_at(zone, hi), hi
    segments.append((seg_start, end, offset))
    return segments


def wall_to_utc(zone: ZoneInfo, wall: datetime) -> datetime:
    """Return the first instant at which the clock in `zone` reads `wall` or later.

    A wall time in a skipped hour maps to the moment the clock jumps; a repeated one to its
    first occurrence.
    """
    naive = wall.replace(tzinfo=UTC)
    segments = offset_segments(zone, naive - 2 * _MAX_OFFSET, naive + 2 * _MAX_OFFSET)
    for seg_start, seg_end, offset in segments:
        candidate = max(naive - offset, seg_start)
        if candidate < seg_end:
            return candidate
    raise ValueError(f"{wall} never shows on a clock in {zone.key}")  # pragma: no cover


def _wall(at: datetime, zone: ZoneInfo) -> datetime:
    return at.astimezone(zone).replace(tzinfo=None)


def resolve_wall_time(wall: datetime, zone: ZoneInfo, name: str = "scheduled_at") -> datetime:
    """Return the UTC instant a typed wall-clock time means, or refuse one that never shows.

    A repeated time (autumn) is its first occurrence. A skipped time (spring) raises a
    ValidationError for field `name` naming the last minute before the jump and the first
    after it, the two times a person most likely meant.
    """
    wall = wall.replace(tzinfo=None)
    at = wall_to_utc(zone, wall)
    if _wall(at, zone) == wall:
        return at
    before, after = _wall(at - _MINUTE, zone), _wall(at, zone)
    gap_start = before + _MINUTE
    message = (
        f"{wall:%H:%M} does not exist on {wall:%a} {wall.day} {wall:%b %Y} in {zone.key}: "
        f"the clocks jump from {gap_start:%H:%M} to {after:%H:%M}. "
        f"Choose {before:%H:%M} or {after:%H:%M}."
    )
    raise ValidationError(
        message,
        {name: f"{wall:%H:%M} does not exist that day; choose {before:%H:%M} or {after:%H:%M}"},
    )


def year_problem(day: date) -> str | None:
    """Why a typed day or time cannot be used (a year outside MIN_YEAR..MAX_YEAR), or None."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return f"must be in the years {MIN_YEAR} to {MAX_YEAR}"
    return None


def _check_year(day: date, name: str) -> None:
    problem = year_problem(day)
    if problem:
        raise ValidationError(f"{name} {problem}.", {name: problem})


def parse_moment(text: str | None, timezone: str, name: str = "scheduled_at") -> datetime:
    """Read an ISO 8601 time; one without an offset is wall-clock time in `timezone`."""
    if not text or not str(text).strip():
        raise ValidationError(f"{name} is required.", {name: "is required"})
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise ValidationError(
            f"{name} {text!r} is not a date and time like 2026-11-24T09:00.",
            {name: "is not a date and time (YYYY-MM-DDTHH:MM)"},
        ) from None
    _check_year(value, name)
    if value.utcoffset() is None:
        return resolve_wall_time(value, ZoneInfo(timezone), name)
    return value.astimezone(UTC)


def parse_optional_moment(
    text: str | None, timezone: str, name: str = "scheduled_at"
) -> datetime | None:
    """`parse_moment` for a field that may be left empty (None)."""
    if not text or not str(text).strip():
        return None
    return parse_moment(text, timezone, name)


def parse_day(text: str, name: str) -> date:
    """Read a calendar day (YYYY-MM-DD) or raise a ValidationError for field `name`."""
    try:
        day = date.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        raise ValidationError(
            f"{name!r} must be a date like 2026-11-24, not {text[:40]!r}.",
            {name: "must be a date (YYYY-MM-DD)"},
        ) from None
    _check_year(day, name)
    return day


def day_start(day: date, timezone: str) -> datetime:
    """Return the UTC instant the day begins on the zone's wall clock."""
    return wall_to_utc(ZoneInfo(timezone), datetime.combine(day, time()))


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


def local_monday(at: datetime, zone: ZoneInfo) -> date:
    """Return the Monday of the week `at` falls in, on the wall calendar of `zone`."""
    day = at.astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def week_start(monday: date, zone: ZoneInfo) -> datetime:
    """Return the UTC instant the local week starting on `monday` begins."""
    return wall_to_utc(zone, datetime.combine(monday, time()))


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def local_text(at: datetime, zone: ZoneInfo) -> str:
    """Say a time the way an editor reads it: "Tue 3 Mar 19:00 EST"."""
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M} {local.tzname()}"


def wall_text(at: datetime, timezone: str) -> str:
    """Return `at` as naive wall-clock ISO text in `timezone` (the calendar grid's format)."""
    return _wall(at, ZoneInfo(timezone)).isoformat(timespec="seconds")


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
