"""Feed item buttons (curate, dismiss, undo a dismiss) and the curate form.

The buttons show in the inbox, on a feed's page and on the dashboard. A dismiss is
answered by a flash with an Undo button (`offer_undo`).

The "Curate" button posts with no choices and takes the defaults (the feed's channel,
the personas the item matched); "Choose…" opens a small form to pick them. Either way
the editor is told where the piece was scheduled, or why it stayed a draft.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from planner.errors import Conflict, ValidationError
from planner.extensions import db
from planner.models.feed import FeedItem
from planner.services import accounts, curation
from planner.services import channels as channel_service
from planner.services.calendar import service as calendar_service
from planner.services.feeds import inbox as feed_inbox
from planner.services.personas import service as persona_service
from planner.web.guards import actor, member_required

bp = Blueprint("curation", __name__, url_prefix="/curation")
UNDO_KEY = "undo_dismiss"


def _back() -> str:
    """Where to return after a button: a path on this site only, else the dashboard."""
    target = request.values.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("dashboard.index")


def _zone() -> str:
    return accounts.workspace_zone(db.session, actor())


def _render_form(item, values: dict, errors: dict, status: int = 200):
    defaults = curation.curation_defaults(db.session, actor(), item)
    try:
        slot = calendar_service.suggest_slot_for_new_piece(
            db.session,
            actor(),
            channel=defaults.channel,
            persona_ids=defaults.persona_ids,
            content_type=curation.CURATED_CONTENT_TYPE,
            now=datetime.now(UTC),
        )
    except ValidationError:
        slot = None  # a persona's unreadable windows: the form still works without a hint
    page = render_template(
        "curation/form.html",
        item=item,
        chip=feed_inbox.persona_chips(item),
        feed=item.feed,
        values=values,
        errors=errors,
        slot=slot,
        zone=_zone(),
        channels=channel_service.list_channels(db.session, actor()),
        personas=[
            p for p in persona_service.list_personas(db.session, actor()) if p.kind == "buyer"
        ],
        back=_back(),
    )
    return page, status


@bp.get("/items/<int:item_id>")
@member_required
def form(item_id: int):
    actor().require("editor", "curate feed items")
    item = feed_inbox.get_item(db.session, actor(), item_id)
    if item.state == "curated":
        flash("This item was already curated.", "info")
        return redirect(_back())
    defaults = curation.curation_defaults(db.session, actor(), item)
    values = {"channel": defaults.channel or "", "personas": set(defaults.persona_ids)}
    return _render_form(item, values, {})


@bp.post("/items/<int:item_id>/curate")
@member_required
def curate(item_id: int):
    chosen = request.form.get("choose") == "1"
    personas = [int(v) if v.isdecimal() else v for v in request.form.getlist("target_personas")]
    options = {"channel": request.form.get("channel", ""), "persona_ids": personas}
    try:
        piece = curation.curate_item(db.session, actor(), item_id, **(options if chosen else {}))
    except ValidationError as error:
        db.session.rollback()
        if not chosen:
            flash(f"Could not curate the item: {error.message}", "error")
            return redirect(_back())
        item = feed_inbox.get_item(db.session, actor(), item_id)
        values = {"channel": options["channel"], "personas": set(personas)}
        return _render_form(item, values, dict(error.details or {}), 422)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_back())
    db.session.commit()
    message = curation.describe_outcome(piece, _zone())
    flash(message, "success" if piece.status == "scheduled" else "info")
    return redirect(_back())


@bp.post("/items/<int:item_id>/dismiss")
@member_required
def dismiss(item_id: int):
    try:
        item = curation.dismiss_item(db.session, actor(), item_id)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_back())
    db.session.commit()
    offer_undo([item])
    return redirect(_back())


def offer_undo(items: list[FeedItem]) -> None:
    """Say what was dismissed in a flash with an Undo button (curation/_undo_flash.html).

    The flash text stays a plain string; the ids the Undo button restores wait in the
    session under UNDO_KEY until the next dismiss replaces them.
    """
    if not items:
        return
    session[UNDO_KEY] = [item.id for item in items]
    # No title: the flash sits above the list, where the item's title should no longer be.
    flash(f"Dismissed {len(items)} item{'s' if len(items) != 1 else ''}.", "undo")


@bp.post("/items/undo")
@member_required
def undo():
    restored = feed_inbox.restore_items(db.session, actor(), request.form.getlist("items"))
    db.session.commit()
    session.pop(UNDO_KEY, None)
    if not restored:
        flash("Nothing to undo: those items are no longer dismissed.", "info")
    elif len(restored) == 1:
        flash(f"Restored “{restored[0].title or 'the item'}” to the inbox.", "success")
    else:
        flash(f"Restored {len(restored)} items to the inbox.", "success")
    return redirect(_back())
