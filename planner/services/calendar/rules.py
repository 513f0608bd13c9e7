"""The calendar rules: each a small function from plain data to findings.

Pieces without a time are ignored. Piece rules (verdict, posting_window, channel_clash,
negative_target) report pieces inside [start, end); week rules (cadence, variety, mix)
report every week that shares a calendar day with it (`CalendarContext.weeks`), counting
all pieces given, so the caller should pass the pieces of those whole weeks. Weeks run
Monday 00:00 to Sunday 24:00 on the persona's own wall calendar (the workspace's for mix).
Negative personas are not planned for: only negative_target looks at them. A published
piece's time is history: findings about it suggest no slot.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from planner.services.calendar.plan import (
    CalendarSettings,
    ChannelPlan,
    Finding,
    PersonaPlan,
    PiecePlan,
    Severity,
)
from planner.services.calendar.slots import (
    ceil_to_step,
    first_gap_free,
    in_window,
    next_window_starts,
    suggest_slot,
)
from planner.services.clock import local_monday, local_text, week_start

if TYPE_CHECKING:
    from planner.services.mix.rules import MixResult

ALTERNATIVE_TYPES = ("article", "photo", "video", "graphic")
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class CalendarContext:
    """Everything the rules read, indexed once."""

    pieces: tuple[PiecePlan, ...]  # scheduled pieces only, by time then id
    personas: Mapping[int, PersonaPlan]
    channels: Mapping[str, ChannelPlan]
    settings: CalendarSettings
    start: datetime
    end: datetime
    now: datetime

    def in_range(self, piece: PiecePlan) -> bool:
        return piece.scheduled_at is not None and self.start <= piece.scheduled_at < self.end

    def targets(self, piece: PiecePlan, kind: str = "buyer") -> list[PersonaPlan]:
        found = (self.personas.get(i) for i in piece.persona_ids)
        return [p for p in found if p is not None and p.kind == kind]

    def weeks(self) -> list[date]:
        """Return the Mondays of the weeks that share a day with the range.

        Days are compared as dates, the range's on the workspace's calendar and a week's
        as its Monday to Sunday: a range from Monday 7 Dec holds the week of 7 Dec in
        every zone, and never the week of 30 Nov, though in Los Angeles that week is
        still running at midnight in London.
        """
        if self.end <= self.start:
            return []
        zone = self.settings.zone
        first = local_monday(self.start, zone)
        last = local_monday(self.end - timedelta(microseconds=1), zone)
        return [first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]

    def pieces_by_week(self, persona: PersonaPlan) -> dict[date, list[PiecePlan]]:
        weeks: dict[date, list[PiecePlan]] = defaultdict(list)
        for piece in self.pieces:
            if persona.id in piece.persona_ids:
                weeks[local_monday(_at(piece), persona.zone)].append(piece)
        return weeks


def _at(piece: PiecePlan) -> datetime:
    assert piece.scheduled_at is not None
    return piece.scheduled_at


def _movable(piece: PiecePlan) -> bool:
    """A published piece's time is history: findings about it suggest no new slot."""
    return piece.status != "published"


def _week_text(monday: date) -> str:
    return f"the week of {monday.day} {monday:%b}"


def _count(n: int, word: str = "piece") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def verdict(ctx: CalendarContext) -> list[Finding]:
    """Flag pieces whose latest audit warned (warn) or blocked (error).

    A block an owner approved (an override in force) is a decision, not a fault: it is
    noted (info) with who approved it and why, so a CI check passes after the approval.
    """
    findings = []
    for piece in filter(ctx.in_range, ctx.pieces):
        if piece.verdict not in ("warn", "block"):
            continue
        when = local_text(_at(piece), ctx.settings.zone)
        severity: Severity = "error" if piece.verdict == "block" else "warn"
        if piece.verdict == "block" and piece.approved_by is not None:
            severity = "info"
            why = f": {piece.approval_reason}" if piece.approval_reason else ""
            message = (
                f"'{piece.title}' ({when}) is blocked by its audit; approved by "
                f"{piece.approved_by}{why}"
            )
        elif piece.verdict == "block":
            message = f"'{piece.title}' ({when}) is blocked by its audit; fix the flagged words."
        else:
            message = f"'{piece.title}' ({when}) has audit warnings; review the flagged words."
        findings.append(Finding("verdict", severity, piece.id, None, message, at=_at(piece)))
    return findings


