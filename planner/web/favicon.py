"""`/favicon.ico`: browsers ask for it whatever a page links, so it answers for the SVG icon."""

from __future__ import annotations

from flask import redirect, url_for

from planner.web.auth import bp


@bp.get("/favicon.ico")
def favicon():
    """A permanent redirect to `static/favicon.svg`, the icon `base.html` links."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
