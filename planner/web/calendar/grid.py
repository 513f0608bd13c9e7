"""What the calendar grid fetches and posts: events, the findings panel, cards, moves.

Reschedule forms post here too. With `Accept: application/json` (the grid's fetch) the
answer is JSON (a refused move is a 409 with the message); a plain form gets a redirect
back to the agenda, or the agenda with the error next to the field, or flashed above it
when the piece cannot move at all (a published piece).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for

from planner.errors import Conflict, ValidationError
from planner.extensions import db
from planner.services.calendar import Finding
from planner.services.calendar import agenda as calendar_agenda
from planner.services.calendar import service as calendar_service
from planner.services.calendar.agenda import CalendarEntry, CalendarView
from planner.services.clock import WallClock, parse_moment, parse_optional_moment
from planner.services.pieces import comments as piece_comments
from planner.services.pieces import service as piece_service
from planner.web.calendar import bp
from planner.web.calendar.pages import (
    agenda_page,
    filter_args,
    filter_choices,
    piece_url,
    read_filters,
    utc_now,
    view_args,
    workspace_clock,
)
from planner.web.guards import actor, member_required

EVENT_MINUTES = 30
# The grid never shows more than six weeks; this bounds the work one request can ask for.
MAX_RANGE = timedelta(days=62)
WINDOWS_RANGE = timedelta(days=7, hours=1)  # a week, even one with a DST change


def _range_from_args(clock: WallClock) -> tuple[datetime, datetime]:
    start = parse_moment(request.args.get("start"), clock.zone_name, "start")
    end = parse_moment(request.args.get("end"), clock.zone_name, "end")
    if end <= start or end - start > MAX_RANGE:
        raise ValidationError("Ask for a range of up to 62 days.", {"end": "out of range"})
    return start, end


def _visible(clock: WallClock) -> CalendarView:
    filters, _ = read_filters(filter_choices())
    start, end = _range_from_args(clock)
    return calendar_agenda.calendar_view(db.session, actor(), start, end, utc_now(), filters)


def _finding_json(finding: Finding, clock: WallClock) -> dict[str, Any]:
    body = finding.to_dict()
    body["suggested_wall"] = clock.wall(finding.suggested_slot) if finding.suggested_slot else None
    return body


def _event_json(entry: CalendarEntry, clock: WallClock, can_edit: bool) -> dict[str, Any]:
    piece = entry.piece
    at = piece.scheduled_at
    classes = ["pp-event", f"pp-verdict-{piece.verdict or 'none'}"]
    if entry.worst == "error":
        classes.append("pp-has-error")
    return {
        "id": str(piece.id),
        "title": piece.title,
        "start": clock.wall(at),
        "end": clock.wall(at + timedelta(minutes=EVENT_MINUTES)),
        "classNames": classes,
        "editable": can_edit and piece.status != "published",
        "extendedProps": {
            "verdict": piece.verdict,
            "status": piece.status,
            "channel": piece.channel,
            "content_type": piece.content_type,
            "origin": piece.origin,
            "personas": list(entry.persona_names),
            "worst": entry.worst,
            "findings": [_finding_json(f, clock) for f in entry.findings],
        },
    }


@bp.get("/events.json")
@member_required
def events():
    """FullCalendar's event feed: pieces, and for a week the selected persona's windows.

    Windows come as background events that shade the hours of the week grid; a month's
    cells have no hours, so a longer range gets none.
    """
    clock = workspace_clock()
    view = _visible(clock)
    can_edit = actor().can("editor")
    body = [_event_json(e, clock, can_edit) for e in view.entries]
    if view.windows_persona is not None and view.end - view.start <= WINDOWS_RANGE:
        name = view.windows_persona.name
        body += [
            {
                "start": clock.wall(a),
                "end": clock.wall(b),
                "display": "background",
                "classNames": ["pp-window"],
                "title": f"{name}'s posting window",
            }
            for a, b in view.windows
        ]
    return jsonify(body)


@bp.get("/findings")
@member_required
def findings():
    clock = workspace_clock()
    return render_template(
        "calendar/_findings.html",
        view=_visible(clock),
        clock=clock,
        args=filter_args(),
        can_edit=actor().can("editor"),
    )


@bp.get("/pieces/<int:piece_id>/card")
@member_required
def card(piece_id: int):
    entry = calendar_agenda.piece_entry(db.session, actor(), piece_id, utc_now())
    piece = piece_service.get_piece(db.session, actor(), piece_id)
    return render_template(
        "calendar/_card.html",
        entry=entry,
        clock=workspace_clock(),
        args=filter_args(),
        can_edit=actor().can("editor"),
        piece_url=piece_url(piece_id),
        assignee=piece.assignee,
        comments=piece_comments.list_comments(db.session, piece),
    )


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _move(piece_id: int, when_of: Callable[[WallClock], datetime]) -> Any:
    """Reschedule through the service; answer JSON to the grid, a page to a plain form."""
    clock = workspace_clock()
    try:
        when = when_of(clock)
        piece = calendar_service.reschedule(db.session, actor(), piece_id, when)
    except ValidationError as error:
        db.session.rollback()
        if _wants_json():
            raise
        details = error.details or {}
        message = details.get("scheduled_at") or details.get("status") or error.message
        return agenda_page({piece_id: message}, 422)
    except Conflict as error:
        # The pieces service refuses the move (a published piece): say why, change nothing.
        db.session.rollback()
        if _wants_json():
            raise
        flash(error.message, "error")
        return agenda_page(status=409)
    db.session.commit()
    message = f"Moved '{piece.title}' to {clock.text(piece.scheduled_at)}."
    if _wants_json():
        return jsonify(
            {
                "message": message,
                "piece": {
                    "id": piece.id,
                    "title": piece.title,
                    "scheduled_at": piece.scheduled_at.isoformat(),
                    "wall": clock.wall(piece.scheduled_at),
                },
            }
        )
    flash(message, "success")
    return redirect(url_for("calendar.agenda", **view_args()) + f"#piece-{piece.id}")


def _sent_time() -> str:
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ValidationError("Send a JSON object.", {"scheduled_at": "is required"})
        return str(data.get("scheduled_at") or "")
    return request.form.get("scheduled_at", "")


@bp.post("/pieces/<int:piece_id>/reschedule")
@member_required
def reschedule(piece_id: int):
    def when_of(clock: WallClock) -> datetime:
        text = _sent_time()
        when = parse_optional_moment(text, clock.zone_name)
        if when is None:
            raise ValidationError("Pick a new time.", {"scheduled_at": "is required"})
        return when

    return _move(piece_id, when_of)


@bp.post("/pieces/<int:piece_id>/apply-suggested")
@member_required
def apply_suggested(piece_id: int):
    def when_of(clock: WallClock) -> datetime:
        slot = calendar_service.suggest_slot_for(db.session, actor(), piece_id, utc_now())
        if slot is None:
            raise ValidationError(
                f"No good slot in the next {calendar_service.SUGGEST_HORIZON_DAYS} days.",
                {"scheduled_at": "no free slot in the coming weeks; pick a time by hand"},
            )
        return slot

    return _move(piece_id, when_of)
