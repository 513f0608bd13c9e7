"""Feed items across a workspace's feeds: the inbox, a feed's item list, triage.

Items are read through `access.scoped` like all user data; the curation feature turns an
item into a piece and sets `state = "curated"` and `curated_piece_id` (not done here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.errors import Conflict, ValidationError
from planner.models.feed import ITEM_STATES, FeedItem
from planner.services.access import Actor, get_scoped, scoped
from planner.services.feeds.admin import get_feed

ITEM_FILTERS = ("all", "suggested")
MAX_PAGE = 200


@dataclass(frozen=True)
class ItemPage:
    items: list[FeedItem]
    total: int
    limit: int
    offset: int


def list_items(
    session: Session,
    actor: Actor,
    *,
    feed_id: int | None = None,
    state: str | None = "new",
    suggested: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> ItemPage:
    """Items newest first: of one feed, or across feeds (the inbox), by state and filter."""
    query = scoped(FeedItem, actor.workspace_id)
    if feed_id is not None:
        query = query.where(FeedItem.feed_id == get_feed(session, actor, feed_id).id)
    if state is not None:
        query = query.where(FeedItem.state == state)
    if suggested:
        query = query.where(FeedItem.buyer_matches > 0, FeedItem.negative_matches == 0)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    newest = func.coalesce(FeedItem.published_at, FeedItem.first_seen_at)
    rows = session.scalars(
        query.order_by(newest.desc(), FeedItem.id.desc()).limit(limit).offset(offset)
    )
    return ItemPage(list(rows), total, limit, offset)


def get_item(session: Session, actor: Actor, item_id: Any) -> FeedItem:
    return get_scoped(session, FeedItem, actor.workspace_id, item_id, "feed item")


def set_item_state(session: Session, actor: Actor, item: FeedItem, state: str) -> None:
    """Dismiss an item (hide it from the inbox) or bring it back; curation is not this."""
    actor.require("editor", "triage feed items")
    if state not in ITEM_STATES or state == "curated":
        raise ValidationError("Bad state.", {"state": "must be new or dismissed"})
    if item.state == "curated":
        raise Conflict("This item was already curated into a piece.")
    item.state = state
    session.flush()


def persona_chips(item: FeedItem) -> dict[str, list[dict]]:
    """The buyer personas an item speaks to and the negative ones it would attract."""
    chips: dict[str, list[dict]] = {"buyers": [], "negatives": []}
    for persona in (item.audit or {}).get("personas", []):
        counted = [m for m in persona.get("matches", []) if not m.get("dismissed")]
        if not counted:
            continue
        chip = {
            "id": persona.get("id"),
            "name": persona.get("name"),
            "level": persona.get("level"),
            "score": persona.get("score"),
            "terms": sorted({m.get("term") for m in counted if m.get("term")}),
        }
        chips["buyers" if persona.get("kind") == "buyer" else "negatives"].append(chip)
    return chips


def item_json(item: FeedItem) -> dict[str, Any]:
    """An item as the API gives it: what a curated piece needs (title, link, summary, audit)."""
    return {
        "id": item.id,
        "feed_id": item.feed_id,
        "identity": item.identity,
        "guid": item.guid,
        "link": item.link,
        "title": item.title,
        "author": item.author,
        "published_at": _iso(item.published_at),
        "updated_at": _iso(item.updated_at),
        "first_seen_at": _iso(item.first_seen_at),
        "changed_at": _iso(item.changed_at),
        "summary_html": item.summary_html,
        "summary_text": item.summary_text,
        "state": item.state,
        "curated_piece_id": item.curated_piece_id,
        "verdict": item.verdict,
        "suggested": item.suggested,
        "personas": persona_chips(item),
        "audit": item.audit,
        "persona_versions": item.persona_versions or {},
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
