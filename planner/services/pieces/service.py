"""Pieces (drafts and scheduled posts): list, read, create, change and delete them.

Saving a piece audits it (see `piece_audits`) and then applies the publishing gate (see
`piece_review`), so the API, the editor and anything else that saves pieces share one
rule. Roles: any member reads, editors write, owners override.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from planner.errors import ValidationError
from planner.models import (
    PIECE_STATUSES,
    VERDICTS,
    FindingDismissal,
    Persona,
    Piece,
    PieceAudit,
    piece_persona,
)
from planner.services import accounts, clock
from planner.services.access import Actor, get_scoped, scoped
from planner.services.channels import find_channel
from planner.services.personas.schema import CONTENT_TYPES
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import review as piece_review
from planner.services.pieces.input import parse_instant, validate_piece


@dataclass(frozen=True)
class PieceFilters:
    """A checked list query: each field narrows the list, None means "any"."""

    status: str | None = None
    verdict: str | None = None
    channel_id: int | None = None
    persona_id: int | None = None
    content_type: str | None = None
    scheduled_from: datetime | None = None
    scheduled_to: datetime | None = None


def _bound(value: str, zone: str, field: str, *, end: bool) -> datetime:
    """A `from`/`to` bound: a date is a whole day in the workspace's zone, or a full time."""
    text = value.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        try:
            return parse_instant(text)
        except ValueError as error:
            raise ValidationError(
                f"Check '{field}'.", {field: f"a date (YYYY-MM-DD) or a time that {error}"}
            ) from None
    if end:
        day += timedelta(days=1)
    return clock.day_start(day, zone)


def parse_filters(session: Session, actor: Actor, args: Mapping[str, str]) -> PieceFilters:
    """Read list filters from query arguments; a bad value is a 422 naming its argument."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for arg, choices in (
        ("status", PIECE_STATUSES),
        ("verdict", VERDICTS),
        ("content_type", CONTENT_TYPES),
    ):
        value = (args.get(arg) or "").strip()
        if value and value not in choices:
            errors[arg] = f"must be one of {', '.join(choices)}"
        elif value:
            values[arg] = value
    channel_name = (args.get("channel") or "").strip()
    if channel_name:
        channel = find_channel(session, actor.workspace_id, channel_name)
        if channel is None:
            errors["channel"] = f"no channel named {channel_name!r} in this workspace"
        else:
            values["channel_id"] = channel.id
    persona = (args.get("persona") or "").strip()
    if persona:
        rows = session.scalars(scoped(Persona, actor.workspace_id))
        match = next(
            (p for p in rows if str(p.id) == persona or p.name.casefold() == persona.casefold()),
            None,
        )
        if match is None:
            errors["persona"] = f"no persona {persona!r} in this workspace"
        else:
            values["persona_id"] = match.id
    zone = accounts.workspace_zone(session, actor)
    for arg, key, end in (("from", "scheduled_from", False), ("to", "scheduled_to", True)):
        if (args.get(arg) or "").strip():
            try:
                values[key] = _bound(args[arg], zone, arg, end=end)
            except ValidationError as error:
                errors.update(error.details)
    if errors:
        raise ValidationError(f"Check the filter {', '.join(errors)}.", errors)
    return PieceFilters(**values)


def _filtered(actor: Actor, filters: PieceFilters) -> Select:
    query = scoped(Piece, actor.workspace_id)
    for column, value in (
        (Piece.status, filters.status),
        (Piece.verdict, filters.verdict),
        (Piece.channel_id, filters.channel_id),
        (Piece.content_type, filters.content_type),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.persona_id is not None:
        targets = select(piece_persona.c.piece_id).where(
            piece_persona.c.persona_id == filters.persona_id
        )
        query = query.where(Piece.id.in_(targets))
    if filters.scheduled_from is not None:
        query = query.where(Piece.scheduled_at >= filters.scheduled_from)
    if filters.scheduled_to is not None:
        query = query.where(Piece.scheduled_at < filters.scheduled_to)
    return query


def list_pieces(
    session: Session,
    actor: Actor,
    filters: PieceFilters = PieceFilters(),
    *,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[Piece], int]:
    """The workspace's pieces that pass `filters`, most recently changed first, and the total."""
    query = _filtered(actor, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.options(
        selectinload(Piece.channel),
        selectinload(Piece.target_personas),
        selectinload(Piece.dismissals).selectinload(FindingDismissal.persona),
        selectinload(Piece.overrider),
    )
    query = query.order_by(Piece.updated_at.desc(), Piece.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query)), total