def posting_window(ctx: CalendarContext) -> list[Finding]:
    """Flag pieces outside every posting window of a target persona, in its own zone.

    Each persona's windows are computed once for all its suggestions
    (`next_window_starts`), not once per piece.
    """
    outside: list[tuple[PiecePlan, PersonaPlan]] = []
    for piece in filter(ctx.in_range, ctx.pieces):
        for persona in ctx.targets(piece):
            if persona.windows and not in_window(persona, _at(piece)):
                outside.append((piece, persona))
    # A suggestion in the past is no use: look from now for pieces already gone by.
    floor = ceil_to_step(ctx.now, _MINUTE)
    asked: dict[int, list[datetime]] = {}
    for piece, persona in outside:
        if _movable(piece):
            asked.setdefault(persona.id, []).append(max(_at(piece), floor))
    personas = {persona.id: persona for _piece, persona in outside}
    answers = {
        pid: iter(next_window_starts(personas[pid], afters)) for pid, afters in asked.items()
    }
    findings = []
    for piece, persona in outside:
        slot = next(answers[persona.id]) if _movable(piece) else None
        windows = "; ".join(w.describe() for w in persona.windows)
        message = (
            f"{local_text(_at(piece), persona.zone)} is outside {persona.name}'s windows "
            f"({windows})"
        )
        message += f"; move it to {local_text(slot, persona.zone)}." if slot else "."
        findings.append(
            Finding("posting_window", "warn", piece.id, persona.name, message, slot, _at(piece))
        )
    return findings


def cadence(ctx: CalendarContext) -> list[Finding]:
    """Flag persona-local weeks with fewer than min_per_week or more than max_per_week."""
    findings = []
    for persona in ctx.personas.values():
        low, high = persona.min_per_week, persona.max_per_week
        if persona.kind != "buyer" or (low is None and high is None):
            continue
        by_week = ctx.pieces_by_week(persona)
        for monday in ctx.weeks():
            week, begins = by_week.get(monday, []), week_start(monday, persona.zone)
            said = f"{persona.name} has {_count(len(week))} in {_week_text(monday)}"
            if low is not None and len(week) < low:
                message = f"{said}; plan at least {low}."
                findings.append(
                    Finding("cadence", "warn", None, persona.name, message, at=begins, week=monday)
                )
            if high is not None and len(week) > high:
                # Move the week's last piece that can move: the least planned-around one.
                last = next((p for p in reversed(week) if _movable(p)), None)
                slot = None
                if last is not None:
                    slot = suggest_slot(
                        last, ctx.personas.values(), ctx.channels.values(), ctx.pieces, now=ctx.now
                    )
                message = f"{said}; plan at most {high}: move {len(week) - high} to another week."
                moved = last.id if last is not None else None
                findings.append(
                    Finding("cadence", "warn", moved, persona.name, message, slot, begins, monday)
                )
    return findings


def variety(ctx: CalendarContext) -> list[Finding]:
    """Note weeks where one content type dominates a persona's pieces (3 or more pieces)."""
    findings = []
    share = ctx.settings.variety_max_share
    for persona in ctx.personas.values():
        if persona.kind != "buyer":
            continue
        by_week = ctx.pieces_by_week(persona)
        for monday in ctx.weeks():
            week = by_week.get(monday, [])
            if len(week) < 3:
                continue
            for content_type, n in sorted(Counter(p.content_type for p in week).items()):
                if n / len(week) <= share:
                    continue
                others = [t for t in ALTERNATIVE_TYPES if t != content_type]
                message = (
                    f"{n} of {len(week)} pieces for {persona.name} in {_week_text(monday)} are "
                    f"{content_type}; mix in {', '.join(others[:-1])} or {others[-1]}."
                )
                at = week_start(monday, persona.zone)
                findings.append(
                    Finding("variety", "info", None, persona.name, message, at=at, week=monday)
                )
    return findings


