"""Channels a workspace publishes on (its blog, newsletter, social accounts)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planner.models.base import Base, Timestamped

CHANNEL_KINDS = (
    "blog",
    "newsletter",
    "linkedin",
    "x",
    "instagram",
    "youtube",
    "facebook",
    "tiktok",
    "podcast",
    "other",
)


class Channel(Timestamped, Base):
    """Where pieces go out; `min_gap_minutes` keeps two posts on it apart (calendar check)."""

    __tablename__ = "channel"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16), default="other")
    min_gap_minutes: Mapped[int] = mapped_column(default=0)
