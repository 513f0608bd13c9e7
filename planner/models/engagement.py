"""Imported post results (engagement) and the saved column mapping of each export source."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, Timestamped

# The fields a column mapping may name, in the order the mapping form shows them; the
# counts after `piece_id` are summed into `EngagementRow.engagements` when several exist.
ENGAGEMENT_FIELDS = (
    "published_at",
    "channel",
    "url",
    "title",
    "piece_id",
    "id",
    "impressions",
    "reach",
    "clicks",
    "engagements",
    "reactions",
    "comments",
    "shares",
)


class EngagementSource(Timestamped, Base):
    """Where results come from (a scheduler's export, a network's analytics): its mapping.

    `mapping` maps each field of `ENGAGEMENT_FIELDS` to the CSV header holding it, plus
    `timezone` (the IANA zone of times without an offset) and `date_order` (`mdy` or `dmy`
    for slashed dates). Saved once per source and reused by every later import.
    """

    __tablename__ = "engagement_source"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)


class EngagementRow(Timestamped, Base):
    """One post's results as imported; `piece_id` is None while it matches no piece.

    `row_key` (sha256 hex of the source's own id column, else of the normalized row) keeps
    a re-import from adding the row twice; a changed count for the same post updates it.
    `engagements` sums whichever of reactions/comments/shares/engagements the file had.
    Engagement rate = engagements / impressions; rows without impressions count as posts
    but give no rate.
    """

    __tablename__ = "engagement_row"
    __table_args__ = (
        UniqueConstraint("source_id", "row_key"),
        Index("ix_engagement_row_ws_published", "workspace_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("engagement_source.id", ondelete="CASCADE"))
    row_key: Mapped[str] = mapped_column(String(64))
    line: Mapped[int]
    published_at: Mapped[datetime]
    channel: Mapped[str | None] = mapped_column(String(120))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(500))
    piece_id: Mapped[int | None] = mapped_column(
        ForeignKey("piece.id", ondelete="SET NULL"), index=True
    )
    impressions: Mapped[int | None]
    clicks: Mapped[int | None]
    engagements: Mapped[int | None]

    source = relationship("EngagementSource")
    piece = relationship("Piece")
