"""HTML blueprints and the request context they share."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_login import current_user

from planner.extensions import db, login_manager
from planner.models import User, Workspace
from planner.services import accounts


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """Checked on every request: a signed-out or revoked session generation loads nobody."""
    return accounts.session_user(db.session, session_id)


def _load_actor() -> None:
    """Resolve the signed-in user's role in the workspace chosen in the session."""
    # The user comes from this request's cookies, never from an app context an earlier
    # request left behind (tests and embedded callers reuse one context).
    g.pop("_login_user", None)
    g.actor, g.my_memberships = None, []
    if request.blueprint == "api":  # the API authenticates by token alone (`api._authenticate`)
        return
    if current_user.is_authenticated:
        g.my_memberships = accounts.memberships(db.session, current_user.id)
        g.actor = accounts.choose_actor(
            g.my_memberships, current_user.id, session.get("workspace_id")
        )
        # Written only when it changes: a session written on every request lets a
        # background (htmx) response overwrite the cookie that carries a flash message.
        if g.actor is not None and session.get("workspace_id") != g.actor.workspace_id:
            session["workspace_id"] = g.actor.workspace_id


# The main navigation; an entry shows once its blueprint is registered.
NAV_LINKS = [
    ("dashboard.index", "Dashboard"),
    ("pieces.index", "Drafts"),
    ("calendar.month", "Calendar"),
    ("feeds.index", "Feeds"),
    ("personas.index", "Personas"),
    ("engagement.import_page", "Results"),
    ("leads.page", "Screen leads"),
    ("audit_preview.page", "Quick audit"),
]


def nav_links() -> list[tuple[str, str]]:
    return [
        (endpoint, label) for endpoint, label in NAV_LINKS if endpoint in current_app.view_functions
    ]


def _template_context() -> dict:
    actor = getattr(g, "actor", None)
    if actor is None:
        return {"actor": None, "workspace": None, "my_memberships": [], "nav_links": nav_links}
    return {
        "nav_links": nav_links,
        "actor": actor,
        "workspace": db.session.get(Workspace, actor.workspace_id),
        "my_memberships": g.get("my_memberships")
        or accounts.memberships(db.session, actor.user_id),
    }


def init_app(app: Flask) -> None:
    """The request context every page shares; `planner.hooks` registers the blueprints."""
    app.before_request(_load_actor)
    app.context_processor(_template_context)
