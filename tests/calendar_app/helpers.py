"""London wall-clock times for calendar tests, always in the future."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


CLEAN = "Our help desk lets a small business answer customers faster."


def future_monday(weeks_ahead: int = 3) -> date:
    today = datetime.now(LONDON).date()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)


def london(day: date, hhmm: str, plus_days: int = 0) -> datetime:
    """A wall-clock time in London as an aware UTC datetime."""
    wall = datetime.combine(day + timedelta(days=plus_days), time.fromisoformat(hhmm))
    return wall.replace(tzinfo=LONDON).astimezone(UTC)


# Pete (negative) scores on-premise 3 and request for proposal 1; he blocks at 5.
BLOCKING = "Send a request for proposal for an on-premise install, on-premise only."


def approve(session, owner_actor, piece, reason: str):
    """An owner's override of a blocked piece, through the pieces service."""
    from planner.services.pieces import review

    review.override(session, owner_actor, piece, reason)
    session.commit()
    return piece