def channel_clash(ctx: CalendarContext) -> list[Finding]:
    """Flag a piece posted closer than the channel's minimum gap after the previous one."""
    findings = []
    for channel in ctx.channels.values():
        gap = timedelta(minutes=channel.min_gap_minutes)
        on_channel = [p for p in ctx.pieces if p.channel == channel.name]
        if gap <= timedelta():
            continue
        for previous, piece in zip(on_channel, on_channel[1:], strict=False):
            apart = _at(piece) - _at(previous)
            if apart >= gap or not ctx.in_range(piece):
                continue
            busy = [_at(p) for p in on_channel if p is not piece]
            start = max(_at(previous) + gap, ceil_to_step(ctx.now, _MINUTE))
            slot = first_gap_free(start, busy, gap) if _movable(piece) else None
            zone = ctx.settings.zone
            message = (
                f"'{piece.title}' on {channel.name} is {_count(apart // _MINUTE, 'minute')} "
                f"after '{previous.title}' ({local_text(_at(previous), zone)}); keep at least "
                f"{_count(channel.min_gap_minutes, 'minute')} between {channel.name} posts"
            )
            message += f": move it to {local_text(slot, zone)}." if slot else "."
            findings.append(
                Finding("channel_clash", "warn", piece.id, None, message, slot, _at(piece))
            )
    return findings


def negative_target(ctx: CalendarContext) -> list[Finding]:
    """Flag pieces that target a negative persona: an error, we do not want those readers."""
    findings = []
    for piece in filter(ctx.in_range, ctx.pieces):
        for persona in ctx.targets(piece, kind="negative"):
            message = (
                f"'{piece.title}' targets {persona.name}, a negative persona; "
                "target a buyer persona instead."
            )
            findings.append(
                Finding("negative_target", "error", piece.id, persona.name, message, at=_at(piece))
            )
    return findings


def mix_balance(ctx: CalendarContext, results: Mapping[date, MixResult]) -> list[Finding]:
    """Flag weeks whose precomputed mix (keyed by workspace-local Monday) is off target."""
    findings = []
    zone = ctx.settings.zone
    for monday in ctx.weeks():
        result = results.get(monday)
        if result is None or result.status not in ("too_much_own", "too_much_curated"):
            continue
        message = f"In {_week_text(monday)}: {result.advice}"
        at = week_start(monday, zone)
        findings.append(Finding("mix", "warn", None, None, message, at=at, week=monday))
    return findings


RULES: dict[str, Callable[[CalendarContext], list[Finding]]] = {
    "verdict": verdict,
    "posting_window": posting_window,
    "cadence": cadence,
    "variety": variety,
    "channel_clash": channel_clash,
    "negative_target": negative_target,
}


def _order(finding: Finding) -> tuple:
    piece = finding.piece_id
    return (
        finding.at or datetime.min.replace(tzinfo=UTC),
        finding.rule,
        piece is None,
        piece if piece is not None else 0,
        finding.persona or "",
        finding.message,
    )


def check_calendar(
    pieces: Iterable[PiecePlan],
    personas: Iterable[PersonaPlan],
    channels: Iterable[ChannelPlan],
    settings: CalendarSettings,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    mix: Mapping[date, MixResult] | None = None,
) -> list[Finding]:
    """Run every rule over [start, end) and return the findings by time, then rule.

    `mix` maps the workspace-local Monday of each week to its MixResult; without it the
    mix rule does not run.
    """
    if start.utcoffset() is None or end.utcoffset() is None or now.utcoffset() is None:
        raise ValueError("start, end and now need a time zone")
    scheduled = sorted(
        (p for p in pieces if p.scheduled_at is not None), key=lambda p: (_at(p), p.id)
    )
    ctx = CalendarContext(
        pieces=tuple(scheduled),
        personas={p.id: p for p in personas},
        channels={c.name: c for c in channels},
        settings=settings,
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        now=now.astimezone(UTC),
    )
    findings = [finding for rule in RULES.values() for finding in rule(ctx)]
    if mix is not None:
        findings += mix_balance(ctx, mix)
    return sorted(findings, key=_order)
