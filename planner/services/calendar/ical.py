"""The editorial calendar as an iCalendar (RFC 5545) feed, built with `icalendar`.

UIDs depend only on the piece id, so a calendar client that re-fetches the feed moves an
event when its piece is rescheduled instead of showing a second one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from planner.services.calendar.plan import PiecePlan

PRODID = "-//Persona Planner//Editorial calendar//EN"
# Scheduled and published pieces are firm; ideas, drafts and reviews may still move.
_CONFIRMED = {"scheduled", "published"}


def piece_uid(piece_id: int, uid_domain: str) -> str:
    return f"piece-{piece_id}@{uid_domain}"


def _summary(piece: PiecePlan) -> str:
    return f"{piece.title} ({piece.channel})" if piece.channel else piece.title


def _description(piece: PiecePlan, persona_names: Mapping[int, str] | None) -> str:
    names = persona_names or {}
    personas = ", ".join(names.get(i, f"#{i}") for i in piece.persona_ids) or "none"
    return "\n".join(
        [
            f"Content type: {piece.content_type} ({piece.origin})",
            f"Personas: {personas}",
            f"Status: {piece.status}",
            f"Audit verdict: {piece.verdict or 'not audited'}",
        ]
    )


def build_calendar(
    pieces: Iterable[PiecePlan],
    *,
    workspace_name: str,
    uid_domain: str,
    url_for_piece: Callable[[PiecePlan], str] | None = None,
    duration_minutes: int = 30,
    persona_names: Mapping[int, str] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """Return one VEVENT per scheduled piece, ordered by time, as iCalendar bytes.

    `persona_names` maps persona ids to names for the description (ids are shown
    otherwise); `stamp` is the DTSTAMP, the moment the feed is generated (default now),
    a parameter so the output can be reproduced.
    """
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", workspace_name)
    scheduled = [p for p in pieces if p.scheduled_at is not None]
    for piece in sorted(scheduled, key=lambda p: (p.scheduled_at, p.id)):
        assert piece.scheduled_at is not None
        event = Event()
        event.add("uid", piece_uid(piece.id, uid_domain))
        event.add("dtstamp", stamp)
        event.add("dtstart", piece.scheduled_at.astimezone(UTC))
        event.add("duration", timedelta(minutes=duration_minutes))
        event.add("summary", _summary(piece))
        event.add("description", _description(piece, persona_names))
        categories = [piece.content_type, piece.origin] + ([piece.channel] if piece.channel else [])
        event.add("categories", categories)
        event.add("status", "CONFIRMED" if piece.status in _CONFIRMED else "TENTATIVE")
        if url_for_piece is not None:
            event.add("url", url_for_piece(piece))
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()  # unannotated in icalendar
    return ical
