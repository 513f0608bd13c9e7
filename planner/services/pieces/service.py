"""Pieces (drafts and scheduled posts): list, read, create, change and delete them.

Every save asks the state table first (`states`: published pieces are history), then
audits the piece (`piece_audits`), takes an owner's override sent with the save, and
applies the publishing gate (`piece_review`), so the API, the editor, the calendar,
curation and anything else that saves pieces share one rule. Roles: any member reads,
editors write, owners override and unpublish.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, load_only, selectinload

from planner.errors import ValidationError
from planner.models import (
    PIECE_STATUSES,
    VERDICTS,
    FindingDismissal,
    Persona,
    Piece,
    PieceAudit,
    PieceEvent,
    User,
    piece_persona,
    utcnow,
)
from planner.services import accounts, clock, versions
from planner.services.access import Actor, get_scoped, scoped
from planner.services.channels import find_channel
from planner.services.personas.schema import CONTENT_TYPES
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import overrides, states
from planner.services.pieces import review as piece_review
from planner.services.pieces.input import SAVE_OPTIONS, parse_instant, validate_piece


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
    problem = clock.year_problem(day)
    if problem:
        raise ValidationError(f"Check '{field}'.", {field: problem})
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


# Sort keys of the lists (`?sort=`, a leading "-" for newest/last first); each fits an index
# of migration 0008, with the id as a tie-break so pages never overlap.
SORTS = {
    "updated": Piece.updated_at,
    "created": Piece.created_at,
    "scheduled": Piece.scheduled_at,
    "title": Piece.title,
}
DEFAULT_SORT = "-updated"
# What the drafts page shows of a piece: no body, no summary text, no override details.
BRIEF_COLUMNS = (
    Piece.id,
    Piece.workspace_id,
    Piece.title,
    Piece.content_type,
    Piece.origin,
    Piece.channel_id,
    Piece.status,
    Piece.scheduled_at,
    Piece.verdict,
    Piece.override_at,
    Piece.created_at,
    Piece.updated_at,
    Piece.assignee_id,
)


def parse_sort(value: str | None) -> str:
    """A list's sort argument: one of `SORTS`, optionally with a leading "-"; 422 otherwise."""
    text = (value or "").strip() or DEFAULT_SORT
    if text.removeprefix("-") not in SORTS:
        choices = ", ".join(f"{key}, -{key}" for key in SORTS)
        raise ValidationError("Check 'sort'.", {"sort": f"must be one of {choices}"})
    return text


def _order(sort: str) -> list[Any]:
    column = SORTS[sort.removeprefix("-")]
    if sort.startswith("-"):
        return [column.desc(), Piece.id.desc()]
    return [column.asc(), Piece.id.asc()]


def _rows(session: Session, query: Select, sort: str, limit: int | None, offset: int) -> list:
    """One page in `sort` order. By scheduled time, unscheduled pieces come after the
    scheduled ones either way: two index-ordered queries, not a `NULLS LAST` sort that
    neither database can read from the index (and whose default differs between them)."""
    if sort.removeprefix("-") != "scheduled":
        page = query.order_by(*_order(sort)).offset(offset)
        return list(session.scalars(page if limit is None else page.limit(limit)))
    timed = query.where(Piece.scheduled_at.is_not(None)).order_by(*_order(sort))
    rows = list(
        session.scalars(
            timed.offset(offset) if limit is None else timed.offset(offset).limit(limit)
        )
    )
    if limit is not None and len(rows) == limit:
        return rows
    skipped = 0
    if offset:
        count = select(func.count()).select_from(timed.order_by(None).subquery())
        skipped = max(0, offset - (session.scalar(count) or 0))
    untimed = query.where(Piece.scheduled_at.is_(None)).order_by(Piece.id.desc()).offset(skipped)
    if limit is not None:
        untimed = untimed.limit(limit - len(rows))
    return rows + list(session.scalars(untimed))


