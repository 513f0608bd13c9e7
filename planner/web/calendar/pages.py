"""Calendar pages: month and week grids (FullCalendar) and the agenda list.

The grid pages are shells that `static/js/calendar.js` fills from `grid`; the
agenda list is the same data server-rendered, so everything works without JavaScript.
The helpers here (clock, filters, the agenda page) are shared with `grid`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import current_app, render_template, request
from flask import url_for as flask_url_for

from planner.errors import ValidationError
from planner.extensions import db
from planner.models import PIECE_STATUSES
from planner.services import accounts, channels
from planner.services.calendar import agenda as calendar_agenda
from planner.services.calendar.agenda import CalendarEntry, CalendarFilters
from planner.services.clock import WallClock, day_range, local_today
from planner.services.personas import service as personas
from planner.services.personas.schema import CONTENT_TYPES
from planner.web.calendar import bp
from planner.web.guards import actor, member_required

FILTER_KEYS = ("persona", "channel", "status", "type")
# The agenda pages by week: a page shows at most this many days, from Monday by default.
AGENDA_DAYS = 7


def workspace_clock() -> WallClock:
    return WallClock(accounts.workspace_zone(db.session, actor()))


def utc_now() -> datetime:
    return datetime.now(UTC)


def filter_choices() -> dict[str, Any]:
    channel_rows = channels.list_channels(db.session, actor())
    return {
        "personas": personas.list_personas(db.session, actor()),
        "channels": [c.name for c in channel_rows],
        "channel_rows": channel_rows,
        "statuses": PIECE_STATUSES,
        "content_types": CONTENT_TYPES,
    }


def read_filters(choices: dict[str, Any]) -> tuple[CalendarFilters, dict[str, str]]:
    """Read the filter query parameters; an unknown value is an error next to its field."""
    errors: dict[str, str] = {}
    args = request.args
    persona_id = None
    if args.get("persona"):
        ids = {p.id for p in choices["personas"]}
        try:
            persona_id = int(args["persona"])
        except ValueError:
            persona_id = None
        if persona_id not in ids:
            errors["persona"] = "no such persona in this workspace"
            persona_id = None

    def pick(key: str, allowed) -> str | None:
        value = args.get(key) or None
        if value is not None and value not in allowed:
            errors[key] = "is not one of the choices"
            return None
        return value

    return (
        CalendarFilters(
            persona_id=persona_id,
            channel=pick("channel", choices["channels"]),
            status=pick("status", choices["statuses"]),
            content_type=pick("type", choices["content_types"]),
        ),
        errors,
    )


def filter_args() -> dict[str, str]:
    return {k: request.args[k] for k in FILTER_KEYS if request.args.get(k)}


def view_args() -> dict[str, str]:
    """The filters and range of the current page, carried through form actions."""
    keep = (*FILTER_KEYS, "from", "to")
    return {k: request.args[k] for k in keep if request.args.get(k)}


def piece_url(piece_id: int) -> str | None:
    for endpoint in ("pieces.edit", "pieces.detail"):
        if endpoint in current_app.view_functions:
            return flask_url_for(endpoint, piece_id=piece_id)
    return None


def _grid(initial_view: str):
    choices = filter_choices()
    filters, errors = read_filters(choices)
    clock, now = workspace_clock(), utc_now()
    today = local_today(now, clock.zone_name)
    if initial_view == "timeGridWeek":
        first = today - timedelta(days=today.weekday())
        days = 7
    else:
        first, days = today.replace(day=1), 31
    start, end = day_range(first.isoformat(), None, clock.zone_name, today=today, default_days=days)
    view = calendar_agenda.calendar_view(db.session, actor(), start, end, now, filters)
    windows_text = ""
    if view.windows_persona is not None:
        windows_text = "; ".join(w.describe() for w in view.windows_persona.windows)
    return render_template(
        "calendar/grid.html",
        initial_view=initial_view,
        initial_date=request.args.get("date", ""),
        view=view,
        clock=clock,
        choices=choices,
        filters=filters,
        errors=errors,
        form=request.args,
        args=filter_args(),
        filter_args=filter_args(),
        filter_query=urlencode(filter_args()),
        export_args={
            **filter_args(),
            "from": start.astimezone(clock.zone).date().isoformat(),
            "to": (end.astimezone(clock.zone) - timedelta(days=1)).date().isoformat(),
        },
        windows_persona=view.windows_persona,
        windows_text=windows_text or "no posting windows",
        with_dates=False,
        action=request.path,
        can_edit=actor().can("editor"),
    ), (400 if errors else 200)


@bp.get("/")
@member_required
def month():
    return _grid("dayGridMonth")


@bp.get("/week")
@member_required
def week():
    return _grid("timeGridWeek")


def agenda_page(errors: dict[Any, str] | None = None, status: int = 200):
    choices = filter_choices()
    filters, filter_errors = read_filters(choices)
    clock, now = workspace_clock(), utc_now()
    today = local_today(now, clock.zone_name)
    monday = (today - timedelta(days=today.weekday())).isoformat()
    try:
        start, end = day_range(
            request.args.get("from") or monday,
            request.args.get("to"),
            clock.zone_name,
            today=today,
            default_days=AGENDA_DAYS,
        )
    except ValidationError as error:
        filter_errors.update(error.details)
        start, end = day_range(monday, None, clock.zone_name, today=today, default_days=AGENDA_DAYS)
    first = start.astimezone(clock.zone).date()
    span = (end.astimezone(clock.zone).date() - first).days
    if span > AGENDA_DAYS:  # a page is at most a week; "Later" shows the rest
        span = AGENDA_DAYS
        start, end = day_range(
            first.isoformat(), None, clock.zone_name, today=today, default_days=span
        )
    view = calendar_agenda.calendar_view(db.session, actor(), start, end, now, filters)

    def shifted(days: int) -> dict[str, str]:
        moved = first + timedelta(days=days)
        last = moved + timedelta(days=span - 1)
        return {**filter_args(), "from": moved.isoformat(), "to": last.isoformat()}

    by_day: dict[str, list[CalendarEntry]] = {}
    for entry in view.entries:
        by_day.setdefault(clock.day(entry.piece.scheduled_at), []).append(entry)
    if filter_errors and status == 200:
        status = 400
    return render_template(
        "calendar/agenda.html",
        view=view,
        days=list(by_day.items()),
        clock=clock,
        choices=choices,
        filters=filters,
        errors={**filter_errors, **(errors or {})},
        form=request.args,
        args=view_args(),
        filter_args=filter_args(),
        previous_args=shifted(-span),
        next_args=shifted(span),
        range_args={**filter_args(), **shifted(0)},
        piece_urls={e.piece.id: piece_url(e.piece.id) for e in view.entries},
        with_dates=True,
        action=flask_url_for("calendar.agenda"),
        can_edit=actor().can("editor"),
    ), status


@bp.get("/agenda")
@member_required
def agenda():
    return agenda_page()
