"""Calendar subscriptions: secret iCalendar (RFC 5545) links that calendar apps poll.

A calendar app cannot send a login, so the link itself is the credential: a random
secret, shown once, of which only the SHA-256 hash is stored (as for API tokens).
Owners create and revoke links; a revoked or unknown secret is simply not found.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.errors import ValidationError
from planner.models import CalendarSubscription, Channel, Persona, Piece, utcnow
from planner.services.access import Actor, get_scoped, scoped
from planner.services.accounts import workspace_of
from planner.services.calendar import PiecePlan, build_calendar
from planner.services.calendar.service import piece_plan

MAX_NAME = 120
# Calendar apps show the past too; a quarter back is plenty and keeps the file small.
HISTORY = timedelta(days=90)


@dataclass(frozen=True)
class IssuedSubscription:
    feed: CalendarSubscription
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def list_subscriptions(session: Session, actor: Actor) -> list[CalendarSubscription]:
    actor.require("owner", "manage calendar subscriptions")
    query = (
        scoped(CalendarSubscription, actor.workspace_id)
        .options(
            selectinload(CalendarSubscription.persona), selectinload(CalendarSubscription.channel)
        )
        .order_by(
            CalendarSubscription.revoked_at.is_not(None), CalendarSubscription.created_at.desc()
        )
    )
    return list(session.scalars(query))


def _optional_id(value: Any, field: str, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        errors[field] = "is not a valid choice"
        return None


def create_subscription(
    session: Session,
    actor: Actor,
    *,
    name: str,
    persona_id: Any = None,
    channel_id: Any = None,
) -> IssuedSubscription:
    """Issue a subscription link, optionally only for one persona and/or one channel."""
    actor.require("owner", "create calendar subscriptions")
    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "is required"
    elif len(name) > MAX_NAME:
        errors["name"] = f"at most {MAX_NAME} characters"
    persona = channel = None
    pid = _optional_id(persona_id, "persona", errors)
    if pid is not None:
        persona = session.scalar(scoped(Persona, actor.workspace_id).where(Persona.id == pid))
        if persona is None:
            errors["persona"] = "no such persona in this workspace"
    cid = _optional_id(channel_id, "channel", errors)
    if cid is not None:
        channel = session.scalar(scoped(Channel, actor.workspace_id).where(Channel.id == cid))
        if channel is None:
            errors["channel"] = "no such channel in this workspace"
    if errors:
        raise ValidationError(f"Check the subscription's {', '.join(errors)}.", errors)
    secret = secrets.token_urlsafe(24)
    feed = CalendarSubscription(
        workspace_id=actor.workspace_id,
        name=name,
        secret_hash=hash_secret(secret),
        prefix=secret[:8],
        persona=persona,
        channel=channel,
        created_by_id=actor.user_id,
    )
    session.add(feed)
    session.flush()
    return IssuedSubscription(feed, secret)


def revoke_subscription(session: Session, actor: Actor, feed_id: Any) -> CalendarSubscription:
    actor.require("owner", "revoke calendar subscriptions")
    feed = get_scoped(session, CalendarSubscription, actor.workspace_id, feed_id, "subscription")
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        session.flush()
    return feed


def subscription_for_secret(session: Session, secret: str) -> CalendarSubscription | None:
    """Return the active feed the secret opens, or None (unknown and revoked look alike)."""
    if not secret or len(secret) > 200:
        return None
    feed = session.scalar(
        select(CalendarSubscription).where(CalendarSubscription.secret_hash == hash_secret(secret))
    )
    return feed if feed is not None and feed.revoked_at is None else None


def subscription_pieces(
    session: Session, feed: CalendarSubscription, now: datetime
) -> list[PiecePlan]:
    """The pieces a feed shows: its workspace's dated pieces from `HISTORY` ago, filtered."""
    query = (
        scoped(Piece, feed.workspace_id)
        .where(Piece.scheduled_at.is_not(None), Piece.scheduled_at >= now - HISTORY)
        .options(selectinload(Piece.target_personas), selectinload(Piece.channel))
        .order_by(Piece.scheduled_at, Piece.id)
    )
    if feed.persona_id is not None:
        query = query.where(Piece.target_personas.any(Persona.id == feed.persona_id))
    if feed.channel_id is not None:
        query = query.where(Piece.channel_id == feed.channel_id)
    return [piece_plan(p) for p in session.scalars(query)]


def subscription_ical(
    session: Session,
    feed: CalendarSubscription,
    *,
    uid_domain: str,
    now: datetime,
    url_for_piece: Callable[[PiecePlan], str] | None = None,
) -> bytes:
    """Render the feed as iCalendar bytes; UIDs depend only on piece ids (see `ical`)."""
    workspace = workspace_of(session, feed.workspace_id)
    names = dict(
        session.execute(
            select(Persona.id, Persona.name).where(Persona.workspace_id == feed.workspace_id)
        ).all()
    )
    title = workspace.name
    if feed.persona is not None or feed.channel is not None:
        title = f"{workspace.name}: {feed.describe_filter()}"
    return build_calendar(
        subscription_pieces(session, feed, now),
        workspace_name=title,
        uid_domain=uid_domain,
        url_for_piece=url_for_piece,
        persona_names=names,
        stamp=now,
    )


def persona_is_subscription_filter(session: Session, persona_id: int) -> bool:
    """Whether a live subscription filters on the persona, so it is archived (see `hooks`)."""
    query = select(CalendarSubscription.id).where(
        CalendarSubscription.persona_id == persona_id, CalendarSubscription.revoked_at.is_(None)
    )
    query = query.limit(1)
    return session.scalar(query) is not None
