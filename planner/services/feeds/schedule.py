"""When to poll a feed next, and what state to show for it: pure decisions, no database.

A healthy feed is polled every `poll_interval_minutes`. A failing one backs off
exponentially (interval x 2^failures, capped at a day) so a dead host is not hammered,
and after `PAUSE_AFTER_FAILURES` failures in a row it is paused until someone resumes it.
A server that says when to come back (429/503 with Retry-After) is believed, within
reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

BACKOFF_CAP = timedelta(hours=24)
PAUSE_AFTER_FAILURES = 10
MAX_POLL_MINUTES = 7 * 24 * 60
# A Retry-After further away than this is more likely a misconfiguration than a plan.
MAX_RETRY_AFTER = timedelta(days=7)


class FeedSchedule(Protocol):
    poll_interval_minutes: int
    consecutive_failures: int
    next_poll_at: datetime | None
    retired_at: datetime | None
    paused_until: datetime | None
    last_status: str | None


def interval(feed: FeedSchedule) -> timedelta:
    return timedelta(minutes=feed.poll_interval_minutes)


def next_after_success(feed: FeedSchedule, now: datetime) -> datetime:
    return now + interval(feed)


def backoff_delay(poll_interval: timedelta, failures: int) -> timedelta:
    """interval x 2^failures, capped at a day (but never sooner than the normal interval)."""
    if failures <= 0:
        return poll_interval
    exponent = min(failures, 32)  # 2^32 intervals is far past the cap already
    factor: int = 2**exponent
    return max(poll_interval, min(poll_interval * factor, BACKOFF_CAP))


def next_after_failure(
    feed: FeedSchedule, failures: int, now: datetime, retry_after: datetime | None = None
) -> datetime:
    """Honour the server's Retry-After when it gave one, else back off exponentially."""
    if retry_after is not None:
        return min(max(retry_after, now), now + MAX_RETRY_AFTER)
    return now + backoff_delay(interval(feed), failures)


def should_pause(failures: int) -> bool:
    return failures >= PAUSE_AFTER_FAILURES


def is_due(feed: FeedSchedule, now: datetime) -> bool:
    """Active (not retired, not paused) and its next poll time has come (or was never set)."""
    if feed.retired_at is not None:
        return False
    if feed.paused_until is not None and feed.paused_until > now:
        return False
    return feed.next_poll_at is None or feed.next_poll_at <= now


def display_status(feed: FeedSchedule, now: datetime) -> str:
    """What the feeds page calls the feed: new, ok, failing, paused or retired."""
    if feed.retired_at is not None:
        return "retired"
    if feed.paused_until is not None and feed.paused_until > now:
        return "paused"
    if feed.consecutive_failures > 0:
        return "failing"
    if feed.last_status is None:
        return "new"
    return "ok"
