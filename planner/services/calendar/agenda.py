"""The calendar as the pages and the API show it: pieces in a range, each with its findings.

Filters only choose what is shown; the rules always run over every piece, because a
clash or a cadence count needs the other pieces even when a filter hides them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from planner.models import Piece
from planner.services.access import Actor, get_scoped
from planner.services.calendar import Finding, PersonaPlan, PiecePlan, window_intervals
from planner.services.calendar.service import (
    SEVERITY_ORDER,
    check_loaded,
    load_calendar,
    piece_plan,
    require_aware,
    weekly_mix,
)

# Rules about a whole week: their finding's `at` is the week's start.
WEEK_RULES = frozenset({"cadence", "variety", "mix"})
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar pages and feed narrow to; None means everything."""

    persona_id: int | None = None
    channel: str | None = None
    status: str | None = None
    content_type: str | None = None

    @property
    def active(self) -> bool:
        values = (self.persona_id, self.channel, self.status, self.content_type)
        return any(v is not None for v in values)

    def matches(self, piece: PiecePlan) -> bool:
        return (
            (self.persona_id is None or self.persona_id in piece.persona_ids)
            and (self.channel is None or piece.channel == self.channel)
            and (self.status is None or piece.status == self.status)
            and (self.content_type is None or piece.content_type == self.content_type)
        )


@dataclass(frozen=True)
class CalendarEntry:
    piece: PiecePlan
    persona_names: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def suggested_slot(self) -> datetime | None:
        """The first slot a finding suggests; without one the card offers no "Apply"."""
        return next((f.suggested_slot for f in self.findings if f.suggested_slot), None)

    @property
    def movable(self) -> bool:
        """A published piece's time is history: the pages offer no way to move it."""
        return self.piece.status != "published"

    @property
    def worst(self) -> str | None:
        """The most severe finding's severity, for the badge on the grid."""
        found = {f.severity for f in self.findings}
        return next((s for s in SEVERITY_ORDER if s in found), None)


@dataclass(frozen=True)
class CalendarView:
    start: datetime
    end: datetime
    entries: tuple[CalendarEntry, ...]
    findings: tuple[Finding, ...]
    windows_persona: PersonaPlan | None
    windows: tuple[tuple[datetime, datetime], ...]
    now: datetime

    @property
    def last_moment(self) -> datetime:
        return self.end - timedelta(microseconds=1)

    def is_over(self, finding: Finding) -> bool:
        """Whether what the finding is about has passed: its piece's time, or its week."""
        if finding.at is None:
            return False
        over = finding.at + (WEEK if finding.rule in WEEK_RULES else timedelta())
        return over <= self.now

    @property
    def upcoming(self) -> list[Finding]:
        return [f for f in self.findings if not self.is_over(f)]

    @property
    def earlier(self) -> list[Finding]:
        """Findings about the past: still true, but nothing to act on; pages fold them."""
        return [f for f in self.findings if self.is_over(f)]

    @property
    def severity_counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)


def calendar_view(
    session: Session,
    actor: Actor,
    start: datetime,
    end: datetime,
    now: datetime,
    filters: CalendarFilters | None = None,
) -> CalendarView:
    """Return the pieces in [start, end) that pass the filters, each with its findings.

    The rules always run over every piece (a clash needs the other piece even when a
    filter hides it); the filters only choose what is shown.
    """
    require_aware(start=start, end=end, now=now)
    filters = filters or CalendarFilters()
    data = load_calendar(session, actor, start, end, now)
    mix = weekly_mix(session, actor, start, end, now, data)
    findings = check_loaded(data, start, end, now, mix)
    by_piece: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.piece_id is not None:
            by_piece[finding.piece_id].append(finding)
    names = {p.id: p.name for p in data.personas}
    shown = [
        p
        for p in data.pieces
        if p.scheduled_at is not None and start <= p.scheduled_at < end and filters.matches(p)
    ]
    entries = tuple(
        CalendarEntry(
            piece=p,
            persona_names=tuple(names[i] for i in p.persona_ids if i in names),
            findings=tuple(by_piece.get(p.id, ())),
        )
        for p in shown
    )
    selected = data.persona(filters.persona_id)
    if filters.active:
        shown_ids = {p.id for p in shown}
        findings = [
            f
            for f in findings
            if f.piece_id in shown_ids
            or (f.piece_id is None and (selected is None or f.persona in (None, selected.name)))
        ]
    windows = window_intervals(selected, start, end) if selected is not None else []
    return CalendarView(
        start=start,
        end=end,
        entries=entries,
        findings=tuple(findings),
        windows_persona=selected,
        windows=tuple(windows),
        now=now,
    )


def piece_entry(session: Session, actor: Actor, piece_id: int, now: datetime) -> CalendarEntry:
    """Return one piece with its findings (its own, and its week's that name it)."""
    piece = get_scoped(session, Piece, actor.workspace_id, piece_id, "piece")
    at = piece.scheduled_at
    if at is not None:
        view = calendar_view(session, actor, at, at + timedelta(seconds=1), now)
        found = next((e for e in view.entries if e.piece.id == piece.id), None)
        if found is not None:
            return found
    names = tuple(p.name for p in piece.target_personas)
    return CalendarEntry(piece=piece_plan(piece), persona_names=names, findings=())
