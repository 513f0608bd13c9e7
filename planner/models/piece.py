"""Pieces (drafts and scheduled posts), their audit history and dismissed findings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, Timestamped, utcnow
from planner.models.channel import Channel
from planner.models.persona import Persona
from planner.models.workspace import User

PIECE_FORMATS = ("plain", "markdown", "html")
PIECE_ORIGINS = ("own", "curated")
PIECE_STATUSES = ("idea", "draft", "review", "scheduled", "published", "archived")
VERDICTS = ("pass", "warn", "block")

piece_persona = Table(
    "piece_persona",
    Base.metadata,
    Column("piece_id", ForeignKey("piece.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "persona_id", ForeignKey("persona.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Piece(Timestamped, Base):
    """One piece of content, from idea to published, with its latest verdict kept on the row.

    `verdict` copies the latest audit's verdict so lists filter without reading audits.
    The override fields record an owner letting a blocked piece be scheduled anyway: they
    are set only while the override is in force. `override_matches` holds the blocking
    matches it approved (`[persona_id, term, text casefolded]`); an audit that finds a new
    one clears the override and records its lapse as a `PieceEvent`.
    """

    __tablename__ = "piece"
    # Every list's filters and sort (migration 0008): the drafts list and the pieces API
    # (by updated, created, scheduled time or title, optionally by status), the dashboard
    # (status then time) and the calendar (scheduled time).
    __table_args__ = (
        Index("ix_piece_ws_updated", "workspace_id", "updated_at", "id"),
        Index("ix_piece_ws_created", "workspace_id", "created_at", "id"),
        Index("ix_piece_ws_scheduled", "workspace_id", "scheduled_at", "id"),
        Index("ix_piece_ws_title", "workspace_id", "title", "id"),
        Index("ix_piece_ws_status_updated", "workspace_id", "status", "updated_at"),
        Index("ix_piece_ws_status_scheduled", "workspace_id", "status", "scheduled_at"),
        Index("ix_piece_ws_audit_key", "workspace_id", "audit_versions_key", "status"),
        Index("ix_piece_ws_verdict_status", "workspace_id", "verdict", "status", "updated_at"),
        Index("ix_piece_ws_url", "workspace_id", "url"),  # engagement matching (0014)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    body: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(16), default="plain")
    content_type: Mapped[str] = mapped_column(String(16), default="article")
    origin: Mapped[str] = mapped_column(String(16), default="own")
    source_url: Mapped[str | None] = mapped_column(String(2000))
    # Where it went out (its published address): engagement results match pieces by it.
    url: Mapped[str | None] = mapped_column(String(2000))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    scheduled_at: Mapped[datetime | None] = mapped_column(index=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    verdict: Mapped[str | None] = mapped_column(String(8), index=True)
    # Optimistic locking (`services/versions.py`): bumped by every edit, with who made it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    override_at: Mapped[datetime | None]
    override_matches: Mapped[list | None] = mapped_column(JSON)
    # A fingerprint of the latest audit's persona versions (`pieces/summary.versions_key`):
    # the stale count is an index count of the pieces whose fingerprint is not today's.
    audit_versions_key: Mapped[str | None] = mapped_column(String(64))
    # Who is working on it: a member of the workspace; cleared when they leave it.
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    channel: Mapped[Channel | None] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    target_personas: Mapped[list[Persona]] = relationship(
        secondary=piece_persona, order_by=Persona.name
    )
    author: Mapped[User | None] = relationship(foreign_keys=[created_by])
    overrider: Mapped[User | None] = relationship(foreign_keys=[override_by])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    audits: Mapped[list[PieceAudit]] = relationship(
        back_populates="piece",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PieceAudit.id",
    )
    dismissals: Mapped[list[FindingDismissal]] = relationship(
        back_populates="piece",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="FindingDismissal.id",
    )
    events: Mapped[list[PieceEvent]] = relationship(
        back_populates="piece",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PieceEvent.id",
    )


class PieceAudit(Base):
    """One audit of a piece, kept as history: the result JSON and what it was made from.

    `persona_versions` maps each audited persona's id (a string: JSON keys are) to its
    version, so a later change to any persona shows the audit as out of date.
    `text_hash` covers the title, summary, body and format; `inputs_hash` also covers the
    targets and dismissals, so an unchanged piece is not audited twice.
    """

    __tablename__ = "piece_audit"
    # The latest audit of each piece is `max(id)` per `piece_id` (lists, the editor).
    __table_args__ = (Index("ix_piece_audit_piece_latest", "piece_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("piece.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    trigger: Mapped[str] = mapped_column(String(24), default="save")
    verdict: Mapped[str] = mapped_column(String(8))
    result: Mapped[dict] = mapped_column(JSON)
    # What lists show of `result` (`services/pieces/summary.py`), so they never load it.
    summary: Mapped[dict | None] = mapped_column(JSON)
    persona_versions: Mapped[dict] = mapped_column(JSON, default=dict)
    text_hash: Mapped[str] = mapped_column(String(64))
    inputs_hash: Mapped[str] = mapped_column(String(64))

    piece: Mapped[Piece] = relationship(back_populates="audits")


class PieceEvent(Base):
    """A step in a piece's history that is not an audit: an override given or lapsed,
    a piece published or unpublished. Shown with the audits, newest first."""

    __tablename__ = "piece_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("piece.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text)

    piece: Mapped[Piece] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class FindingDismissal(Base):
    """An editor's "this match is fine here", with a reason.

    It is keyed by wording, not position: `(persona_id, term, matched_text)` with the text
    casefolded, which is the engine's `dismissal_key`. It applies to every later audit of
    the piece while that wording is in the text, and stops applying once it is changed.
    """

    __tablename__ = "finding_dismissal"
    __table_args__ = (UniqueConstraint("piece_id", "persona_id", "term", "matched_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("piece.id", ondelete="CASCADE"), index=True)
    persona_id: Mapped[int] = mapped_column(
        ForeignKey("persona.id", ondelete="CASCADE"), index=True
    )
    term: Mapped[str] = mapped_column(String(200))
    matched_text: Mapped[str] = mapped_column(String(500))
    reason: Mapped[str] = mapped_column(Text)
    dismissed_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    dismissed_at: Mapped[datetime] = mapped_column(default=utcnow)

    piece: Mapped[Piece] = relationship(back_populates="dismissals")
    persona: Mapped[Persona] = relationship()
    user: Mapped[User | None] = relationship()

    @property
    def key(self) -> tuple[int, str, str]:
        """The engine's dismissal key for this row (`nlp.dismissal_key`'s shape)."""
        return (self.persona_id, self.term, self.matched_text)
