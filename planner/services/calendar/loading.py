"""The workspace's planned pieces as `PiecePlan`s, read from columns.

The month calendar, the dashboard's mix advice and every calendar check load the pieces
around a span; building ORM rows with their channel, personas and overrider (four
queries) cost more than the rules that read them (issue 11). Two queries of plain columns
give the same plans as `service.piece_plan` does from a row.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Channel, Persona, Piece, User, piece_persona
from planner.services.access import scoped
from planner.services.calendar.plan import Origin, PiecePlan, Verdict
from planner.services.pieces import overrides


def piece_plans(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> tuple[PiecePlan, ...]:
    """Every piece with a time in [since, until) but archived ones, by time then id."""
    chosen = (
        scoped(Piece, workspace_id)
        .where(Piece.scheduled_at.is_not(None), Piece.status != "archived")  # shelved
        .where(Piece.scheduled_at >= since, Piece.scheduled_at < until)
    )
    rows = session.execute(
        chosen.with_only_columns(
            Piece.id,
            Piece.title,
            Channel.name,
            Piece.content_type,
            Piece.origin,
            Piece.scheduled_at,
            Piece.status,
            Piece.verdict,
            Piece.override_at,
            Piece.override_by,
            Piece.override_reason,
        )
        .outerjoin(Channel, Channel.id == Piece.channel_id)
        .order_by(Piece.scheduled_at, Piece.id)
    ).all()
    # In the order `Piece.target_personas` keeps: by name.
    links = session.execute(
        select(piece_persona.c.piece_id, Persona.id)
        .join(Persona, Persona.id == piece_persona.c.persona_id)
        .where(piece_persona.c.piece_id.in_(chosen.with_only_columns(Piece.id)))
        .order_by(Persona.name, Persona.id)
    )
    targets: dict[int, list[int]] = defaultdict(list)
    for piece_id, persona_id in links:
        targets[piece_id].append(persona_id)
    # An override is in force while it has a time (`overrides.in_force`); few pieces have one.
    ids = {r.override_by for r in rows if r.override_at is not None and r.override_by is not None}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return tuple(
        PiecePlan(
            id=r.id,
            title=r.title,
            channel=r.name,
            content_type=r.content_type,
            origin=cast(Origin, r.origin),  # the plan checks it
            persona_ids=tuple(targets[r.id]),
            scheduled_at=r.scheduled_at,
            status=r.status,
            verdict=cast(Verdict | None, r.verdict),
            approved_by=overrides.who(users.get(r.override_by))
            if r.override_at is not None
            else None,
            approval_reason=r.override_reason if r.override_at is not None else None,
        )
        for r in rows
    )
