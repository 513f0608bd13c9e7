"""Channels page: the places the workspace publishes, and the gap between two posts on each."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from planner.errors import Conflict, ValidationError
from planner.extensions import db
from planner.models import CHANNEL_KINDS, Channel
from planner.services import channels as channel_service
from planner.web.guards import actor, member_required

bp = Blueprint("channels", __name__, url_prefix="/channels")


def _form() -> dict[str, str]:
    return {key: request.form.get(key, "").strip() for key in channel_service.FIELDS}


def _render(form: dict, errors: dict, editing: Channel | None = None, status: int = 200):
    rows = channel_service.list_channels(db.session, actor())
    return render_template(
        "channels/index.html",
        rows=rows,
        counts=channel_service.piece_counts(db.session, actor()),
        form=form,
        errors=errors,
        editing=editing,
        kinds=CHANNEL_KINDS,
    ), status


@bp.get("/")
@member_required
def index():
    return _render({"kind": "blog", "min_gap_minutes": "0"}, {})


@bp.post("/")
@member_required
def create():
    form = _form()
    try:
        channel = channel_service.create_channel(db.session, actor(), form)
    except (ValidationError, Conflict) as error:
        db.session.rollback()
        return _render(form, error.details or {}, None, error.status)
    db.session.commit()
    flash(f"Added {channel.name}.", "success")
    return redirect(url_for("channels.index"))


@bp.route("/<int:channel_id>/edit", methods=["GET", "POST"])
@member_required
def edit(channel_id: int):
    channel = channel_service.get_channel(db.session, actor(), channel_id)
    actor().require("editor", "edit channels")
    if request.method == "GET":
        form = {
            "name": channel.name,
            "kind": channel.kind,
            "min_gap_minutes": str(channel.min_gap_minutes),
        }
        return _render(form, {}, channel)
    form = _form()
    try:
        channel_service.update_channel(db.session, actor(), channel, form)
    except (ValidationError, Conflict) as error:
        db.session.rollback()
        return _render(form, error.details or {}, channel, error.status)
    db.session.commit()
    flash(f"Saved {channel.name}.", "success")
    return redirect(url_for("channels.index"))


@bp.post("/<int:channel_id>/delete")
@member_required
def delete(channel_id: int):
    channel = channel_service.get_channel(db.session, actor(), channel_id)
    name = channel.name
    try:
        channel_service.delete_channel(db.session, actor(), channel)
    except Conflict as error:
        db.session.rollback()
        flash(f"{name} was not deleted: {error.message}", "error")
        return redirect(url_for("channels.index"))
    db.session.commit()
    flash(f"Deleted {name}.", "info")
    return redirect(url_for("channels.index"))
