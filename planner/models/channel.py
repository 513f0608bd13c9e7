"""Channels a workspace publishes on (its blog, newsletter, social accounts)."""

from __future__ import annotations

import unicodedata

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

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


def channel_key(name: str) -> str:
    """The name as the workspace tells channels apart: spaces collapsed, NFKC, casefolded.

    Python folds case for every script, so `Überblick` and `überblick` are one channel on
    SQLite too (its `lower()` folds ASCII only).
    """
    return unicodedata.normalize("NFKC", " ".join(name.split())).casefold()


class Channel(Timestamped, Base):
    """Where pieces go out; `min_gap_minutes` keeps two posts on it apart (calendar check).

    `name_key` (`channel_key(name)`, kept in step by `_keep_key`) is unique per workspace.
    """

    __tablename__ = "channel"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        UniqueConstraint("workspace_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(320))  # NFKC and casefolding may lengthen
    kind: Mapped[str] = mapped_column(String(16), default="other")
    min_gap_minutes: Mapped[int] = mapped_column(default=0)

    @validates("name")
    def _keep_key(self, _key: str, name: str) -> str:
        self.name_key = channel_key(name)
        return name
