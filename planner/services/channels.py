"""Channels: where a workspace publishes, and how far apart two posts on one must be."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.errors import Conflict, ValidationError
from planner.models import CHANNEL_KINDS, Channel, Piece
from planner.models.channel import channel_key
from planner.services.access import Actor, get_scoped, scoped

FIELDS = ("name", "kind", "min_gap_minutes")
MAX_NAME = 80
MAX_GAP_MINUTES = 30 * 24 * 60  # a month; a longer gap is a typo, not a schedule


def list_channels(session: Session, actor: Actor) -> list[Channel]:
    return list(session.scalars(scoped(Channel, actor.workspace_id).order_by(Channel.name)))


def get_channel(session: Session, actor: Actor, channel_id: Any) -> Channel:
    return get_scoped(session, Channel, actor.workspace_id, channel_id, "channel")


def find_channel(session: Session, workspace_id: int, name: str) -> Channel | None:
    """The workspace's channel called `name`, ignoring case in any script and spacing
    (`LinkedIn` is `linkedin`, `Überblick` is `überblick`), by the unique `name_key`."""
    query = scoped(Channel, workspace_id).where(Channel.name_key == channel_key(name))
    return session.scalar(query)


def _whole_minutes(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _validated(
    session: Session, actor: Actor, data: Any, channel: Channel | None
) -> dict[str, Any]:
    """Check a whole (create) or partial (update) channel document; all errors at once."""
    if not isinstance(data, dict):
        raise ValidationError("The channel must be a JSON object.", {"": "must be an object"})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key in data:
        if key not in FIELDS and key not in ("id", "pieces"):
            errors[key] = f"unknown field; channels have {', '.join(FIELDS)}"
    if "name" in data or channel is None:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            errors["name"] = "is required"
        elif len(name.strip()) > MAX_NAME:
            errors["name"] = f"at most {MAX_NAME} characters"
        else:
            values["name"] = " ".join(name.split())
            clash = find_channel(session, actor.workspace_id, values["name"])
            if clash is not None and clash is not channel:
                raise Conflict(
                    f"A channel named {clash.name!r} already exists in this workspace.",
                    {"name": "already taken"},
                )
    if "kind" in data or channel is None:
        kind = data.get("kind", "other")
        if kind not in CHANNEL_KINDS:
            errors["kind"] = f"must be one of {', '.join(CHANNEL_KINDS)}"
        else:
            values["kind"] = kind
    if "min_gap_minutes" in data or channel is None:
        gap = _whole_minutes(data.get("min_gap_minutes", 0))
        if gap is None:
            errors["min_gap_minutes"] = "must be a whole number of minutes"
        elif not 0 <= gap <= MAX_GAP_MINUTES:
            errors["min_gap_minutes"] = f"must be between 0 and {MAX_GAP_MINUTES:,} minutes"
        else:
            values["min_gap_minutes"] = gap
    if errors:
        first = next(iter(errors))
        raise ValidationError(f"Check the channel's {first or 'fields'}.", errors)
    return values


def create_channel(session: Session, actor: Actor, data: Any) -> Channel:
    actor.require("editor", "add channels")
    channel = Channel(workspace_id=actor.workspace_id, **_validated(session, actor, data, None))
    session.add(channel)
    session.flush()
    return channel


def update_channel(session: Session, actor: Actor, channel: Channel, changes: Any) -> Channel:
    """Change some fields; the pieces on the channel keep pointing at it (by id)."""
    actor.require("editor", "edit channels")
    for key, value in _validated(session, actor, changes, channel).items():
        setattr(channel, key, value)
    session.flush()
    return channel


def pieces_on(session: Session, channel: Channel) -> int:
    query = select(func.count(Piece.id)).where(Piece.channel_id == channel.id)
    return session.scalar(query) or 0


def piece_counts(session: Session, actor: Actor) -> dict[int, int]:
    """How many pieces each channel of the workspace carries, for the channels page."""
    rows = session.execute(
        select(Piece.channel_id, func.count(Piece.id))
        .where(Piece.workspace_id == actor.workspace_id, Piece.channel_id.is_not(None))
        .group_by(Piece.channel_id)
    )
    # (`channel_id is not None` is the query's filter again, for the type checker.)
    return {channel_id: count for channel_id, count in rows if channel_id is not None}


def delete_channel(session: Session, actor: Actor, channel: Channel) -> None:
    """Delete an unused channel; one that pieces are on is a conflict, never a silent unlink."""
    actor.require("editor", "delete channels")
    in_use = pieces_on(session, channel)
    if in_use:
        raise Conflict(
            f"{in_use} piece{'s are' if in_use != 1 else ' is'} on {channel.name}; "
            "move them to another channel first.",
            {"pieces": in_use},
        )
    session.delete(channel)
    session.flush()


def channel_json(channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.id,
        "name": channel.name,
        "kind": channel.kind,
        "min_gap_minutes": channel.min_gap_minutes,
    }
