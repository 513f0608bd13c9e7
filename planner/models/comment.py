"""Comments on a piece: a conversation beside the draft, kept apart from its audit history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.models.base import Base, utcnow
from planner.models.piece import Piece
from planner.models.workspace import User


class PieceComment(Base):
    """One member's note on a piece ("check the price with sales"), oldest first.

    Comments are not part of the piece: they neither bump its `version` nor change its
    audit. The author is kept when they leave the workspace (the user row stays), and
    becomes "a former member" only if the account is deleted.
    """

    __tablename__ = "piece_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    piece_id: Mapped[int] = mapped_column(ForeignKey("piece.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str] = mapped_column(Text)

    piece: Mapped[Piece] = relationship()
    user: Mapped[User | None] = relationship()
