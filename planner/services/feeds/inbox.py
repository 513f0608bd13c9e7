"""Feed items across a workspace's feeds: the inbox, a feed's item list, triage.

Items are read through `access.scoped` like all user data; the curation feature turns an
item into a piece and sets `state = "curated"` and `curated_piece_id` (not done here).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, func, or_, select, update
from sqlalchemy.orm import Session

from planner.errors import Conflict, ValidationError
from planner.models import utcnow
from planner.models.feed import ITEM_STATES, FeedItem
from planner.services.access import MAX_ID, Actor, get_scoped, scoped
from planner.services.feeds.admin import get_feed

ITEM_FILTERS = ("all", "suggested")
MAX_PAGE = 200
MAX_SEARCH = 200


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
    search: str = "",
    unseen: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> ItemPage:
    """Items newest first: of one feed, or across feeds (the inbox), by state and filter.

    `search` keeps items whose title or summary contains it (any case); `unseen` those
    "Mark all seen" has not covered yet.
    """
    query = _filtered(
        session, actor, feed_id=feed_id, state=state, suggested=suggested, search=search
    )
    if unseen:
        query = query.where(FeedItem.seen_at.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    limit = max(1, min(int(limit), MAX_PAGE))
    offset = max(0, int(offset))
    newest = func.coalesce(FeedItem.published_at, FeedItem.first_seen_at)
    rows = session.scalars(
        query.order_by(newest.desc(), FeedItem.id.desc()).limit(limit).offset(offset)
    )
    return ItemPage(list(rows), total, limit, offset)


def _filtered(
    session: Session,
    actor: Actor,
    *,
    feed_id: int | None,
    state: str | None,
    suggested: bool,
    search: str,
) -> Select[FeedItem]:
    """The one definition of what the inbox's filters keep, for listing and for bulk acts."""
    query = scoped(FeedItem, actor.workspace_id)
    if feed_id is not None:
        query = query.where(FeedItem.feed_id == get_feed(session, actor, feed_id).id)
    if state is not None:
        query = query.where(FeedItem.state == state)
    if suggested:
        query = query.where(FeedItem.buyer_matches > 0, FeedItem.negative_matches == 0)
    words = clean_search(search)
    if words:
        query = query.where(
            or_(
                FeedItem.title.icontains(words, autoescape=True),
                FeedItem.summary_text.icontains(words, autoescape=True),
            )
        )
    return query


def clean_search(search: str | None) -> str:
    """The search text as the inbox uses it: one line, spaces collapsed, at most 200 chars."""
    return " ".join((search or "").split())[:MAX_SEARCH]


def get_item(session: Session, actor: Actor, item_id: Any) -> FeedItem:
    return get_scoped(session, FeedItem, actor.workspace_id, item_id, "feed item")


def set_item_state(session: Session, actor: Actor, item: FeedItem, state: str) -> None:
    """Dismiss an item (hide it from the inbox) or bring it back; curation is not this."""
    actor.require("editor", "triage feed items")
    if state not in ITEM_STATES or state == "curated":
        raise ValidationError("Bad state.", {"state": "must be new or dismissed"})
    if item.state == "curated":
        raise Conflict("This item was already curated into a piece.")
    _set_state(item, state, utcnow())
    session.flush()


def _set_state(item: FeedItem, state: str, now: datetime) -> None:
    """Record when an item was dismissed; restoring it (an undo) leaves it as it was before."""
    if state == "dismissed" and item.state != "dismissed":
        item.dismissed_at = now
    elif state == "new":
        item.dismissed_at = None
    item.state = state


def dismiss_items(session: Session, actor: Actor, item_ids: Iterable[Any]) -> list[FeedItem]:
    """Dismiss the chosen new items (editor+); others (curated, gone, dismissed) are skipped.

    Returns the items this call dismissed, which are what an undo restores.
    """
    actor.require("editor", "triage feed items")
    return _move(session, actor, item_ids, "new", state="dismissed", dismissed_at=utcnow())


def restore_items(session: Session, actor: Actor, item_ids: Iterable[Any]) -> list[FeedItem]:
    """Bring dismissed items back to the inbox (the undo of a dismiss); others are skipped."""
    actor.require("editor", "triage feed items")
    return _move(session, actor, item_ids, "dismissed", state="new", dismissed_at=None)


def _move(
    session: Session, actor: Actor, item_ids: Iterable[Any], from_state: str, **values: Any
) -> list[FeedItem]:
    """Change the chosen items that are still in `from_state`, in one UPDATE.

    One statement, so an item someone curated meanwhile (no longer in that state) is left
    alone instead of being overwritten.
    """
    ids = {int(i) for i in item_ids if _is_id(i)}
    if len(ids) > MAX_PAGE:
        raise ValidationError(
            f"Choose at most {MAX_PAGE} items at a time.", {"items": f"at most {MAX_PAGE}"}
        )
    if not ids:
        return []
    moved = session.scalars(
        update(FeedItem)
        .where(
            FeedItem.workspace_id == actor.workspace_id,
            FeedItem.id.in_(ids),
            FeedItem.state == from_state,
        )
        .values(**values)
        .returning(FeedItem.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not moved:
        return []
    query = scoped(FeedItem, actor.workspace_id).where(FeedItem.id.in_(moved))
    return list(
        session.scalars(query.order_by(FeedItem.id).execution_options(populate_existing=True))
    )


def mark_seen(
    session: Session,
    actor: Actor,
    *,
    suggested: bool = False,
    search: str = "",
    feed_id: int | None = None,
) -> int:
    """Mark every new, unseen item the inbox's filters keep as seen; return how many."""
    actor.require("editor", "triage feed items")
    query = _filtered(
        session, actor, feed_id=feed_id, state="new", suggested=suggested, search=search
    ).where(FeedItem.seen_at.is_(None))
    ids = select(query.with_only_columns(FeedItem.id).subquery().c.id)
    result = session.execute(
        update(FeedItem)
        .where(FeedItem.id.in_(ids))
        .values(seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return cast(CursorResult[Any], result).rowcount


def _is_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 < value <= MAX_ID
    return isinstance(value, str) and value.strip().isdecimal() and 0 < int(value) <= MAX_ID


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
        "seen_at": _iso(item.seen_at),
        "dismissed_at": _iso(item.dismissed_at),
        "curated_piece_id": item.curated_piece_id,
        "verdict": item.verdict,
        "suggested": item.suggested,
        "personas": persona_chips(item),
        "audit": item.audit,
        "persona_versions": item.persona_versions or {},
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
