"""Generated engagement histories with a planted peak (seeded, so every run is the same)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Planted:
    """Where the peak is, in the persona's wall-clock time (weekday 0 = Monday)."""

    weekday: int = 1
    start_hour: int = 9
    end_hour: int = 11
    rate: float = 0.06


@dataclass(frozen=True)
class Result:
    published_at: datetime  # UTC
    impressions: int
    engagements: int


def planted_history(
    zone: str,
    *,
    posts: int = 300,
    weeks: int = 16,
    first_monday: date = date(2026, 1, 5),
    peak: Planted = Planted(),
    base_rate: float = 0.02,
    seed: int = 14,
) -> list[Result]:
    """`posts` results over `weeks`, mostly on weekdays 07:00-21:00, the peak far better.

    A tenth of the posts go out in a busy decoy window (Monday 14:00-16:00) at the
    ordinary rate, so a finder that counted posts instead of rates would pick it; one in
    twenty goes out at a weekend.
    """
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    found = []
    for n in range(posts):
        monday = first_monday + timedelta(weeks=rng.randrange(weeks))
        if n % 10 == 0:  # the decoy: busy, ordinary
            day, hour = monday, rng.choice((14, 15))
        elif n % 20 == 1:
            day, hour = monday + timedelta(days=rng.choice((5, 6))), rng.randrange(7, 21)
        else:
            day, hour = monday + timedelta(days=rng.randrange(5)), rng.randrange(7, 21)
        local = datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=tz)
        # A time the clock skips would land in the next hour: keep to real wall times.
        if local.astimezone(UTC).astimezone(tz).hour != hour:
            continue
        in_peak = day.weekday() == peak.weekday and peak.start_hour <= hour < peak.end_hour
        rate = max(0.0, rng.gauss(peak.rate if in_peak else base_rate, 0.006))
        impressions = rng.randrange(800, 6000)
        found.append(Result(local.astimezone(UTC), impressions, round(impressions * rate)))
    return found
