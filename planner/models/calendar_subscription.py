"""Secret iCalendar subscription links to a workspace's editorial calendar."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, utcnow


class CalendarSubscription(Base):
    """One subscription link; only the hash of its secret is kept, like an API token.

    The optional persona or channel narrows what it shows. Deleting the channel deletes
    its subscriptions; a persona one names is archived rather than deleted (see
    `services/personas/refs.py`).
    """

    __tablename__ = "calendar_feed"  # the name migration 0004 gave it

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    persona_id: Mapped[int | None] = mapped_column(
        ForeignKey("persona.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int | None] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    persona = relationship("Persona")
    channel = relationship("Channel")

    def describe_filter(self) -> str:
        """Say what the feed shows: "Every piece", "Pieces for X", "Pieces on linkedin"."""
        parts = []
        if self.persona is not None:
            parts.append(f"for {self.persona.name}")
        if self.channel is not None:
            parts.append(f"on {self.channel.name}")
        return "Pieces " + " ".join(parts) if parts else "Every piece"
