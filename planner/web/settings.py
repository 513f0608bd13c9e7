"""Workspace settings: members, invitations and API tokens (owners; any member may leave)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from planner.errors import PlannerError, ValidationError
from planner.extensions import db
from planner.models import ROLES
from planner.services import accounts, accounts_members
from planner.services import accounts_invitations as invitations
from planner.web.guards import actor, member_required

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _tokens_page(new_secret: str | None = None, errors: dict | None = None, status: int = 200):
    """The tokens page; its times are on the workspace's clock, like every other page."""
    return render_template(
        "settings/tokens.html",
        tokens=accounts.list_tokens(db.session, actor()),
        zone=accounts.workspace_zone(db.session, actor()),
        new_secret=new_secret,
        errors=errors or {},
    ), status


@bp.get("/tokens")
@member_required
def tokens():
    return _tokens_page()


@bp.post("/tokens")
@member_required
def create_token():
    try:
        issued = accounts.create_token(db.session, actor(), request.form.get("name", ""))
    except ValidationError as error:
        db.session.rollback()
        return _tokens_page(errors=error.details, status=422)
    db.session.commit()
    return _tokens_page(new_secret=issued.secret)


@bp.post("/tokens/<int:token_id>/revoke")
@member_required
def revoke_token(token_id: int):
    token = accounts.revoke_token(db.session, actor(), token_id)
    db.session.commit()
    flash(f"Revoked token {token.name}.", "info")
    return redirect(url_for("settings.tokens"))


def _members_page(errors: dict | None = None, status: int = 200, **extra):
    return render_template(
        "settings/members.html",
        members=accounts_members.list_members(db.session, actor()),
        invitations=invitations.list_invitations(db.session, actor()),
        roles=ROLES,
        errors=errors or {},
        form=extra.pop("form", {}),
        **extra,
    ), status


@bp.get("/members")
@member_required
def members():
    return _members_page()


@bp.post("/members")
@member_required
def invite():
    """The same answer whether or not the email has an account: only a link to send."""
    try:
        issued = invitations.invite(
            db.session,
            actor(),
            email=request.form.get("email", ""),
            role=request.form.get("role", "viewer"),
        )
    except ValidationError as error:
        db.session.rollback()
        return _members_page(error.details, 422, form=request.form)
    db.session.commit()
    link = url_for("auth.invitation", token=issued.secret, _external=True)
    return _members_page(invite_link=link, invited_email=issued.invitation.email)


@bp.post("/members/invitations/<int:invitation_id>/revoke")
@member_required
def revoke_invitation(invitation_id: int):
    invitation = invitations.revoke_invitation(db.session, actor(), invitation_id)
    db.session.commit()
    flash(f"Invitation for {invitation.email} withdrawn.", "info")
    return redirect(url_for("settings.members"))


@bp.post("/members/<int:user_id>/role")
@member_required
def change_role(user_id: int):
    try:
        member = accounts_members.change_role(
            db.session, actor(), user_id, request.form.get("role", "")
        )
    except PlannerError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("settings.members"))
    db.session.commit()
    flash(f"{member.user.email} is now {member.role}.", "success")
    return redirect(url_for("settings.members"))


@bp.post("/members/<int:user_id>/remove")
@member_required
def remove_member(user_id: int):
    """Owners remove anyone but the last owner; any member may remove themselves (leave)."""
    leaving = user_id == actor().user_id
    try:
        user = accounts_members.remove_member(db.session, actor(), user_id)
    except PlannerError as error:
        db.session.rollback()
        if error.status in (403, 404):
            raise
        flash(error.message, "error")
        return redirect(url_for("settings.members"))
    db.session.commit()
    if leaving:
        flash("You left the workspace. Sign in again to continue.", "info")
        return redirect(url_for("auth.login"))
    flash(f"Removed {user.email}: their API tokens are revoked and their sessions ended.", "info")
    return redirect(url_for("settings.members"))
