"""The editorial calendar over the database: rows become plan dataclasses for the pure rules.

The rules (`services/calendar`) decide; this module only loads the workspace's rows,
adapts them, and hands back findings and slots. It loads more pieces than the range
asked for, on purpose: week rules count whole persona-local weeks (up to a week either
side, in any zone), and suggestions look up to `SUGGEST_HORIZON_DAYS` ahead of now, so
both must see the pieces already planned there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, cast

from sqlalchemy.orm import Session

from planner.errors import ValidationError
from planner.models import Channel, Persona, Piece, Workspace
from planner.services import accounts
from planner.services.access import Actor, get_scoped, scoped
from planner.services.accounts import workspace_of
from planner.services.calendar import (
    CalendarSettings,
    ChannelPlan,
    Finding,
    PersonaPlan,
    PiecePlan,
    Window,
    check_calendar,
    suggest_slot,
)
from planner.services.calendar.loading import piece_plans
from planner.services.calendar.plan import Origin, PersonaKind, Verdict
from planner.services.calendar.room import PlannedPieces, room_for
from planner.services.clock import local_monday, week_start
from planner.services.engagement import best_times_service
from planner.services.mix import service as mix_service
from planner.services.pieces import overrides
from planner.services.pieces import service as piece_service

if TYPE_CHECKING:
    from planner.services.mix.rules import MixResult, Room
    from planner.services.mix.service import RoomScope

SUGGEST_HORIZON_DAYS = 60
# A persona-local week overlapping the range starts at most 7 days (plus the widest UTC
# offset) before it and ends as long after.
WEEK_MARGIN = timedelta(days=8)
SEVERITY_ORDER = ("error", "warn", "info")


# --- adapters: rows -> plan dataclasses -------------------------------------------------


def persona_plan(persona: Persona) -> PersonaPlan:
    """Adapt a persona row; its `posting_windows` JSON is the persona file's window shape."""
    try:
        windows = tuple(
            Window.parse(w["days"], w["start"], w["end"]) for w in persona.posting_windows or ()
        )
        return PersonaPlan(
            id=persona.id,
            name=persona.name,
            kind=cast(PersonaKind, persona.kind),  # the plan checks it
            timezone=persona.timezone or "UTC",
            windows=windows,
            min_per_week=persona.cadence_min,
            max_per_week=persona.cadence_max,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            f"Persona {persona.name!r} has a posting window or cadence the calendar cannot "
            f"read ({error}); fix it on the persona's page.",
            {"posting_windows": str(error)},
        ) from error


def channel_plan(channel: Channel) -> ChannelPlan:
    return ChannelPlan(name=channel.name, min_gap_minutes=channel.min_gap_minutes or 0)


def piece_plan(piece: Piece) -> PiecePlan:
    """Adapt a piece row; the verdict is the latest audit's, which the row keeps.

    An owner's override in force travels as `approved_by`/`approval_reason`, so the
    calendar treats the block as decided rather than as an error still to fix.
    """
    approved = overrides.in_force(piece)
    # The row's strings are typed `str`; the plan checks `origin` and `verdict` itself.
    return PiecePlan(
        id=piece.id,
        title=piece.title,
        channel=piece.channel.name if piece.channel is not None else None,
        content_type=piece.content_type,
        origin=cast(Origin, piece.origin),
        persona_ids=tuple(p.id for p in piece.target_personas),
        scheduled_at=piece.scheduled_at,
        status=piece.status,
        verdict=cast(Verdict | None, piece.verdict),
        approved_by=overrides.who(piece.overrider) if approved else None,
        approval_reason=piece.override_reason if approved else None,
    )


def calendar_settings(workspace: Workspace) -> CalendarSettings:
    return CalendarSettings(
        timezone=accounts.zone_name(workspace),
        variety_max_share=workspace.variety_max_share,
        mix_target=workspace.mix_target,
        mix_tolerance=workspace.mix_tolerance,
    )


