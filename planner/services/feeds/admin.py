"""Feeds a workspace monitors: add, change, pause, remove them; list and triage their items.

The web pages, the API and the CLI all come through here, so a URL is checked (http(s),
no private address unless FEED_ALLOW_PRIVATE) and a role is required in one place.
Viewers read; editors change feeds and dismiss items.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.errors import Conflict, ValidationError
from planner.models import Channel, Persona, Workspace, utcnow
from planner.models.feed import (
    MIN_POLL_MINUTES,
    PAUSED_INDEFINITELY,
    Feed,
    FeedItem,
    feed_persona,
)
from planner.services.access import MAX_ID, Actor, get_scoped, scoped
from planner.services.feeds import FeedFetchError, check_url
from planner.services.feeds.opml import ExportFeed, OpmlFeed, build_opml, parse_opml
from planner.services.feeds.schedule import MAX_POLL_MINUTES, display_status

FIELDS = ("url", "title", "personas", "channel", "poll_interval_minutes", "paused")


@dataclass(frozen=True)
class FeedRow:
    """A feed with the item counts the list shows."""

    feed: Feed
    items: int
    new_items: int


def list_feeds(session: Session, actor: Actor) -> list[FeedRow]:
    feeds = list(session.scalars(scoped(Feed, actor.workspace_id).order_by(Feed.title, Feed.id)))
    counts = session.execute(
        select(
            FeedItem.feed_id,
            func.count(FeedItem.id),
            func.count(FeedItem.id).filter(FeedItem.state == "new"),
        )
        .where(FeedItem.workspace_id == actor.workspace_id)
        .group_by(FeedItem.feed_id)
    )
    by_feed = {feed_id: (total, new) for feed_id, total, new in counts}
    return [FeedRow(f, *by_feed.get(f.id, (0, 0))) for f in feeds]


def get_feed(session: Session, actor: Actor, feed_id: Any) -> Feed:
    return get_scoped(session, Feed, actor.workspace_id, feed_id, "feed")


def add_feed(
    session: Session, actor: Actor, data: Mapping[str, Any], *, allow_private: bool = False
) -> Feed:
    """Validate and store a new feed; it is due at once, so the next poll fetches it."""
    actor.require("editor", "add feeds")
    if not str(data.get("url") or "").strip():
        raise ValidationError("Give the feed's URL.", {"url": "is required"})
    feed = Feed(workspace_id=actor.workspace_id, next_poll_at=utcnow())
    _apply(session, actor, feed, data, allow_private)
    session.add(feed)
    session.flush()
    return feed


def update_feed(
    session: Session,
    actor: Actor,
    feed: Feed,
    data: Mapping[str, Any],
    *,
    allow_private: bool = False,
) -> Feed:
    """Change the fields given (PATCH semantics); `paused: false` resumes a paused feed."""
    actor.require("editor", "change feeds")
    _apply(session, actor, feed, data, allow_private)
    session.flush()
    return feed


def delete_feed(session: Session, actor: Actor, feed: Feed) -> None:
    actor.require("editor", "remove feeds")
    session.delete(feed)
    session.flush()


def pause_feed(
    session: Session, actor: Actor, feed: Feed, reason: str = "paused by an editor"
) -> None:
    actor.require("editor", "pause feeds")
    feed.paused_until = PAUSED_INDEFINITELY
    feed.pause_reason = reason[:200]
    feed.last_status = "paused"
    session.flush()


def resume_feed(session: Session, actor: Actor, feed: Feed) -> None:
    """Start polling again now: after a pause, repeated failures, or a 410 that was wrong."""
    actor.require("editor", "resume feeds")
    feed.paused_until = None
    feed.pause_reason = None
    feed.retired_at = None
    feed.consecutive_failures = 0
    feed.last_status = None
    feed.next_poll_at = utcnow()
    session.flush()


def require_poll(actor: Actor) -> None:
    actor.require("editor", "poll feeds")


def _apply(
    session: Session, actor: Actor, feed: Feed, data: Mapping[str, Any], allow_private: bool
) -> None:
    """Check every given field first, collecting all errors, then write them."""
    unknown = sorted(set(data) - set(FIELDS))
    errors: dict[str, str] = {name: "is not a feed field" for name in unknown}
    values: dict[str, Any] = {}
    for name, check in _CHECKS.items():
        if name not in data:
            continue
        try:
            values[name] = check(session, actor, data[name], allow_private)
        except ValidationError as error:
            errors.update(error.details or {name: error.message})
    if errors:
        raise ValidationError("The feed has invalid fields.", errors)
    if "url" in values and values["url"] != feed.url:
        clash = session.scalar(
            scoped(Feed, actor.workspace_id).where(Feed.url == values["url"], Feed.id != feed.id)
        )
        if clash is not None:
            message = f"This workspace already monitors this URL ({clash.display_title})."
            raise Conflict(message, {"url": message})
        feed.url = values["url"]
        feed.etag = feed.last_modified = feed.body_hash = None
        feed.next_poll_at = utcnow()
    if "title" in values:
        feed.title = values["title"]
    if "personas" in values:
        feed.personas = values["personas"]
    if "channel" in values:
        feed.channel_id = values["channel"]
    if "poll_interval_minutes" in values:
        feed.poll_interval_minutes = values["poll_interval_minutes"]
    if values.get("paused") is True and not feed.is_paused():
        pause_feed(session, actor, feed)
    elif values.get("paused") is False and (feed.is_paused() or feed.retired_at):
        resume_feed(session, actor, feed)


def _check_url(session: Session, actor: Actor, value: Any, allow_private: bool) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Give the feed's URL.", {"url": "must be an http(s) URL"})
    url = value.strip()
    if len(url) > 2048:
        raise ValidationError("URL too long.", {"url": "must be at most 2,048 characters"})
    try:
        check_url(url, allow_private=allow_private)
    except FeedFetchError as error:
        raise ValidationError(error.message, {"url": error.message}) from error
    return url


def _check_title(session: Session, actor: Actor, value: Any, allow_private: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("Bad title.", {"title": "must be a string"})
    title = " ".join(value.split())
    if len(title) > 300:
        raise ValidationError("Title too long.", {"title": "must be at most 300 characters"})
    return title


def _check_personas(
    session: Session, actor: Actor, value: Any, allow_private: bool
) -> list[Persona]:
    """Persona ids or names of this workspace's active personas."""
    if value is None:
        return []
    if isinstance(value, str | bytes | dict) or not isinstance(value, list | tuple):
        raise ValidationError("Bad personas.", {"personas": "must be a list of ids or names"})
    if any(isinstance(v, bool) or not isinstance(v, int | str) for v in value):
        raise ValidationError("Bad personas.", {"personas": "must be a list of ids or names"})
    rows = list(
        session.scalars(scoped(Persona, actor.workspace_id).where(Persona.archived_at.is_(None)))
    )
    by_id, by_name = {p.id: p for p in rows}, {p.name.casefold(): p for p in rows}
    chosen, missing = [], []
    for v in value:
        if isinstance(v, str) and v.strip().isdecimal():
            v = int(v.strip())
        persona = by_id.get(v) if isinstance(v, int) else by_name.get(v.strip().casefold())
        if persona is None:
            missing.append(str(v))
        elif persona not in chosen:
            chosen.append(persona)
    if missing:
        message = f"no active persona {', '.join(missing)} in this workspace"
        raise ValidationError("Unknown persona.", {"personas": message})
    return chosen


