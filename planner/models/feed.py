"""Monitored feeds, the personas they are read for, and the items they brought in."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, Timestamped, utcnow
from planner.models.persona import Persona

ITEM_STATES = ("new", "dismissed", "curated")
MIN_POLL_MINUTES = 5
DEFAULT_POLL_MINUTES = 60
# "Paused until someone resumes it": a date no schedule reaches, so "is it due?" stays one
# comparison instead of a flag plus a date.
PAUSED_INDEFINITELY = datetime(9999, 12, 31, tzinfo=UTC)
# Unique indexes have a size limit (PostgreSQL: ~2,700 bytes); longer identities are hashed.
IDENTITY_MAX = 512

feed_persona = Table(
    "feed_persona",
    Base.metadata,
    Column("feed_id", ForeignKey("feed.id", ondelete="CASCADE"), primary_key=True),
    Column("persona_id", ForeignKey("persona.id", ondelete="CASCADE"), primary_key=True),
)


class Feed(Timestamped, Base):
    """An RSS/Atom feed a workspace monitors, with what the next poll needs to know."""

    __tablename__ = "feed"
    __table_args__ = (UniqueConstraint("workspace_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(String(300), default="")
    site_url: Mapped[str | None] = mapped_column(String(2048))
    # Where curated items go by default; removing the channel leaves the feed without one.
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id", ondelete="SET NULL"))
    poll_interval_minutes: Mapped[int] = mapped_column(default=DEFAULT_POLL_MINUTES)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    last_polled_at: Mapped[datetime | None]
    last_status: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    retired_at: Mapped[datetime | None]
    paused_until: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(200))

    personas: Mapped[list[Persona]] = relationship(
        secondary=feed_persona, order_by=Persona.name, lazy="selectin"
    )
    items: Mapped[list[FeedItem]] = relationship(
        back_populates="feed", cascade="all, delete-orphan", passive_deletes=True
    )

    def is_paused(self, now: datetime | None = None) -> bool:
        return self.paused_until is not None and self.paused_until > (now or utcnow())

    @property
    def display_title(self) -> str:
        return self.title or self.url


class FeedItem(Base):
    """One entry of a feed, stored sanitised, with its audit against the workspace personas.

    `workspace_id` repeats the feed's so items are read through `access.scoped` like every
    other row of user data (the inbox lists items across feeds).
    """

    __tablename__ = "feed_item"
    __table_args__ = (UniqueConstraint("feed_id", "identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feed.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    identity: Mapped[str] = mapped_column(String(IDENTITY_MAX))
    guid: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(300))
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    summary_html: Mapped[str] = mapped_column(Text, default="")
    summary_text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime | None]
    audit: Mapped[dict | None] = mapped_column(JSON)
    verdict: Mapped[str | None] = mapped_column(String(8))
    persona_versions: Mapped[dict] = mapped_column(JSON, default=dict)
    # Derived from `audit` when it is stored, so the inbox can filter in SQL.
    buyer_matches: Mapped[int] = mapped_column(default=0)
    negative_matches: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(16), default="new")
    # Reader state: when "Mark all seen" covered the item, and when it was dismissed (so a
    # dismiss can be undone); a restore clears `dismissed_at` and leaves `seen_at` alone.
    seen_at: Mapped[datetime | None]
    dismissed_at: Mapped[datetime | None]
    # Set by curation; deleting the piece leaves the item curated but unlinked.
    curated_piece_id: Mapped[int | None] = mapped_column(
        ForeignKey("piece.id", ondelete="SET NULL")
    )

    feed: Mapped[Feed] = relationship(back_populates="items")

    @property
    def suggested(self) -> bool:
        """Speaks to a buyer persona and to no negative one: worth curating."""
        return self.buyer_matches > 0 and self.negative_matches == 0