def weekly_mix(
    session: Session,
    actor: Actor,
    start: datetime,
    end: datetime,
    now: datetime,
    data: CalendarData | None = None,
) -> dict[date, MixResult] | None:
    """Return the mix per workspace-local week for the `mix` rule, or None to skip it.

    The one place the calendar calls the mix service; weeks already over are left out.
    `data`, the caller's own load, spares the advice loading the calendar again.
    """
    scope = mix_room(session, actor, now, data) if data is not None else None
    return mix_service.weekly_mix_by_monday(session, actor, start, end, now, scope=scope)


# --- loading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarData:
    """Everything the rules need for one check, adapted once."""

    settings: CalendarSettings
    personas: tuple[PersonaPlan, ...]
    channels: tuple[ChannelPlan, ...]
    pieces: tuple[PiecePlan, ...]
    # The pieces are those with a time in [since, until).
    since: datetime | None = None
    until: datetime | None = None

    def persona(self, persona_id: int | None) -> PersonaPlan | None:
        return next((p for p in self.personas if p.id == persona_id), None)


def load_calendar(
    session: Session, actor: Actor, start: datetime, end: datetime, now: datetime
) -> CalendarData:
    """Load personas, channels and every piece the rules and suggestions may look at."""
    workspace = workspace_of(session, actor.workspace_id)
    personas = session.scalars(
        scoped(Persona, actor.workspace_id).where(Persona.archived_at.is_(None))
    )
    channels = session.scalars(scoped(Channel, actor.workspace_id))
    since = min(start, now) - WEEK_MARGIN
    until = max(end, now + timedelta(days=SUGGEST_HORIZON_DAYS)) + WEEK_MARGIN
    return CalendarData(
        settings=calendar_settings(workspace),
        personas=tuple(persona_plan(p) for p in personas),
        channels=tuple(channel_plan(c) for c in channels),
        pieces=piece_plans(session, actor.workspace_id, since, until),
        since=since,
        until=until,
    )


def check_loaded(
    data: CalendarData,
    start: datetime,
    end: datetime,
    now: datetime,
    mix: dict[date, MixResult] | None,
) -> list[Finding]:
    """Run the rules over already loaded data (pages reuse the load for their entries)."""
    return check_calendar(
        data.pieces,
        data.personas,
        data.channels,
        data.settings,
        start=start,
        end=end,
        now=now,
        mix=mix,
    )


def calendar_findings(
    session: Session, actor: Actor, start: datetime, end: datetime, now: datetime
) -> list[Finding]:
    """Run every calendar rule over the workspace's pieces in [start, end)."""
    require_aware(start=start, end=end, now=now)
    data = load_calendar(session, actor, start, end, now)
    mix = weekly_mix(session, actor, start, end, now, data)
    return check_loaded(data, start, end, now, mix)


def mix_room(
    session: Session, actor: Actor, now: datetime, data: CalendarData | None = None
) -> RoomScope:
    """The room the mix advice may ask for: how many new pieces fit, by the slot rules.

    `planner.hooks` hands this to the mix service (`set_room_finder`), which sits below
    the calendar. The calendar is loaded once, on the first advice that needs a number,
    and its pieces indexed once for every question (`PlannedPieces`); a page passes its
    own load as `data`, used when it holds every piece that load would. A persona or
    channel the calendar does not plan for (archived) is not capped.
    """
    loaded: list[tuple[CalendarData, PlannedPieces]] = []

    def scope(
        start: datetime, until: datetime, channel: str | None, persona: int | None
    ) -> Room | None:
        if not loaded:
            found = _within(data, now, until) or load_calendar(session, actor, now, until, now)
            loaded.append((found, PlannedPieces(found.pieces)))
        data_, planned = loaded[0]
        targets = None if persona is None else [p for p in data_.personas if p.id == persona]
        on = None if channel is None else [c for c in data_.channels if c.name == channel]
        if targets == [] or on == []:
            return None

        def room(wanted: int) -> tuple[int, str]:
            return room_for(
                wanted,
                data_.personas,
                data_.channels,
                planned,
                now=start,
                until=until,
                targets=targets,
                on=on,
            )

        return room

    return scope


