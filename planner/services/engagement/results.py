"""The stored results of a workspace: its sources, the rows no piece matches, matching again.

Reads and removals for the Results pages and the API; importing is `imports`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from planner.models import EngagementRow, EngagementSource
from planner.services.access import Actor, get_scoped, scoped
from planner.services.accounts import workspace_zone
from planner.services.engagement.matching import PieceIndex, normalize_url


def list_sources(session: Session, actor: Actor) -> list[tuple[EngagementSource, int]]:
    """The workspace's sources with how many rows each holds, by name."""
    counts = (
        select(EngagementRow.source_id, func.count().label("rows"))
        .where(EngagementRow.workspace_id == actor.workspace_id)
        .group_by(EngagementRow.source_id)
        .subquery()
    )
    query = (
        scoped(EngagementSource, actor.workspace_id)
        .add_columns(func.coalesce(counts.c.rows, 0))
        .outerjoin(counts, counts.c.source_id == EngagementSource.id)
        .order_by(EngagementSource.name)
    )
    return [(source, rows) for source, rows in session.execute(query)]


def delete_source(session: Session, actor: Actor, source_id: Any) -> tuple[str, int]:
    """Delete a source, its mapping and its rows; return its name and how many rows went."""
    actor.require("editor", "delete imported results")
    source = get_scoped(session, EngagementSource, actor.workspace_id, source_id, "source")
    rows = session.scalar(
        select(func.count()).select_from(EngagementRow).where(EngagementRow.source_id == source.id)
    )
    session.execute(delete(EngagementRow).where(EngagementRow.source_id == source.id))
    session.delete(source)
    session.flush()
    return source.name, rows or 0


def rematch(session: Session, actor: Actor) -> int:
    """Match the workspace's unmatched rows again (pieces may have gained a URL); how many."""
    actor.require("editor", "match results")
    index = PieceIndex.load(session, actor.workspace_id, workspace_zone(session, actor))
    found = 0
    query = scoped(EngagementRow, actor.workspace_id).where(EngagementRow.piece_id.is_(None))
    for row in session.scalars(query):
        match = index.find(normalize_url(row.url), None, row.title, row.published_at, row.channel)
        if match:
            row.piece_id = match.piece_id
            found += 1
    session.flush()
    return found


def list_unmatched(
    session: Session, actor: Actor, limit: int = 100, offset: int = 0
) -> tuple[list[tuple[EngagementRow, str]], int]:
    """Rows that match no piece (newest first) with their source's name, and how many."""
    where = (
        EngagementRow.workspace_id == actor.workspace_id,
        EngagementRow.piece_id.is_(None),
    )
    total = session.scalar(select(func.count()).select_from(EngagementRow).where(*where)) or 0
    query = (
        select(EngagementRow, EngagementSource.name)
        .join(EngagementSource, EngagementSource.id == EngagementRow.source_id)
        .where(*where)
        .order_by(EngagementRow.published_at.desc(), EngagementRow.id)
        .limit(limit)
        .offset(offset)
    )
    return [(row, name) for row, name in session.execute(query)], total
