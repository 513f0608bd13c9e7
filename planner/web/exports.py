"""CSV downloads: the drafts list (with its filters and sort) and a calendar range.

Each view reads its page's own query arguments (`pieces.list_args`, the calendar's
filters and `from`/`to`), calls the service that page calls, and hands rows to
`csv_export`, which quotes and defuses the cells.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import request

from planner.errors import ValidationError
from planner.extensions import db
from planner.services import accounts
from planner.services.calendar import agenda as calendar_agenda
from planner.services.clock import day_range, local_today
from planner.services.pieces import service as piece_service
from planner.web import csv_export
from planner.web import pieces as piece_pages
from planner.web.calendar import bp as calendar_bp
from planner.web.calendar import pages as calendar_pages
from planner.web.guards import actor, member_required


def _when(zone: ZoneInfo):
    def when(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    return when


@piece_pages.bp.get("/export.csv")
@member_required
def export_drafts():
    """Every piece that passes the drafts page's filters, in its order (not just one page)."""
    _args, errors, filters, sort = piece_pages.list_args()
    if errors:
        raise ValidationError(f"Check {', '.join(errors)}.", errors)
    rows, _total = piece_service.list_pieces(db.session, actor(), filters, sort=sort, brief=True)
    zone = ZoneInfo(accounts.workspace_zone(db.session, actor()))
    when = _when(zone)
    return csv_export.csv_response(
        "drafts.csv",
        (
            "id",
            "title",
            "verdict",
            "status",
            "channel",
            "for",
            "content_type",
            "origin",
            f"scheduled ({zone.key})",
            f"updated ({zone.key})",
            f"created ({zone.key})",
        ),
        (
            (
                p.id,
                p.title,
                p.verdict or "",
                p.status,
                p.channel.name if p.channel else "",
                "; ".join(t.name for t in p.target_personas),
                p.content_type,
                p.origin,
                when(p.scheduled_at),
                when(p.updated_at),
                when(p.created_at),
            )
            for p in rows
        ),
    )


@calendar_bp.get("/export.csv")
@member_required
def export_calendar():
    """The pieces scheduled from `from` to `to` (days, both included) with their findings."""
    choices = calendar_pages.filter_choices()
    filters, errors = calendar_pages.read_filters(choices)
    if errors:
        raise ValidationError(f"Check {', '.join(errors)}.", errors)
    clock, now = calendar_pages.workspace_clock(), calendar_pages.utc_now()
    today = local_today(now, clock.zone_name)
    start, end = day_range(
        request.args.get("from"), request.args.get("to"), clock.zone_name, today=today
    )
    view = calendar_agenda.calendar_view(db.session, actor(), start, end, now, filters)
    when = _when(clock.zone)
    first = start.astimezone(clock.zone).date().isoformat()
    last = view.last_moment.astimezone(clock.zone).date().isoformat()
    return csv_export.csv_response(
        f"calendar-{first}-to-{last}.csv",
        (
            f"scheduled ({clock.zone_name})",
            "id",
            "title",
            "status",
            "verdict",
            "channel",
            "for",
            "content_type",
            "origin",
            "findings",
        ),
        (
            (
                when(e.piece.scheduled_at),
                e.piece.id,
                e.piece.title,
                e.piece.status,
                e.piece.verdict or "",
                e.piece.channel or "",
                "; ".join(e.persona_names),
                e.piece.content_type,
                e.piece.origin,
                " | ".join(f"{f.severity}: {f.message}" for f in e.findings),
            )
            for e in view.entries
        ),
    )
