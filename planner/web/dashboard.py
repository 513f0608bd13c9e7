"""The dashboard, the home page after signing in: the mix, the coming week, what needs care."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request

from planner.errors import ValidationError
from planner.extensions import db
from planner.services import dashboard as dashboard_service
from planner.services import first_run
from planner.services.feeds import inbox as feed_inbox
from planner.services.mix import service as mix_service
from planner.services.mix.rules import WINDOW_DAYS
from planner.web import mix_charts
from planner.web.guards import actor, member_required

bp = Blueprint("dashboard", __name__)


@bp.app_template_filter("dash_time")
def dash_time(value: datetime | None, zone: str = "UTC") -> str:
    """A stored UTC time, short, in the workspace's zone: "Tue 24 Nov, 09:30"."""
    if value is None:
        return "—"
    local = value.astimezone(ZoneInfo(zone or "UTC"))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


@bp.get("/dashboard")
@member_required
def index():
    errors: dict[str, str] = {}
    try:
        window = mix_service.check_window(request.args.get("window"))
    except ValidationError as error:
        errors, window = dict(error.details), mix_service.DEFAULT_WINDOW
    board = dashboard_service.build_dashboard(db.session, actor(), window_days=window)
    page = render_template(
        "dashboard/index.html",
        board=board,
        windows=WINDOW_DAYS,
        errors=errors,
        gauge=mix_charts.gauge(board.mix.overall),
        chart=mix_charts.weekly_bars(board.weeks),
        chips={item.id: feed_inbox.persona_chips(item) for item in board.suggested},
        setup=first_run.setup(db.session, actor()),
    )
    return page, (422 if errors else 200)
