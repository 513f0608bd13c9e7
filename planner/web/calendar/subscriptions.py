"""Calendar subscriptions: owners issue and revoke secret iCalendar links; apps fetch them.

Routes on the `calendar` blueprint (see the end of `web/calendar.py`). The feed itself
needs no login: the secret in the URL is the credential, and a revoked or unknown one
is a plain 404 that says nothing about which it was.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Response, flash, redirect, render_template, request, url_for

from planner.errors import NotFound, ValidationError
from planner.extensions import db
from planner.services import accounts, channels
from planner.services.calendar import PiecePlan
from planner.services.calendar import subscriptions as subscription_service
from planner.services.personas import service as personas
from planner.web.calendar import bp
from planner.web.calendar.pages import workspace_clock
from planner.web.guards import actor, member_required


def _page(new_url: str | None = None, errors: dict | None = None, status: int = 200):
    choices = {
        "personas": personas.list_personas(db.session, actor()),
        "channel_rows": channels.list_channels(db.session, actor()),
    }
    return render_template(
        "calendar/subscriptions.html",
        feeds=subscription_service.list_subscriptions(db.session, actor()),
        new_url=new_url,
        errors=errors or {},
        form=request.form if errors else {},
        choices=choices,
        clock=workspace_clock(),
        filter_args={},
    ), status


@bp.get("/subscriptions")
@member_required
def subscriptions():
    return _page()


@bp.post("/subscriptions")
@member_required
def create_subscription():
    try:
        issued = subscription_service.create_subscription(
            db.session,
            actor(),
            name=request.form.get("name", ""),
            persona_id=request.form.get("persona"),
            channel_id=request.form.get("channel"),
        )
    except ValidationError as error:
        db.session.rollback()
        return _page(errors=error.details, status=422)
    db.session.commit()
    url = url_for("calendar.ical", secret=issued.secret, _external=True)
    return _page(new_url=url)


@bp.post("/subscriptions/<int:feed_id>/revoke")
@member_required
def revoke_subscription(feed_id: int):
    feed = subscription_service.revoke_subscription(db.session, actor(), feed_id)
    db.session.commit()
    flash(f"Revoked the subscription link {feed.name}; calendar apps using it stop updating.")
    return redirect(url_for("calendar.subscriptions"))


def _agenda_link(piece: PiecePlan, zone: ZoneInfo) -> str:
    """Link an event to its day in the agenda, where a member can open and move it."""
    day = piece.scheduled_at.astimezone(zone).date().isoformat()
    link = url_for("calendar.agenda", _external=True, **{"from": day, "to": day})
    return f"{link}#piece-{piece.id}"


@bp.get("/ical/<secret>.ics")
def ical(secret: str):
    """The iCalendar feed behind a secret link (no login, no session)."""
    feed = subscription_service.subscription_for_secret(db.session, secret)
    if feed is None:
        raise NotFound("No calendar at this address; the link may have been revoked.")
    zone = ZoneInfo(accounts.zone_name(accounts.workspace_of(db.session, feed.workspace_id)))
    body = subscription_service.subscription_ical(
        db.session,
        feed,
        uid_domain=request.host.split(":")[0] or "persona-planner",
        now=datetime.now(UTC),
        url_for_piece=lambda piece: _agenda_link(piece, zone),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
