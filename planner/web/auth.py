"""Signing in and out, and switching workspace."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from planner.extensions import db
from planner.services import accounts
from planner.web.guards import actor, member_required

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if (
        target
        and not urlsplit(target).netloc
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("auth.home")


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("dashboard.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        user = accounts.authenticate(db.session, email, request.form.get("password", ""))
        if user is None:
            error = "That email and password do not match an account."
        else:
            session.clear()
            login_user(user, remember=bool(request.form.get("remember")))
            flash("Signed in.", "success")
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, email=email), status


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/workspace")
@member_required
def switch_workspace():
    wanted = request.form.get("workspace_id", type=int)
    switched = accounts.actor_for(db.session, actor().user_id, wanted)
    if switched is None or switched.workspace_id != wanted:
        flash("You are not a member of that workspace.", "error")
    else:
        session["workspace_id"] = wanted
    return redirect(url_for("auth.home"))
