"""A persona review: who looked at a persona's evidence, when, and what they noted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, utcnow
from planner.models.persona import Persona
from planner.models.workspace import User


class PersonaReview(Base):
    """One "Mark reviewed" of a persona, kept as history (newest first on its page).

    `evidence` is a small snapshot of what the review page showed (dead and top keywords,
    flagged pieces, engagement), so a later reader sees what the reviewer saw.
    """

    __tablename__ = "persona_review"
    __table_args__ = (Index("ix_persona_review_persona_reviewed", "persona_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    persona_id: Mapped[int] = mapped_column(ForeignKey("persona.id", ondelete="CASCADE"))
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict | None] = mapped_column(JSON)

    persona: Mapped[Persona] = relationship()
    reviewed_by: Mapped[User | None] = relationship()
