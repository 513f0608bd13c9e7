"""Best times over the database: a persona's matched results in, the pure answer out.

A result counts for a persona when the piece it matched targets that persona; with a
channel, when the result's own channel (as the file named it), else its piece's channel,
is that channel. `best_times.compute_best_times` does the arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import null, select
from sqlalchemy.orm import Session

from planner.errors import ValidationError
from planner.models import Channel, EngagementRow, Persona, Piece, piece_persona
from planner.models.channel import channel_key
from planner.services.access import Actor, scoped
from planner.services.engagement.best_times import (
    MIN_POSTS,
    BestTimes,
    BestWindow,
    compute_best_times,
    proposed_windows,
)
from planner.services.personas import service as persona_service

__all__ = [
    "MIN_POSTS",
    "BestTimesReport",
    "apply_windows",
    "best_times",
    "hour_ranks",
    "plan_windows",
]


@dataclass(frozen=True)
class BestTimesReport:
    """What the page and the API show for one persona and channel."""

    persona: Persona
    channel: str | None  # the channel as the workspace names it, None for all
    channels: tuple[str, ...]  # every channel the selector offers
    result: BestTimes

    def to_dict(self) -> dict[str, object]:
        """The API answer (`docs/contracts.md`)."""
        return {
            "persona": self.persona.name,
            "timezone": self.result.timezone,
            "enough_data": self.result.enough_data,
            "posts": self.result.posts,
            "windows": [w.to_dict() for w in self.result.windows],
        }


def best_times(
    session: Session, actor: Actor, persona_id: int, *, channel: str | None = None
) -> BestTimesReport:
    """Rate a persona's hours from the results of pieces that targeted it.

    Another workspace's persona is a NotFound; a channel that is neither one of the
    workspace's channels nor named by any imported result is a ValidationError.
    """
    persona = persona_service.get_persona(session, actor, persona_id)
    workspace_id = actor.workspace_id
    channels = select(Channel.id, Channel.name).where(Channel.workspace_id == workspace_id)
    ids = {i: name for i, name in session.execute(channels)}
    own = {channel_key(name): name for name in ids.values()}
    rows = _rows(session, workspace_id, persona.id, with_piece_channel=channel is not None)
    choices = dict(own)
    row_keys = {named: channel_key(named) for named in {row.channel for row in rows} - {None}}
    for named, key in row_keys.items():
        if key:
            choices.setdefault(key, named.strip())
    wanted = None
    if channel is not None:
        key = channel_key(channel)
        wanted = choices.get(key) or _named_by_results(session, workspace_id, key)
        if wanted is None:
            raise ValidationError(
                f"No channel named {channel[:80]!r} here.", {"channel": "unknown channel"}
            )
        keys = {i: channel_key(name) for i, name in ids.items()}
        rows = [
            r for r in rows if (row_keys[r.channel] if r.channel else keys.get(r.channel_id)) == key
        ]
    result = compute_best_times(rows, persona.timezone or "UTC")  # rows read like `Post`s
    ordered = sorted(choices.values(), key=str.casefold)
    return BestTimesReport(persona, wanted, tuple(ordered), result)


def _named_by_results(session: Session, workspace_id: int, key: str) -> str | None:
    """A channel only other personas' results name (a full scan: only for a filter)."""
    query = (
        select(EngagementRow.channel)
        .where(EngagementRow.workspace_id == workspace_id, EngagementRow.channel.is_not(None))
        .distinct()
    )
    return next((n for n in session.scalars(query) if n and channel_key(n) == key), None)


def _rows(
    session: Session, workspace_id: int, persona_id: int, *, with_piece_channel: bool
) -> list[Any]:
    """The persona's matched results; the piece's channel id only when a filter needs it.

    50,000 rows: one join to `piece_persona` (its primary key), not through `piece`, unless
    the result names no channel of its own and a filter must fall back to its piece's.
    """
    columns = [
        EngagementRow.published_at,
        EngagementRow.impressions,
        EngagementRow.engagements,
        EngagementRow.channel,
    ]
    query = select(*columns, Piece.channel_id if with_piece_channel else null().label("x"))
    query = query.join(piece_persona, piece_persona.c.piece_id == EngagementRow.piece_id)
    if with_piece_channel:
        query = query.join(Piece, Piece.id == EngagementRow.piece_id)
    query = query.where(
        EngagementRow.workspace_id == workspace_id, piece_persona.c.persona_id == persona_id
    )
    # Core rows, not ORM ones: at 50,000 rows the ORM's row handling costs a fifth more.
    return list(session.connection().execute(query).all())


def hour_ranks(
    session: Session, workspace_id: int, persona_ids: Iterable[int]
) -> dict[int, tuple[tuple[int, int], ...]]:
    """For the slot finder: each persona's suggested (weekday, hour)s, best first.

    Personas without enough results are left out, so the finder treats their windows as
    before. The persona must be the workspace's (checked in the same query).
    """
    found: dict[int, tuple[tuple[int, int], ...]] = {}
    wanted = list(persona_ids)
    if not wanted:
        return found
    for persona in session.scalars(scoped(Persona, workspace_id).where(Persona.id.in_(wanted))):
        rows = _rows(session, workspace_id, persona.id, with_piece_channel=False)
        if len(rows) < MIN_POSTS:
            continue
        ranks = compute_best_times(rows, persona.timezone or "UTC").hour_ranks()
        if ranks:
            found[persona.id] = ranks
    return found


def plan_windows(
    report: BestTimesReport, pick: int | None, mode: str
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Return the persona's windows now and after applying suggestion `pick` (None: all).

    `mode` is "add" (beside the current windows) or "replace" (instead of them).
    """
    suggested: Sequence[BestWindow] = report.result.windows
    if pick is not None:
        if not 0 <= pick < len(suggested):
            raise ValidationError(
                "That suggestion is no longer offered; look at the best times again.",
                {"window": "no such suggestion"},
            )
        suggested = [suggested[pick]]
    if not suggested:
        raise ValidationError("There is no suggested window to apply.", {"window": "none"})
    if mode not in ("add", "replace"):
        raise ValidationError("Add or replace the windows.", {"mode": "add or replace"})
    current = [dict(w) for w in report.persona.posting_windows or ()]
    return current, proposed_windows(current, suggested, replace=mode == "replace")


def apply_windows(
    session: Session,
    actor: Actor,
    persona_id: int,
    windows: list[dict[str, object]],
    *,
    expected_revision: int | None,
) -> Persona:
    """Save new posting windows through the persona service (validated, version bumped)."""
    persona = persona_service.get_persona(session, actor, persona_id)
    persona_service.patch_persona(
        session,
        actor,
        persona,
        {"posting_windows": windows},
        expected_revision=expected_revision,
    )
    return persona