def _check_channel(session: Session, actor: Actor, value: Any, allow_private: bool) -> int | None:
    """A channel of this workspace, by id or name; empty means none."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError("Bad channel.", {"channel": "must be a channel id or name"})
    query = scoped(Channel, actor.workspace_id)
    if isinstance(value, int) or value.strip().isdecimal():
        channel_id = int(value)
        in_range = 0 < channel_id <= MAX_ID
        channel = session.scalar(query.where(Channel.id == channel_id)) if in_range else None
    else:
        channel = session.scalar(query.where(func.lower(Channel.name) == value.strip().lower()))
    if channel is None:
        raise ValidationError("Unknown channel.", {"channel": f"no channel {value} here"})
    return channel.id


def channel_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the workspace's channels, for the feed form's select."""
    query = scoped(Channel, actor.workspace_id).order_by(Channel.name)
    return [(channel.id, channel.name) for channel in session.scalars(query)]


def _check_interval(session: Session, actor: Actor, value: Any, allow_private: bool) -> int:
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            "Bad interval.", {"poll_interval_minutes": "must be a whole number of minutes"}
        )
    if not MIN_POLL_MINUTES <= value <= MAX_POLL_MINUTES:
        message = f"must be between {MIN_POLL_MINUTES} and {MAX_POLL_MINUTES:,} minutes"
        raise ValidationError("Bad interval.", {"poll_interval_minutes": message})
    return value