def _within(data: CalendarData | None, now: datetime, until: datetime) -> CalendarData | None:
    """What `load_calendar(..., now, until, now)` would load, cut from a wider load; None
    when `data` does not hold all of it."""
    if data is None or data.since is None or data.until is None:
        return None
    since = now - WEEK_MARGIN
    last = max(until, now + timedelta(days=SUGGEST_HORIZON_DAYS)) + WEEK_MARGIN
    if not (data.since <= since and last <= data.until):
        return None
    pieces = tuple(p for p in data.pieces if p.scheduled_at and since <= p.scheduled_at < last)
    return replace(data, pieces=pieces, since=since, until=last)


# --- slots and moves -------------------------------------------------------------------


def suggest_slot_for(
    session: Session, actor: Actor, piece_id: int, now: datetime
) -> datetime | None:
    """Return the first good time for a stored piece at or after its planned time.

    Looking from the planned time, not from now, keeps a piece near where the editor put
    it, and leaves a piece that is already in a good slot where it is. A piece without a
    time, or one whose time has passed, is placed from `now`. None: nothing good within
    `SUGGEST_HORIZON_DAYS`. When a target persona's results rank its hours (best times),
    a higher-ranked hour in the week ahead wins over the earliest good time.
    """
    require_aware(now=now)
    piece = get_scoped(session, Piece, actor.workspace_id, piece_id, "piece")
    after = max(now, piece.scheduled_at) if piece.scheduled_at is not None else now
    data = load_calendar(session, actor, after, after, after)
    plan = piece_plan(piece)
    return suggest_slot(
        plan,
        data.personas,
        data.channels,
        data.pieces,
        now=after,
        horizon_days=SUGGEST_HORIZON_DAYS,
        ranked_hours=best_times_service.hour_ranks(session, actor.workspace_id, plan.persona_ids),
    )


def suggest_slot_for_new_piece(
    session: Session,
    actor: Actor,
    *,
    channel: str | None,
    persona_ids: list[int] | tuple[int, ...],
    content_type: str,
    now: datetime,
) -> datetime | None:
    """Return the next good time for a piece not created yet (curation calls this).

    The earliest good time from now, this week first (the workspace's week, the one the
    mix gauge counts): a time this week that suits one target persona beats one next
    week that suits them all. The channel is named as in the pieces API; an unknown
    channel or persona of another workspace is a ValidationError, as it would be when
    the piece is saved.
    """
    require_aware(now=now)
    data = load_calendar(session, actor, now, now, now)
    if channel and channel not in {c.name for c in data.channels}:
        raise ValidationError(f"No channel named {channel!r} here.", {"channel": "unknown channel"})
    known = {p.id for p in data.personas}
    unknown = [i for i in persona_ids if i not in known]
    if unknown:
        raise ValidationError(
            f"No persona with id {unknown[0]} in this workspace.",
            {"target_personas": "unknown persona"},
        )
    # Id 0 is never a row's, so every stored piece counts as "another piece".
    draft = PiecePlan(
        id=0,
        title="(new piece)",
        channel=channel or None,
        content_type=content_type,
        origin="own",
        persona_ids=tuple(persona_ids),
    )
    zone = data.settings.zone
    return suggest_slot(
        draft,
        data.personas,
        data.channels,
        data.pieces,
        now=now,
        horizon_days=SUGGEST_HORIZON_DAYS,
        prefer_before=week_start(local_monday(now, zone) + timedelta(days=7), zone),
        ranked_hours=best_times_service.hour_ranks(session, actor.workspace_id, persona_ids),
    )


def reschedule(session: Session, actor: Actor, piece_id: int, when: datetime) -> Piece:
    """Move a piece to `when` through the pieces service, so its roles and audits apply."""
    require_aware(when=when)
    piece = piece_service.get_piece(session, actor, piece_id)
    piece_service.update_piece(session, actor, piece, {"scheduled_at": when})
    return piece


def require_aware(**times: datetime) -> None:
    for name, value in times.items():
        if value.utcoffset() is None:
            raise ValueError(f"{name} needs a time zone")
