"""Curate a feed item into the calendar, or dismiss it.

A curated item becomes a piece like any other: it is created through the pieces service,
so it is audited against every persona and held to the same publishing gate (curating an
item that attracts a negative persona is as bad as writing one). It is then scheduled at
the next good slot the calendar suggests; when there is none, or its audit blocks it, it
stays a draft and the editor is told why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from planner.errors import Conflict, ValidationError
from planner.models import Channel, Persona, Piece
from planner.models.feed import FeedItem
from planner.services.access import Actor
from planner.services.audit import MAX_AUDIT_CHARS
from planner.services.calendar import service as calendar_service
from planner.services.channels import find_channel
from planner.services.feeds import inbox as feed_inbox
from planner.services.pieces import service as piece_service
from planner.services.pieces.input import MAX_TITLE, MAX_URL

CURATED_CONTENT_TYPE = "article"


@dataclass(frozen=True)
class CurationDefaults:
    """What "Curate" uses when the editor does not choose: the feed's channel, the match."""

    channel: str | None
    persona_ids: list[int]


def _active_buyer_ids(session: Session, workspace_id: int, ids: Sequence[int]) -> list[int]:
    if not ids:
        return []
    found = set(
        session.scalars(
            select(Persona.id).where(
                Persona.workspace_id == workspace_id,
                Persona.id.in_(list(ids)),
                Persona.kind == "buyer",
                Persona.archived_at.is_(None),
            )
        )
    )
    return [i for i in ids if i in found]


def curation_defaults(session: Session, actor: Actor, item: FeedItem) -> CurationDefaults:
    """The feed's channel, and the buyer personas the item matched (else the feed's buyers)."""
    channel = None
    if item.feed.channel_id is not None:
        row = session.get(Channel, item.feed.channel_id)
        channel = row.name if row is not None and row.workspace_id == actor.workspace_id else None
    matched = [chip["id"] for chip in feed_inbox.persona_chips(item)["buyers"] if chip.get("id")]
    personas = _active_buyer_ids(session, actor.workspace_id, matched)
    if not personas:
        personas = _active_buyer_ids(
            session, actor.workspace_id, [p.id for p in item.feed.personas]
        )
    return CurationDefaults(channel, personas)