def _check_paused(session: Session, actor: Actor, value: Any, allow_private: bool) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("Bad paused.", {"paused": "must be true or false"})
    return value


_CHECKS = {
    "url": _check_url,
    "title": _check_title,
    "personas": _check_personas,
    "channel": _check_channel,
    "poll_interval_minutes": _check_interval,
    "paused": _check_paused,
}


@dataclass(frozen=True)
class OpmlImport:
    """What an OPML import did: feeds added, and those skipped with the reason."""

    added: list[Feed]
    duplicates: list[OpmlFeed]  # already monitored here, or listed twice in the file
    refused: list[tuple[OpmlFeed, str]]  # URL not acceptable (scheme, private address, ...)


def import_opml(
    session: Session, actor: Actor, content: bytes, *, allow_private: bool = False
) -> OpmlImport:
    """Add every feed an OPML file lists that this workspace does not monitor yet.

    A file that is not usable OPML is a ValidationError and adds nothing. Within a usable
    file, a feed already monitored (or listed twice) is skipped, and one whose URL `add_feed`
    refuses is skipped with the reason; both are reported, the others are added.
    """
    actor.require("editor", "add feeds")
    listed = parse_opml(content)
    known = set(session.scalars(select(Feed.url).where(Feed.workspace_id == actor.workspace_id)))
    added: list[Feed] = []
    duplicates: list[OpmlFeed] = []
    refused: list[tuple[OpmlFeed, str]] = []
    for entry in listed:
        if entry.url in known:
            duplicates.append(entry)
            continue
        known.add(entry.url)
        data = {"url": entry.url, "title": entry.title}
        try:
            added.append(add_feed(session, actor, data, allow_private=allow_private))
        except (ValidationError, Conflict) as error:
            details = error.details if isinstance(error.details, dict) else {}
            refused.append((entry, str(details.get("url") or error.message)))
    return OpmlImport(added, duplicates, refused)


def export_opml(session: Session, actor: Actor) -> bytes:
    """The workspace's feeds as an OPML 2.0 file (readers see the planner's titles)."""
    workspace = session.get(Workspace, actor.workspace_id)
    title = f"{workspace.name if workspace else 'Persona Planner'} feeds"
    feeds = session.scalars(scoped(Feed, actor.workspace_id).order_by(Feed.title, Feed.id))
    return build_opml((ExportFeed(f.url, f.display_title, f.site_url) for f in feeds), title=title)


def persona_is_feed_target(session: Session, persona_id: int) -> bool:
    """Whether some feed targets the persona, so it is archived, not deleted (see `hooks`)."""
    query = select(feed_persona.c.feed_id).where(feed_persona.c.persona_id == persona_id)
    return session.scalar(query.limit(1)) is not None


def feed_json(row: FeedRow, now: datetime | None = None) -> dict[str, Any]:
    """The API's and `flask feeds list --format json`'s shape of a feed."""
    feed, now = row.feed, now or utcnow()
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "site_url": feed.site_url,
        "personas": [{"id": p.id, "name": p.name, "kind": p.kind} for p in feed.personas],
        "channel_id": feed.channel_id,
        "poll_interval_minutes": feed.poll_interval_minutes,
        "status": display_status(feed, now),
        "last_status": feed.last_status,
        "last_error": feed.last_error,
        "consecutive_failures": feed.consecutive_failures,
        "last_polled_at": _iso(feed.last_polled_at),
        "next_poll_at": None if feed.is_paused(now) else _iso(feed.next_poll_at),
        "paused": feed.is_paused(now),
        "pause_reason": feed.pause_reason if feed.is_paused(now) else None,
        "retired_at": _iso(feed.retired_at),
        "items": row.items,
        "new_items": row.new_items,
        "created_at": _iso(feed.created_at),
    }


def feed_row(session: Session, feed: Feed) -> FeedRow:
    """One feed with its counts (after a create or an update)."""
    total, new = session.execute(
        select(
            func.count(FeedItem.id), func.count(FeedItem.id).filter(FeedItem.state == "new")
        ).where(FeedItem.feed_id == feed.id)
    ).one()
    return FeedRow(feed, total, new)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
