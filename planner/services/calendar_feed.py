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
from planner.models import CalendarFeed, Channel, Persona, Piece, Workspace, utcnow
from planner.services.access import Actor, get_scoped, scoped
from planner.services.calendar import PiecePlan, build_calendar
from planner.services.calendar_service import piece_plan
from planner.services.persona_refs import REFERENCE_QUERIES

MAX_NAME = 120
# Calendar apps show the past too; a quarter back is plenty and keeps the file small.
HISTORY = timedelta(days=90)


@dataclass(frozen=True)
class IssuedFeed:
    feed: CalendarFeed
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def list_feeds(session: Session, actor: Actor) -> list[CalendarFeed]:
    actor.require("owner", "manage calendar subscriptions")
    query = (
        scoped(CalendarFeed, actor.workspace_id)
        .options(selectinload(CalendarFeed.persona), selectinload(CalendarFeed.channel))
        .order_by(CalendarFeed.revoked_at.is_not(None), CalendarFeed.created_at.desc())
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


def create_feed(
    session: Session,
    actor: Actor,
    *,
    name: str,
    persona_id: Any = None,
    channel_id: Any = None,
) -> IssuedFeed:
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
    feed = CalendarFeed(
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
    return IssuedFeed(feed, secret)


def revoke_feed(session: Session, actor: Actor, feed_id: Any) -> CalendarFeed:
    actor.require("owner", "revoke calendar subscriptions")
    feed = get_scoped(session, CalendarFeed, actor.workspace_id, feed_id, "subscription")
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        session.flush()
    return feed


def feed_for_secret(session: Session, secret: str) -> CalendarFeed | None:
    """Return the active feed the secret opens, or None (unknown and revoked look alike)."""
    if not secret or len(secret) > 200:
        return None
    feed = session.scalar(
        select(CalendarFeed).where(CalendarFeed.secret_hash == hash_secret(secret))
    )
    return feed if feed is not None and feed.revoked_at is None else None


def feed_pieces(session: Session, feed: CalendarFeed, now: datetime) -> list[PiecePlan]:
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


def feed_ical(
    session: Session,
    feed: CalendarFeed,
    *,
    uid_domain: str,
    now: datetime,
    url_for_piece: Callable[[PiecePlan], str] | None = None,
) -> bytes:
    """Render the feed as iCalendar bytes; UIDs depend only on piece ids (see `ical`)."""
    workspace = session.get(Workspace, feed.workspace_id)
    names = dict(
        session.execute(
            select(Persona.id, Persona.name).where(Persona.workspace_id == feed.workspace_id)
        ).all()
    )
    title = workspace.name
    if feed.persona is not None or feed.channel is not None:
        title = f"{workspace.name}: {feed.describe_filter()}"
    return build_calendar(
        feed_pieces(session, feed, now),
        workspace_name=title,
        uid_domain=uid_domain,
        url_for_piece=url_for_piece,
        persona_names=names,
        stamp=now,
    )


def persona_is_feed_filter(session: Session, persona_id: int) -> bool:
    """REFERENCE_QUERIES entry: a persona a live subscription filters on is archived instead."""
    query = select(CalendarFeed.id).where(
        CalendarFeed.persona_id == persona_id, CalendarFeed.revoked_at.is_(None)
    )
    query = query.limit(1)
    return session.scalar(query) is not None


if persona_is_feed_filter not in REFERENCE_QUERIES:
    REFERENCE_QUERIES.append(persona_is_feed_filter)
