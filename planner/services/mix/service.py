"""The curated-versus-own mix of a workspace, over the database.

The arithmetic (window, status, advice) lives in `mix.rules`; this module loads the
workspace's scheduled and published pieces once, adapts them to `MixPiece`, and asks
`mix.rules` for the rolling window, the per-channel and per-persona breakdowns, and the
week-by-week results the dashboard chart and the calendar's `mix` rule show.

How many pieces still fit before Sunday is the calendar's to say (cadence caps, channel
gaps, posting windows), and the calendar sits above the mix: `planner.hooks` hands its
answer in with `set_room_finder` (`calendar.service.mix_room`), as `personas.refs` does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import ValidationError
from planner.models import Channel, Persona, Piece, piece_persona
from planner.services import accounts
from planner.services.access import Actor, scoped
from planner.services.accounts import workspace_of
from planner.services.channels import find_channel
from planner.services.clock import local_monday, week_start
from planner.services.mix.rules import (
    WINDOW_DAYS,
    MixPiece,
    MixResult,
    Origin,
    Room,
    compute_mix,
    end_of_week,
)

# (start, until, channel name, persona id) -> the room for new pieces in [start, until)
# on that channel for that persona (None: any), or None when the calendar cannot say.
RoomScope = Callable[[datetime, datetime, str | None, int | None], Room | None]
RoomFinder = Callable[[Session, Actor, datetime], RoomScope]
_room_finders: list[RoomFinder] = []

# Ideas, drafts and pieces in review are not in the mix, even with a date.
COUNTED_STATUSES = ("scheduled", "published")
DEFAULT_WINDOW = 30
NO_CHANNEL = "(no channel)"


@dataclass(frozen=True)
class MixSettings:
    """The workspace's target, tolerance and zone (its week runs Monday to Sunday there)."""

    target: float
    tolerance: float
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class BreakdownRow:
    """The mix of one channel or one persona."""

    label: str
    result: MixResult


@dataclass(frozen=True)
class MixOverview:
    """The rolling-window mix overall and broken down, from one load of the pieces."""

    overall: MixResult
    by_channel: list[BreakdownRow]
    by_persona: list[BreakdownRow]


@dataclass(frozen=True)
class WeekMix:
    """One workspace-local week (Monday to Sunday) of the chart."""

    monday: date
    result: MixResult
    current: bool
    future: bool


def set_room_finder(finder: RoomFinder) -> None:
    """Let the calendar say how many new pieces fit (called once by `hooks.wire`)."""
    _room_finders[:] = [finder]


def _no_room(start: datetime, until: datetime, channel: str | None, persona: int | None) -> None:
    return None


def room_scope(session: Session, actor: Actor, now: datetime) -> RoomScope:
    """The calendar's room for this workspace, or no cap when nothing was wired."""
    return _room_finders[0](session, actor, now) if _room_finders else _no_room


def settings_of(session: Session, actor: Actor) -> MixSettings:
    workspace = workspace_of(session, actor.workspace_id)
    return MixSettings(
        target=workspace.mix_target,
        tolerance=workspace.mix_tolerance,
        timezone=accounts.zone_name(workspace),
    )


def check_window(value: Any) -> int:
    """Read a window in days (7, 30 or 90); anything else is a 422 naming `window`."""
    if value is None or value == "":
        return DEFAULT_WINDOW
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or int(text) not in WINDOW_DAYS:
        raise ValidationError(
            f"The window must be {', '.join(map(str, WINDOW_DAYS[:-1]))} or "
            f"{WINDOW_DAYS[-1]} days.",
            {"window": f"must be one of {', '.join(map(str, WINDOW_DAYS))}"},
        )
    return int(text)


def resolve_channel(session: Session, actor: Actor, name: str | None) -> str | None:
    """The stored name of the workspace's channel called `name` (any case); None for none."""
    if name is None or not name.strip():
        return None
    channel = find_channel(session, actor.workspace_id, name)
    if channel is None:
        raise ValidationError(
            f"No channel named {name.strip()!r} in this workspace.",
            {"channel": f"no channel named {name.strip()!r} in this workspace"},
        )
    return channel.name