def stale_ids(session: Session, actor: Actor, pieces: list[Piece]) -> set[int]:
    """Which of `pieces` wait for a re-audit ("re-audit pending")."""
    current = piece_audits.current_versions(session, actor.workspace_id)
    audited = piece_audits.latest_versions(session, [p.id for p in pieces])
    return {p.id for p in pieces if piece_audits.is_stale(p, audited.get(p.id), current)}


def count_stale(session: Session, actor: Actor) -> int:
    """How many unpublished pieces of the workspace wait for a re-audit."""
    ids = list(
        session.scalars(
            select(Piece.id).where(
                Piece.workspace_id == actor.workspace_id, Piece.status != "published"
            )
        )
    )
    current = piece_audits.current_versions(session, actor.workspace_id)
    audited = piece_audits.latest_versions(session, ids)
    return sum(1 for piece_id in ids if audited.get(piece_id) != current)


def get_piece(session: Session, actor: Actor, piece_id: Any) -> Piece:
    return get_scoped(session, Piece, actor.workspace_id, piece_id, "piece")


def _assign(piece: Piece, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key == "channel":
            piece.channel = value
        elif key == "target_personas":
            piece.target_personas = value
        else:
            setattr(piece, key, value)


def create_piece(session: Session, actor: Actor, data: Any) -> Piece:
    """Create a piece from a document (the API's `Piece` shape), audit it and apply the gate."""
    actor.require("editor", "create pieces")
    values = validate_piece(session, actor.workspace_id, data)
    piece = Piece(workspace_id=actor.workspace_id, created_by=actor.user_id)
    _assign(piece, values)
    session.add(piece)
    session.flush()
    piece_audits.audit_piece(session, piece, trigger="save")
    piece_review.check_gate(session, piece, moved=True, text_changed=True)
    return piece


def update_piece(session: Session, actor: Actor, piece: Piece, changes: Any) -> Piece:
    """Change some fields; re-audit only when the audit's inputs changed, then apply the gate."""
    actor.require("editor", "edit pieces")
    values = validate_piece(session, actor.workspace_id, changes, current=piece)
    before_status = piece.status
    before_text = piece_audits.text_hash(piece.body, piece.format)
    _assign(piece, values)
    session.flush()
    piece_audits.audit_piece(session, piece, trigger="save")
    piece_review.check_gate(
        session,
        piece,
        moved=piece.status != before_status,
        text_changed=piece_audits.text_hash(piece.body, piece.format) != before_text,
    )
    return piece


def delete_piece(session: Session, actor: Actor, piece: Piece) -> None:
    """Delete a piece with its audit history and dismissals."""
    actor.require("editor", "delete pieces")
    session.delete(piece)
    session.flush()


def persona_is_referenced(session: Session, persona_id: int) -> bool:
    """Whether a piece targets, dismisses or was audited with the persona (see `hooks`).

    Audits name every persona they used in `persona_versions`, so the history of a piece
    keeps meaning something; such a persona is archived rather than deleted.
    """
    if session.scalar(
        select(piece_persona.c.piece_id).where(piece_persona.c.persona_id == persona_id).limit(1)
    ):
        return True
    if session.scalar(
        select(FindingDismissal.id).where(FindingDismissal.persona_id == persona_id).limit(1)
    ):
        return True
    workspace_id = session.scalar(select(Persona.workspace_id).where(Persona.id == persona_id))
    audits = (
        select(PieceAudit.persona_versions)
        .join(Piece, Piece.id == PieceAudit.piece_id)
        .where(Piece.workspace_id == workspace_id)
        .execution_options(yield_per=500)
    )
    key = str(persona_id)
    return any(key in (versions or {}) for versions in session.scalars(audits))
