"""Screened leads a workspace chose to keep, and its saved CSV column mappings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from planner.models.base import Base, Timestamped, utcnow


class ScreenedLead(Base):
    """One lead as screened, kept only while the workspace keeps screened leads.

    `result` is the screening result (`LeadResult.to_json()`); rows older than the
    workspace's `lead_retention_days` are purged by the scheduler.
    """

    __tablename__ = "screened_lead"
    __table_args__ = (Index("ix_screened_lead_ws_screened_at", "workspace_id", "screened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    screened_at: Mapped[datetime] = mapped_column(default=utcnow)
    name: Mapped[str] = mapped_column(String(1000), default="")
    email: Mapped[str] = mapped_column(String(1000), default="")
    company: Mapped[str] = mapped_column(String(1000), default="")
    job_title: Mapped[str] = mapped_column(String(1000), default="")
    company_size: Mapped[int | None]
    industry: Mapped[str] = mapped_column(String(1000), default="")
    country: Mapped[str] = mapped_column(String(1000), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    verdict: Mapped[str] = mapped_column(String(16))
    buyer_persona: Mapped[str | None] = mapped_column(String(120))
    result: Mapped[dict] = mapped_column(JSON)


class LeadMapping(Timestamped, Base):
    """A saved CSV column mapping: `mapping` is {lead field: the file's column header}."""

    __tablename__ = "lead_mapping"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    mapping: Mapped[dict] = mapped_column(JSON)
