"""What the dashboard shows: the mix, the coming week, what is flagged, what needs curating.

Each panel's data comes from the service that owns it (mix, pieces, feeds); this module
only gathers them for one page so the view stays a call and a render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnExpressionArgument, Select, func, select
from sqlalchemy.orm import Session, load_only, selectinload

from planner.models import Piece
from planner.models.feed import Feed, FeedItem
from planner.services.access import Actor, scoped
from planner.services.feeds import admin as feed_admin
from planner.services.feeds import inbox as feed_inbox
from planner.services.feeds.samples import DEMO_REASON
from planner.services.feeds.schedule import display_status
from planner.services.mix import service as mix_service
from planner.services.persona_reviews.due import ReviewStatus, due_personas

UPCOMING_DAYS = 7
PANEL_ROWS = 8
SUGGESTED_ROWS = 5
UNFINISHED_STATUSES = ("idea", "draft", "review")
ALERT_STATUSES = ("failing", "paused", "retired")
# What the panels show of a piece (no body, no audit): lists cost what they show.
DASHBOARD_COLUMNS = (
    Piece.id,
    Piece.workspace_id,
    Piece.title,
    Piece.origin,
    Piece.status,
    Piece.verdict,
    Piece.channel_id,
    Piece.scheduled_at,
    Piece.updated_at,
)


@dataclass(frozen=True)
class FeedAlert:
    feed: Feed
    status: str


@dataclass(frozen=True)
class Dashboard:
    now: datetime
    window_days: int
    mix: mix_service.MixOverview
    weeks: list[mix_service.WeekMix]
    upcoming: list[Piece]
    upcoming_total: int
    flagged: list[Piece]
    flagged_total: int
    feed_alerts: list[FeedAlert]
    feed_count: int
    suggested: list[FeedItem]
    suggested_total: int
    feeds: dict[int, Feed]
    due_reviews: list[ReviewStatus] = field(default_factory=list)  # most overdue first


def _page(
    session: Session,
    query: Select[Piece],
    order: Sequence[ColumnExpressionArgument[Any]],
    limit: int,
) -> tuple[list[Piece], int]:
    rows = list(
        session.scalars(
            query.options(
                load_only(*DASHBOARD_COLUMNS),
                selectinload(Piece.channel),
                selectinload(Piece.target_personas),
            )
            .order_by(*order)
            .limit(limit)
        )
    )
    if len(rows) < limit:  # every row is here: nothing left to count
        return rows, len(rows)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return rows, total


def upcoming_pieces(
    session: Session, actor: Actor, now: datetime, limit: int = PANEL_ROWS
) -> tuple[list[Piece], int]:
    """Scheduled pieces of the next `UPCOMING_DAYS` days, soonest first, and how many."""
    query = scoped(Piece, actor.workspace_id).where(
        Piece.status == "scheduled",
        Piece.scheduled_at >= now,
        Piece.scheduled_at < now + timedelta(days=UPCOMING_DAYS),
    )
    return _page(session, query, (Piece.scheduled_at, Piece.id), limit)


def flagged_drafts(
    session: Session, actor: Actor, limit: int = PANEL_ROWS
) -> tuple[list[Piece], int]:
    """Unpublished, unscheduled pieces whose audit warns or blocks, latest change first."""
    query = scoped(Piece, actor.workspace_id).where(
        Piece.status.in_(UNFINISHED_STATUSES), Piece.verdict.in_(("warn", "block"))
    )
    return _page(session, query, (Piece.updated_at.desc(), Piece.id.desc()), limit)


def feed_alerts(feeds: list[Feed], now: datetime) -> list[FeedAlert]:
    """The feeds that are failing, paused or retired.

    Demo sample feeds are paused by design (they are files, not URLs), so they are not
    alerts.
    """
    alerts = []
    for feed in feeds:
        status = display_status(feed, now)
        if status in ALERT_STATUSES and feed.pause_reason != DEMO_REASON:
            alerts.append(FeedAlert(feed, status))
    return alerts


def build_dashboard(
    session: Session,
    actor: Actor,
    *,
    window_days: int = mix_service.DEFAULT_WINDOW,
    now: datetime | None = None,
) -> Dashboard:
    """Everything the dashboard shows, for the workspace of `actor`."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    upcoming, upcoming_total = upcoming_pieces(session, actor, now)
    flagged, flagged_total = flagged_drafts(session, actor)
    feeds = [row.feed for row in feed_admin.list_feeds(session, actor)]
    suggested = feed_inbox.list_items(
        session, actor, state="new", suggested=True, limit=SUGGESTED_ROWS
    )
    return Dashboard(
        now=now,
        window_days=window_days,
        mix=mix_service.mix_overview(session, actor, window_days=window_days, now=now),
        weeks=mix_service.weekly_mix_series(session, actor, weeks=8, now=now, ahead=2, room=False),
        upcoming=upcoming,
        upcoming_total=upcoming_total,
        flagged=flagged,
        flagged_total=flagged_total,
        feed_alerts=feed_alerts(feeds, now),
        feed_count=len(feeds),
        suggested=suggested.items,
        suggested_total=suggested.total,
        feeds={feed.id: feed for feed in feeds},
        due_reviews=due_personas(session, actor, now),
    )
