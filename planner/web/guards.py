"""Small decorators the HTML views share."""

from __future__ import annotations

from functools import wraps

from flask import g, redirect, url_for
from flask_login import current_user

from planner.errors import PermissionDenied
from planner.services.access import Actor


def member_required(view):
    """Signed in and a member of some workspace; the view reads `g.actor`."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        if g.actor is None:
            raise PermissionDenied("Your account is not a member of any workspace yet.")
        return view(*args, **kwargs)

    return wrapped


def actor() -> Actor:
    return g.actor
