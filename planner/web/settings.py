"""Workspace settings: members and API tokens (owners only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from planner.errors import ValidationError
from planner.extensions import db
from planner.models import ROLES
from planner.services import accounts
from planner.web.guards import actor, member_required

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.get("/tokens")
@member_required
def tokens():
    rows = accounts.list_tokens(db.session, actor())
    return render_template("settings/tokens.html", tokens=rows, new_secret=None, errors={})


@bp.post("/tokens")
@member_required
def create_token():
    try:
        issued = accounts.create_token(db.session, actor(), request.form.get("name", ""))
    except ValidationError as error:
        db.session.rollback()
        rows = accounts.list_tokens(db.session, actor())
        return render_template(
            "settings/tokens.html", tokens=rows, new_secret=None, errors=error.details
        ), 422
    db.session.commit()
    rows = accounts.list_tokens(db.session, actor())
    return render_template("settings/tokens.html", tokens=rows, new_secret=issued.secret, errors={})


@bp.post("/tokens/<int:token_id>/revoke")
@member_required
def revoke_token(token_id: int):
    token = accounts.revoke_token(db.session, actor(), token_id)
    db.session.commit()
    flash(f"Revoked token {token.name}.", "info")
    return redirect(url_for("settings.tokens"))


@bp.get("/members")
@member_required
def members():
    rows = accounts.list_members(db.session, actor())
    return render_template("settings/members.html", members=rows, roles=ROLES, errors={}, form={})


@bp.post("/members")
@member_required
def add_member():
    try:
        accounts.add_member(
            db.session,
            actor(),
            email=request.form.get("email", ""),
            password=request.form.get("password", ""),
            role=request.form.get("role", "viewer"),
        )
    except ValidationError as error:
        db.session.rollback()
        rows = accounts.list_members(db.session, actor())
        return render_template(
            "settings/members.html",
            members=rows,
            roles=ROLES,
            errors=error.details,
            form=request.form,
        ), 422
    db.session.commit()
    flash("Member saved.", "success")
    return redirect(url_for("settings.members"))
