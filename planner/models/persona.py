"""Personas (buyer and negative) and their keywords."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, Timestamped
from planner.models.workspace import User

PERSONA_KINDS = ("buyer", "negative")


class Persona(Timestamped, Base):
    """A buyer or negative persona.

    `version` is the lexicon's version (kind, thresholds, keywords): audits record it and
    go stale when it moves. `revision` counts every saved change, for optimistic locking
    (`services/versions.py`); `updated_by_id` is who saved the last one.
    """

    __tablename__ = "persona"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    job_titles: Mapped[list] = mapped_column(JSON, default=list)
    pain_points: Mapped[list] = mapped_column(JSON, default=list)
    red_flags: Mapped[list] = mapped_column(JSON, default=list)
    channels: Mapped[list] = mapped_column(JSON, default=list)
    content_types: Mapped[list] = mapped_column(JSON, default=list)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    posting_windows: Mapped[list] = mapped_column(JSON, default=list)
    cadence_min: Mapped[int | None]
    cadence_max: Mapped[int | None]
    warn_threshold: Mapped[float | None]
    block_threshold: Mapped[float | None]
    # Lead screening (docs/leads.md); not part of the lexicon, so no `version` bump.
    company_size_min: Mapped[int | None]
    company_size_max: Mapped[int | None]
    industries: Mapped[list] = mapped_column(JSON, default=list)
    regions: Mapped[list] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    archived_at: Mapped[datetime | None]
    # Persona reviews: due `review_every_days` after `reviewed_at` (or, never reviewed,
    # after `created_at`); not part of the lexicon, so changing it leaves `version` alone.
    review_every_days: Mapped[int] = mapped_column(default=90, server_default="90")
    reviewed_at: Mapped[datetime | None]

    keywords: Mapped[list[PersonaKeyword]] = relationship(
        back_populates="persona",
        cascade="all, delete-orphan",
        order_by="PersonaKeyword.position",
    )
    updated_by: Mapped[User | None] = relationship()


class PersonaKeyword(Base):
    """One keyword; a term appears once per persona and case setting (the schema's rule)."""

    __tablename__ = "persona_keyword"
    __table_args__ = (UniqueConstraint("persona_id", "term", "case_sensitive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    persona_id: Mapped[int] = mapped_column(
        ForeignKey("persona.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    term: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(default=1.0)
    suggest: Mapped[str | None] = mapped_column(String(200))
    case_sensitive: Mapped[bool] = mapped_column(default=False)
    # Extra surface forms to match, and forms never to match (`forms:` / `not:` in the file).
    forms: Mapped[list | None] = mapped_column(JSON)
    exclude: Mapped[list | None] = mapped_column(JSON)

    persona: Mapped[Persona] = relationship(back_populates="keywords")
