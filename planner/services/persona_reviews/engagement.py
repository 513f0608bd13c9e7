"""Engagement of the pieces that targeted a persona, and how its best times drift from its
posting windows.

Results come from imported engagement rows matched to pieces (`EngagementRow.piece_id`)
that target the persona, published in the period. Best times are the engagement domain's
answer (`best_times_service.best_times`, over all the persona's results, in its zone);
drift compares its suggested windows with the windows the persona has now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Executable, func, select
from sqlalchemy.orm import Session

from planner.models import EngagementRow, Persona, piece_persona
from planner.services.access import Actor
from planner.services.engagement import best_times_service
from planner.services.engagement.best_times import BestTimes, BestWindow

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SHOWN_WINDOWS = 3


@dataclass(frozen=True)
class Totals:
    posts: int
    impressions: int
    clicks: int
    engagements: int

    @property
    def rate(self) -> float | None:
        """Engagements per impression, or None without impressions."""
        return self.engagements / self.impressions if self.impressions else None


@dataclass(frozen=True)
class EngagementEvidence:
    persona: Totals  # pieces that targeted the persona
    workspace: Totals  # every matched result of the workspace, for comparison


def _totals(session: Session, query: Executable) -> Totals:
    row = session.execute(query).one()
    return Totals(*(int(value or 0) for value in row))


def engagement_evidence(
    session: Session, persona: Persona, since: datetime, until: datetime
) -> EngagementEvidence:
    """Sum the period's results of pieces targeting the persona, and of all matched pieces."""
    sums = select(
        func.count(EngagementRow.id),
        func.sum(EngagementRow.impressions),
        func.sum(EngagementRow.clicks),
        func.sum(EngagementRow.engagements),
    ).where(
        EngagementRow.workspace_id == persona.workspace_id,
        EngagementRow.piece_id.is_not(None),
        EngagementRow.published_at >= since,
        EngagementRow.published_at <= until,
    )
    own = sums.join(piece_persona, piece_persona.c.piece_id == EngagementRow.piece_id).where(
        piece_persona.c.persona_id == persona.id
    )
    return EngagementEvidence(_totals(session, own), _totals(session, sums))


@dataclass(frozen=True)
class SuggestedWindow:
    window: BestWindow
    inside: bool  # every hour of it lies in one of the persona's windows


@dataclass(frozen=True)
class Drift:
    """The best times against the persona's windows (in its own zone)."""

    enough_data: bool
    posts: int
    needed: int
    suggested: list[SuggestedWindow]
    top_hours: int  # hours of the suggested windows
    top_hours_inside: int  # of which the persona's windows cover
    rate_inside: float | None  # mean estimated rate of the hours its windows cover
    best_rate: float | None  # the best suggested window's rate

    @property
    def drifted(self) -> bool:
        """Enough data, and the best hours lie mostly outside the persona's windows."""
        outside = self.top_hours - self.top_hours_inside
        return self.enough_data and outside > self.top_hours_inside


def window_hours(windows: list[dict]) -> set[tuple[int, int]]:
    """The (weekday, hour) cells a persona's windows touch; a window past midnight wraps."""
    cells: set[tuple[int, int]] = set()
    for window in windows or ():
        start = _minutes(window.get("start", "00:00"))
        end = _minutes(window.get("end", "00:00"))
        if end <= start:
            end += 24 * 60
        for day in window.get("days") or ():
            if day not in DAYS:
                continue
            base = DAYS.index(day) * 24 * 60
            for hour_start in range((start // 60) * 60, end, 60):
                minute = base + hour_start
                cells.add(((minute // 1440) % 7, (minute % 1440) // 60))
    return cells


def _minutes(text: str) -> int:
    hours, _, minutes = str(text).partition(":")
    return int(hours or 0) * 60 + int(minutes or 0)


def _suggested_hours(window: BestWindow) -> set[tuple[int, int]]:
    return window_hours([window.as_window()])


def drift(result: BestTimes, windows: list[dict]) -> Drift:
    """Compare the suggested windows with the persona's (pure: plain data in and out)."""
    covered = window_hours(windows)
    suggested = [
        SuggestedWindow(w, _suggested_hours(w) <= covered) for w in result.windows[:SHOWN_WINDOWS]
    ]
    top = set().union(*(_suggested_hours(w) for w in result.windows)) if result.windows else set()
    inside_rates = []
    if result.enough_data:
        inside_rates = [result.cell(day, hour).rate for day, hour in covered]
    return Drift(
        enough_data=result.enough_data,
        posts=result.posts,
        needed=result.needed,
        suggested=suggested,
        top_hours=len(top),
        top_hours_inside=len(top & covered),
        rate_inside=sum(inside_rates) / len(inside_rates) if inside_rates else None,
        best_rate=result.windows[0].rate if result.windows else None,
    )


def best_time_drift(session: Session, actor: Actor, persona: Persona) -> Drift:
    """The engagement domain's best times for the persona, against its windows."""
    report = best_times_service.best_times(session, actor, persona.id)
    return drift(report.result, list(persona.posting_windows or ()))