def resolve_persona(session: Session, actor: Actor, value: int | str | None) -> Persona | None:
    """The workspace's persona with this id or name (any case, archived too); None for none.

    Archived personas are allowed: their past pieces still count in the mix.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    wanted = str(value).strip()
    rows = session.scalars(scoped(Persona, actor.workspace_id))
    persona = next(
        (p for p in rows if str(p.id) == wanted or p.name.casefold() == wanted.casefold()),
        None,
    )
    if persona is None:
        raise ValidationError(
            f"No persona {wanted!r} in this workspace.",
            {"persona": f"no persona {wanted!r} in this workspace"},
        )
    return persona


def mix_pieces(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> list[MixPiece]:
    """Scheduled and published pieces of the workspace with a time in [since, until)."""
    counted = (
        scoped(Piece, workspace_id)
        .where(Piece.status.in_(COUNTED_STATUSES))
        .where(Piece.scheduled_at >= since, Piece.scheduled_at < until)
    )
    rows = session.execute(
        counted.with_only_columns(
            Piece.id, Piece.scheduled_at, Piece.origin, Channel.name
        ).outerjoin(Channel, Channel.id == Piece.channel_id)
    ).all()
    links = session.execute(
        select(piece_persona.c.piece_id, piece_persona.c.persona_id).where(
            piece_persona.c.piece_id.in_(counted.with_only_columns(Piece.id))
        )
    )
    targets: dict[int, list[int]] = defaultdict(list)
    for piece_id, persona_id in links:
        targets[piece_id].append(persona_id)
    # `scheduled_at` is not NULL (the range filter excludes it); `MixPiece` checks `origin`.
    return [
        MixPiece(
            scheduled_at=cast(datetime, scheduled_at),
            origin=cast(Origin, origin),
            channel=channel,
            persona_ids=tuple(sorted(targets[piece_id])),
        )
        for piece_id, scheduled_at, origin, channel in rows
    ]


def _window(now: datetime, window_days: int, settings: MixSettings) -> tuple[datetime, datetime]:
    return now - timedelta(days=window_days), end_of_week(now, settings.timezone)


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.utcoffset() is None:
        raise ValueError("now needs a time zone")
    return now.astimezone(UTC)


def workspace_mix(
    session: Session,
    actor: Actor,
    *,
    window_days: int = DEFAULT_WINDOW,
    channel: str | None = None,
    persona: int | str | None = None,
    now: datetime | None = None,
) -> MixResult:
    """The workspace's mix over the last `window_days` days plus the rest of this week.

    `channel` is a channel name and `persona` a persona id or name, as the API takes
    them; an unknown one is a ValidationError naming the argument.
    """
    window_days = check_window(window_days)
    channel_name = resolve_channel(session, actor, channel)
    chosen = resolve_persona(session, actor, persona)
    now = _now(now)
    settings = settings_of(session, actor)
    since, until = _window(now, window_days, settings)
    persona_id = chosen.id if chosen is not None else None
    return compute_mix(
        mix_pieces(session, actor.workspace_id, since, until),
        now=now,
        window_days=window_days,
        target=settings.target,
        tolerance=settings.tolerance,
        channel=channel_name,
        persona=persona_id,
        week_end=until,
        room=room_scope(session, actor, now)(now, until, channel_name, persona_id),
    )


def mix_overview(
    session: Session,
    actor: Actor,
    *,
    window_days: int = DEFAULT_WINDOW,
    now: datetime | None = None,
) -> MixOverview:
    """The mix overall, per channel and per active buyer persona (the dashboard's panel).

    Channels and personas with nothing in the window are listed too (as "no content"),
    so an editor sees which ones carry nothing at all.
    """
    window_days = check_window(window_days)
    now = _now(now)
    settings = settings_of(session, actor)
    since, until = _window(now, window_days, settings)
    pieces = mix_pieces(session, actor.workspace_id, since, until)
    scope = room_scope(session, actor, now)

    def mix(selected: Iterable[MixPiece] = pieces, **narrow: Any) -> MixResult:
        return compute_mix(
            selected,
            now=now,
            window_days=window_days,
            target=settings.target,
            tolerance=settings.tolerance,
            week_end=until,
            room=scope(now, until, narrow.get("channel"), narrow.get("persona")),
            **narrow,
        )

    channels = session.scalars(scoped(Channel, actor.workspace_id).order_by(Channel.name))
    by_channel = [BreakdownRow(c.name, mix(channel=c.name)) for c in channels]
    unassigned = [p for p in pieces if p.channel is None]
    if unassigned:
        by_channel.append(BreakdownRow(NO_CHANNEL, mix(unassigned)))
    personas = session.scalars(
        scoped(Persona, actor.workspace_id)
        .where(Persona.kind == "buyer", Persona.archived_at.is_(None))
        .order_by(Persona.name)
    )
    by_persona = [BreakdownRow(p.name, mix(persona=p.id)) for p in personas]
    return MixOverview(mix(), by_channel, by_persona)


def _week_mix(
    pieces: Sequence[MixPiece],
    monday: date,
    settings: MixSettings,
    now: datetime | None = None,
    scope: RoomScope = _no_room,
) -> tuple[MixResult, datetime, datetime]:
    """The mix of one whole local week, however long daylight saving makes it.

    Its advice counts the room left in the week from `now` (from its start, if later).
    """
    start = week_start(monday, settings.zone)
    end = week_start(monday + timedelta(days=7), settings.zone)
    room = scope(max(start, now), end, None, None) if now is not None and end > now else None
    inside = [p for p in pieces if start <= p.scheduled_at < end]
    # compute_mix counts [now - 7 days, week_end); with the week's own pieces only, putting
    # `now` 7 days after the start (or at the end of a 167-hour week) counts all of them.
    result = compute_mix(
        inside,
        now=min(end, start + timedelta(days=7)),
        window_days=7,
        target=settings.target,
        tolerance=settings.tolerance,
        week_end=end,
        room=room,
    )
    return result, start, end


def weekly_mix_series(
    session: Session,
    actor: Actor,
    weeks: int = 8,
    now: datetime | None = None,
    ahead: int = 2,
    *,
    room: bool = True,
) -> list[WeekMix]:
    """The last `weeks` local weeks (this one included) and the next `ahead`, oldest first.

    `room=False` leaves the calendar out of each week's advice (it then does not say how
    much still fits): finding free slots week by week is most of the cost, and a chart of
    counts does not show advice.
    """
    if weeks < 1 or ahead < 0:
        raise ValueError("weeks must be at least 1 and ahead at least 0")
    now = _now(now)
    settings = settings_of(session, actor)
    this_monday = local_monday(now, settings.zone)
    mondays = [this_monday + timedelta(days=7 * i) for i in range(1 - weeks, ahead + 1)]
    since = week_start(mondays[0], settings.zone)
    until = week_start(mondays[-1] + timedelta(days=7), settings.zone)
    pieces = mix_pieces(session, actor.workspace_id, since, until)
    scope = room_scope(session, actor, now) if room else _no_room
    series = []
    for monday in mondays:
        result, _, _ = _week_mix(pieces, monday, settings, now, scope)
        series.append(WeekMix(monday, result, monday == this_monday, monday > this_monday))
    return series


def weekly_mix_by_monday(
    session: Session,
    actor: Actor,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    scope: RoomScope | None = None,
) -> dict[date, MixResult]:
    """The mix of each local week overlapping [start, end) that is not over yet.

    This is what the calendar's `mix` rule reads. Weeks that ended before `now` are left
    out: their advice ("schedule 3 more by Sunday") can no longer be followed. `scope`
    is the calendar's room when it has one at hand (else the wired one, `room_scope`).
    """
    now = _now(now)
    settings = settings_of(session, actor)
    if end <= start:
        return {}
    first = local_monday(start, settings.zone)
    last = local_monday(end - timedelta(microseconds=1), settings.zone)
    mondays = [first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]
    since = week_start(mondays[0], settings.zone)
    until = week_start(mondays[-1] + timedelta(days=7), settings.zone)
    pieces = mix_pieces(session, actor.workspace_id, since, until)
    scope = scope or room_scope(session, actor, now)
    results = {}
    for monday in mondays:
        result, _, week_end = _week_mix(pieces, monday, settings, now, scope)
        if week_end > now:
            results[monday] = result
    return results
