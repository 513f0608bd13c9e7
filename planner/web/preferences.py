"""A signed-in user's display preferences: the colour theme, chosen from the account menu.

The theme is stored per user (not per browser), so it follows them to every device;
"system" leaves it to the browser's `prefers-color-scheme` (`templates/base.html`).
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from planner.errors import ValidationError
from planner.extensions import db
from planner.services import accounts
from planner.web.auth import bp
from planner.web.guards import actor, member_required


def _back_to(target: str | None) -> str:
    """The page the form was sent from, if it is a path on this site; else home."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("auth.home")


@bp.post("/account/theme")
@member_required
def set_theme():
    try:
        accounts.set_theme(db.session, actor().user_id, request.form.get("theme", ""))
    except ValidationError as error:
        db.session.rollback()
        flash(f"The theme {error.details.get('theme', 'was not changed')}.", "error")
    else:
        db.session.commit()
    return redirect(_back_to(request.form.get("next")))