def list_pieces(
    session: Session,
    actor: Actor,
    filters: PieceFilters = PieceFilters(),
    *,
    limit: int | None = None,
    offset: int = 0,
    sort: str = DEFAULT_SORT,
    brief: bool = False,
) -> tuple[list[Piece], int]:
    """The workspace's pieces that pass `filters` in `sort` order (see `SORTS`), and the total.

    `brief` loads only what the drafts page shows (`BRIEF_COLUMNS`, the channel and the
    target personas); the API's full documents need the rest.
    """
    query = _filtered(actor, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if brief:
        query = query.options(
            load_only(*BRIEF_COLUMNS),
            selectinload(Piece.channel),
            selectinload(Piece.target_personas),
            selectinload(Piece.assignee),
        )
    else:
        query = query.options(
            selectinload(Piece.channel),
            selectinload(Piece.target_personas),
            selectinload(Piece.dismissals).selectinload(FindingDismissal.persona),
            selectinload(Piece.overrider),
            selectinload(Piece.events).selectinload(PieceEvent.user),
            selectinload(Piece.assignee),
        )
    return _rows(session, query, sort, limit, offset), total


def stale_ids(session: Session, actor: Actor, pieces: list[Piece]) -> set[int]:
    """Which of `pieces` wait for a re-audit ("re-audit pending")."""
    current = piece_audits.current_versions(session, actor.workspace_id)
    audited = piece_audits.latest_versions(session, [p.id for p in pieces])
    return {p.id for p in pieces if piece_audits.is_stale(p, audited.get(p.id), current)}


def count_stale(session: Session, actor: Actor) -> int:
    """How many unpublished pieces of the workspace wait for a re-audit."""
    return piece_audits.count_stale(session, actor.workspace_id)


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


def _split_options(data: Any) -> tuple[Any, dict[str, Any]]:
    """Separate save options (`override_reason`) from the piece's own fields."""
    if not isinstance(data, dict):
        return data, {}
    fields = {k: v for k, v in data.items() if k not in SAVE_OPTIONS}
    return fields, {k: data[k] for k in SAVE_OPTIONS if k in data}


def _changed(piece: Piece, values: dict[str, Any]) -> set[str]:
    """The fields whose new value differs from the piece's (sending a field back is no change)."""
    changed = set()
    for key, value in values.items():
        if key == "channel":
            current: Any = piece.channel
        elif key == "target_personas":
            current, value = {p.id for p in piece.target_personas}, {p.id for p in value}
        else:
            current = getattr(piece, key)
        if current != value:
            changed.add(key)
    return changed


def _record_move(session: Session, actor: Actor, piece: Piece, before: str | None) -> None:
    """Publishing and unpublishing are history: who did it and when."""
    if piece.status == before or "published" not in (piece.status, before):
        return
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if piece.status == "published":
        kind, verb = "published", "marked it published" if before else "recorded it as published"
    else:
        kind, verb = "unpublished", f"unpublished it (back to {piece.status})"
    piece.events.append(
        PieceEvent(kind=kind, user_id=actor.user_id, message=f"{overrides.who(user)} {verb}.")
    )


def _finish_save(
    session: Session,
    actor: Actor,
    piece: Piece,
    options: dict[str, Any],
    *,
    moved: bool,
    text_changed: bool,
    had_override: bool,
) -> None:
    piece_audits.audit_piece(session, piece, trigger="save")
    lapse = None
    if had_override and not overrides.in_force(piece) and piece.events:
        last = piece.events[-1]
        lapse = last if last.kind == "override_lapsed" else None
    piece_review.override_in_save(session, actor, piece, options.get("override_reason"))
    piece_review.check_gate(session, piece, moved=moved, text_changed=text_changed, lapse=lapse)


def create_piece(session: Session, actor: Actor, data: Any) -> Piece:
    """Create a piece from a document (the API's `Piece` shape), audit it and apply the gate.

    `override_reason` (owners) approves the new piece's blocking matches in the same step.
    """
    actor.require("editor", "create pieces")
    data, options = _split_options(data)
    values = validate_piece(session, actor.workspace_id, data)
    status = values.get("status", "draft")
    states.check_change(actor, values.get("title", ""), None, status, values.keys())
    if status == "published" and values.get("scheduled_at") is None:
        values["scheduled_at"] = utcnow().replace(microsecond=0)
    states.check_published_time(status, values.get("scheduled_at"), utcnow())
    piece = Piece(
        workspace_id=actor.workspace_id, created_by=actor.user_id, updated_by_id=actor.user_id
    )
    _assign(piece, values)
    session.add(piece)
    session.flush()
    _record_move(session, actor, piece, None)
    _finish_save(session, actor, piece, options, moved=True, text_changed=True, had_override=False)
    return piece


def update_piece(
    session: Session,
    actor: Actor,
    piece: Piece,
    changes: Any,
    *,
    expected_version: int | None = None,
) -> Piece:
    """Change some fields; re-audit only when the audit's inputs changed, then apply the gate.

    A published piece refuses changes to what went out (409) until an owner unpublishes it.
    With `expected_version` (what the editor or client read), a piece saved by someone else
    since is refused with `versions.StaleVersion`; a change bumps `version`.
    """
    actor.require("editor", "edit pieces")
    versions.lock(session, piece)
    versions.check(piece, expected_version, what="piece")
    changes, options = _split_options(changes)
    values = validate_piece(session, actor.workspace_id, changes, current=piece)
    before_status = piece.status
    after_status = values.get("status", before_status)
    changed = _changed(piece, values)
    states.check_change(actor, piece.title, before_status, after_status, changed)
    if after_status == "published" and before_status != "published":
        when = values.get("scheduled_at", piece.scheduled_at)
        if when is None:
            values["scheduled_at"] = utcnow().replace(microsecond=0)
        states.check_published_time(after_status, values.get("scheduled_at", when), utcnow())
    before_text = piece_audits.text_hash(piece)
    had_override = overrides.in_force(piece)
    _assign(piece, values)
    if changed:
        versions.bump(piece, actor.user_id)
    session.flush()
    _record_move(session, actor, piece, before_status)
    _finish_save(
        session,
        actor,
        piece,
        options,
        moved=piece.status != before_status,
        text_changed=piece_audits.text_hash(piece) != before_text,
        had_override=had_override,
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