def _title(item: FeedItem) -> str:
    title = " ".join((item.title or item.link or "Untitled feed item").split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def _document(
    item: FeedItem, channel: str | None, targets: Sequence[int | str]
) -> dict[str, object]:
    """The piece a curated item becomes: its summary as the body, its link as the source."""
    body, fmt = item.summary_html or "", "html"
    if len(body) > MAX_AUDIT_CHARS:  # a huge summary: keep its words, lose the markup
        body, fmt = (item.summary_text or "")[:MAX_AUDIT_CHARS], "plain"
    link = item.link if item.link and len(item.link) <= MAX_URL else None
    return {
        "title": _title(item),
        "body": body,
        "format": fmt,
        "content_type": CURATED_CONTENT_TYPE,
        "origin": "curated",
        "source_url": link,
        "channel": channel,
        "target_personas": list(targets),
        "status": "draft",
    }


def _channel_name(session: Session, actor: Actor, channel: str) -> str:
    found = find_channel(session, actor.workspace_id, channel)
    if found is None:
        raise ValidationError(
            f"No channel named {channel.strip()!r} in this workspace.",
            {"channel": f"no channel named {channel.strip()!r} in this workspace"},
        )
    return found.name


def _already_curated(item: FeedItem) -> Conflict:
    if item.curated_piece_id is not None:
        return Conflict(
            f"This item was already curated into piece {item.curated_piece_id}.",
            {"curated_piece_id": item.curated_piece_id},
        )
    return Conflict("This item was already curated (its piece has since been deleted).")


def _claim(session: Session, item: FeedItem) -> None:
    """Mark the item curated, atomically: of two editors curating at once, one gets a 409."""
    # An UPDATE's result is a `CursorResult` (it has `rowcount`); `execute` is typed wider.
    claimed = cast(
        CursorResult[Any],
        session.execute(
            update(FeedItem)
            .where(FeedItem.id == item.id, FeedItem.state != "curated")
            .values(state="curated")
            .execution_options(synchronize_session=False)
        ),
    )
    if claimed.rowcount != 1:
        session.refresh(item)
        raise _already_curated(item)
    item.state = "curated"


def curate_item(
    session: Session,
    actor: Actor,
    item_id: object,
    *,
    channel: str | None = None,
    persona_ids: Sequence[int | str] | None = None,
    now: datetime | None = None,
) -> Piece:
    """Turn a feed item into a curated piece, scheduled at the next good slot if it may be.

    `channel` (a name; blank for none) and `persona_ids` (persona ids or names; empty for
    none) override the defaults (see `curation_defaults`) unless they are None. The piece
    stays a draft when its audit blocks it or the calendar has no slot within its horizon.
    """
    actor.require("editor", "curate feed items")
    item = feed_inbox.get_item(session, actor, item_id)
    if item.state == "curated":
        raise _already_curated(item)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    defaults = curation_defaults(session, actor, item)
    if channel is None:
        channel_name = defaults.channel
    else:
        channel_name = _channel_name(session, actor, channel) if channel.strip() else None
    targets = defaults.persona_ids if persona_ids is None else list(persona_ids)
    # The pieces service checks the document before it writes anything: a bad choice
    # leaves no trace. Then the claim, which refuses a second curation.
    piece = piece_service.create_piece(session, actor, _document(item, channel_name, targets))
    _claim(session, item)
    item.curated_piece_id = piece.id
    session.flush()
    if piece.verdict == "block":
        return piece
    slot = calendar_service.suggest_slot_for_new_piece(
        session,
        actor,
        channel=channel_name,
        persona_ids=[p.id for p in piece.target_personas],
        content_type=piece.content_type,
        now=now,
    )
    if slot is not None:
        piece_service.update_piece(
            session, actor, piece, {"status": "scheduled", "scheduled_at": slot}
        )
    return piece


def dismiss_item(session: Session, actor: Actor, item_id: object) -> FeedItem:
    """Hide an item from the inbox (editor+); a curated item cannot be dismissed (409)."""
    item = feed_inbox.get_item(session, actor, item_id)
    feed_inbox.set_item_state(session, actor, item, "dismissed")
    return item


def describe_outcome(piece: Piece, timezone: str) -> str:
    """Say where a curated piece went, in the workspace's zone, or why it is still a draft."""
    if piece.status == "scheduled" and piece.scheduled_at is not None:
        local = piece.scheduled_at.astimezone(ZoneInfo(timezone))
        where = f" on {piece.channel.name}" if piece.channel is not None else ""
        return (
            f"Curated “{piece.title}”: scheduled for {local:%a} {local.day} {local:%b %Y, %H:%M} "
            f"({timezone}){where}."
        )
    if piece.verdict == "block":
        return (
            f"Curated “{piece.title}” as a draft: its audit blocks it, so it was not "
            "scheduled. Open it to see the flagged words."
        )
    return (
        f"Curated “{piece.title}” as a draft: the calendar has no free slot for it in the "
        f"next {calendar_service.SUGGEST_HORIZON_DAYS} days. Open it to pick a time."
    )


DEMO_CURATED = 3
DEMO_CHANNEL = "linkedin"


def load_demo(session: Session, actor: Actor) -> list[Piece]:
    """Curate the oldest suggested demo items onto LinkedIn.

    Without it the demo's mix is all own content and the gauge sits at 0%. Idempotent:
    it tops the workspace up to `DEMO_CURATED` curated items and never curates more.
    """
    done = session.scalar(
        select(func.count(FeedItem.id)).where(
            FeedItem.workspace_id == actor.workspace_id, FeedItem.state == "curated"
        )
    )
    wanted = DEMO_CURATED - (done or 0)
    if wanted <= 0:
        return []
    channel = find_channel(session, actor.workspace_id, DEMO_CHANNEL)
    # The oldest suggestions: the newest stay in the inbox for whoever tries the demo.
    total = feed_inbox.list_items(session, actor, state="new", suggested=True, limit=1).total
    items = feed_inbox.list_items(
        session, actor, state="new", suggested=True, limit=wanted, offset=max(0, total - wanted)
    )
    return [
        curate_item(session, actor, item.id, channel=channel.name if channel else None)
        for item in items.items
    ]
