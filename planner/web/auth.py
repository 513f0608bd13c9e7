"""Signing in and out, changing one's password, switching workspace, accepting invitations."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from planner import security
from planner.errors import PlannerError, ValidationError
from planner.extensions import db, limiter
from planner.services import accounts
from planner.services import accounts_invitations as invitations
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


def _login_key() -> str:
    """Failed sign-ins are counted per email and address, so one attacker cannot lock
    everybody out and one account cannot be guessed at from one place."""
    email = accounts.normalise_email(request.form.get("email", ""))
    return f"{security.client_address()}:{email}"


def _sign_in(user, remember: bool = False) -> None:
    session.clear()
    login_user(user, remember=remember)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("dashboard.index"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    security.limit_setting("LOGIN_RATE_LIMIT"),
    key_func=_login_key,
    methods=["POST"],
    scope="login-account",
    deduct_when=security.failed_with(401),
    exempt_when=security.limit_is_off("LOGIN_RATE_LIMIT"),
)
@limiter.limit(
    security.limit_setting("LOGIN_IP_RATE_LIMIT"),
    key_func=security.client_address,
    methods=["POST"],
    scope="login-address",
    deduct_when=security.failed_with(401),
    exempt_when=security.limit_is_off("LOGIN_IP_RATE_LIMIT"),
)
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    error = None
    email = request.form.get("email", "")
    if request.method == "POST":
        user = accounts.authenticate(db.session, email, request.form.get("password", ""))
        if user is None:
            error = "That email and password do not match an account."
        else:
            _sign_in(user, remember=bool(request.form.get("remember")))
            flash("Signed in.", "success")
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, email=email), status


@bp.post("/logout")
def logout():
    """Ends this session and every copy of it (and of the remember cookie)."""
    if current_user.is_authenticated:
        accounts.end_sessions(db.session, current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@member_required
def change_password():
    errors: dict = {}
    if request.method == "POST":
        user = current_user._get_current_object()
        try:
            accounts.change_password(
                db.session,
                user,
                current=request.form.get("current_password", ""),
                new=request.form.get("new_password", ""),
            )
        except ValidationError as error:
            db.session.rollback()
            errors = error.details
        else:
            db.session.commit()
            workspace_id = session.get("workspace_id")
            remembered = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
            _sign_in(
                user, remember=remembered
            )  # this device stays signed in, on the new generation
            session["workspace_id"] = workspace_id
            flash("Password changed. Other sessions were signed out.", "success")
            return redirect(url_for("auth.home"))
    status = 422 if errors else 200
    return render_template("auth/password.html", errors=errors), status


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


@bp.get("/invitations/<token>")
def invitation(token: str):
    found = invitations.open_invitation(db.session, token)
    return render_template("auth/invitation.html", invitation=found, token=token, errors={})


@bp.post("/invitations/<token>")
def accept_invitation(token: str):
    """Signed in: accept. Not signed in: create the invited account, then accept."""
    found = invitations.open_invitation(db.session, token)
    try:
        if current_user.is_authenticated:
            member = invitations.accept(db.session, token, current_user._get_current_object())
        else:
            user, member = invitations.sign_up_and_accept(
                db.session,
                token,
                password=request.form.get("password", ""),
                confirm=request.form.get("confirm", ""),
            )
            _sign_in(user)
    except ValidationError as error:
        db.session.rollback()
        found = invitations.open_invitation(db.session, token)
        page = render_template(
            "auth/invitation.html", invitation=found, token=token, errors=error.details
        )
        return page, 422
    except PlannerError:
        db.session.rollback()
        raise
    workspace_id = member.workspace_id
    db.session.commit()
    session["workspace_id"] = workspace_id
    flash(f"Welcome to {found.workspace.name}.", "success")
    return redirect(url_for("auth.home"))
