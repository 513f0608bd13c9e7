"""Feed pages: the monitored feeds, adding one, OPML, a feed's items, and the inbox."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from planner import tasks
from planner.errors import Conflict, ValidationError
from planner.extensions import db
from planner.models import utcnow
from planner.services.feeds import admin as feed_admin
from planner.services.feeds import inbox as feed_inbox
from planner.services.feeds import opml as feed_opml
from planner.services.feeds import sanitize_html
from planner.services.feeds.schedule import display_status
from planner.services.personas import service as persona_service
from planner.web import curation
from planner.web.guards import actor, member_required

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
PAGE_SIZE = 50
OPML_FILENAME = "persona-planner-feeds.opml"


@bp.app_template_filter("feed_time")
def feed_time(value: datetime | None, zone: str | None = None) -> str:
    """A stored UTC time in the workspace's zone, to the minute."""
    if value is None:
        return "—"
    try:
        tz = ZoneInfo(zone or "UTC")
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    return value.astimezone(tz).strftime("%d %b %Y %H:%M")


@bp.app_template_filter("feed_html")
def feed_html(value: str | None) -> Markup:
    """Item HTML was sanitised when stored; clean it again on the way out (it is cheap)."""
    return Markup(sanitize_html(value or ""))


def _allow_private() -> bool:
    return bool(current_app.config.get("FEED_ALLOW_PRIVATE"))


def _page() -> int:
    raw = request.args.get("page", "1")
    return max(1, int(raw)) if raw.isdecimal() else 1


def _back(default: str) -> str:
    """Where a triage button returns to: a path on this site only."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@bp.get("/")
@member_required
def index():
    rows = feed_admin.list_feeds(db.session, actor())
    now = utcnow()
    statuses = {row.feed.id: display_status(row.feed, now) for row in rows}
    return render_template("feeds/index.html", rows=rows, statuses=statuses, now=now)


def _inbox_filters(values) -> dict:
    """The inbox's filter, search and unseen choice, from the query or a form."""
    shown = values.get("filter", "suggested")
    return {
        "filter": shown if shown in feed_inbox.ITEM_FILTERS else "suggested",
        "q": feed_inbox.clean_search(values.get("q")),
        "unseen": "1" if values.get("unseen") == "1" else "",
    }


@bp.get("/inbox")
@member_required
def inbox():
    filters = _inbox_filters(request.args)
    page = _page()
    items = feed_inbox.list_items(
        db.session,
        actor(),
        suggested=filters["filter"] == "suggested",
        search=filters["q"],
        unseen=bool(filters["unseen"]),
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    feeds = {row.feed.id: row.feed for row in feed_admin.list_feeds(db.session, actor())}
    return render_template(
        "feeds/inbox.html",
        items=items,
        chips={item.id: feed_inbox.persona_chips(item) for item in items.items},
        feeds=feeds,
        shown=filters["filter"],
        filters=filters,
        params={key: value for key, value in filters.items() if value},
        page=page,
    )


@bp.post("/inbox/dismiss")
@member_required
def dismiss_selected():
    try:
        items = feed_inbox.dismiss_items(db.session, actor(), request.form.getlist("items"))
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(_back(url_for("feeds.inbox")))
    db.session.commit()
    if items:
        curation.offer_undo(items)
    else:
        flash("Select the items to dismiss first (the boxes beside their titles).", "info")
    return redirect(_back(url_for("feeds.inbox")))


@bp.post("/inbox/seen")
@member_required
def mark_seen():
    filters = _inbox_filters(request.form)
    count = feed_inbox.mark_seen(
        db.session, actor(), suggested=filters["filter"] == "suggested", search=filters["q"]
    )
    db.session.commit()
    flash(f"Marked {count} item{'s' if count != 1 else ''} seen.", "success")
    params = {key: value for key, value in filters.items() if value and key != "unseen"}
    return redirect(url_for("feeds.inbox", **params))


@bp.get("/opml")
@member_required
def opml():
    return render_template("feeds/opml.html", errors={}, result=None)


@bp.post("/opml")
@member_required
def import_opml():
    actor().require("editor", "add feeds")
    upload = request.files.get("file")
    content = upload.read(feed_opml.MAX_OPML_BYTES + 1) if upload else b""
    try:
        result = feed_admin.import_opml(
            db.session, actor(), content, allow_private=_allow_private()
        )
    except ValidationError as error:
        db.session.rollback()
        errors = dict(error.details or {}) or {"file": error.message}
        return render_template("feeds/opml.html", errors=errors, result=None), 422
    db.session.commit()
    return render_template("feeds/opml.html", errors={}, result=result)


@bp.get("/opml/export")
@member_required
def export_opml():
    return Response(
        feed_admin.export_opml(db.session, actor()),
        mimetype="text/x-opml",
        headers={"Content-Disposition": f'attachment; filename="{OPML_FILENAME}"'},
    )


def _form_data() -> dict:
    form = request.form
    return {
        "url": form.get("url", ""),
        "title": form.get("title", ""),
        "personas": [int(v) for v in form.getlist("personas") if v.isdecimal()],
        "channel": form.get("channel") or None,
        "poll_interval_minutes": form.get("poll_interval_minutes", "").strip() or "60",
    }


def _render_form(values: dict, errors: dict, feed=None, status: int = 200):
    page = render_template(
        "feeds/form.html",
        values=values,
        errors=errors,
        feed=feed,
        personas=persona_service.list_personas(db.session, actor()),
        channels=feed_admin.channel_choices(db.session, actor()),
    )
    return page, status


def _handle_form(feed=None):
    data = _form_data()
    try:
        if feed is None:
            feed = feed_admin.add_feed(db.session, actor(), data, allow_private=_allow_private())
        else:
            feed_admin.update_feed(db.session, actor(), feed, data, allow_private=_allow_private())
    except (ValidationError, Conflict) as error:
        db.session.rollback()
        errors = dict(error.details or {}) or {"url": error.message}
        return _render_form(data, errors, feed, 422)
    db.session.commit()
    flash(f"Saved {feed.display_title}. It is polled within a minute or two.", "success")
    return redirect(url_for("feeds.detail", feed_id=feed.id))


@bp.route("/new", methods=["GET", "POST"])
@member_required
def create():
    actor().require("editor", "add feeds")
    if request.method == "POST":
        return _handle_form()
    return _render_form({"poll_interval_minutes": 60, "personas": []}, {})


@bp.route("/<int:feed_id>/edit", methods=["GET", "POST"])
@member_required
def edit(feed_id: int):
    feed = feed_admin.get_feed(db.session, actor(), feed_id)
    actor().require("editor", "change feeds")
    if request.method == "POST":
        return _handle_form(feed)
    values = {
        "url": feed.url,
        "title": feed.title,
        "personas": [p.id for p in feed.personas],
        "channel": feed.channel_id,
        "poll_interval_minutes": feed.poll_interval_minutes,
    }
    return _render_form(values, {}, feed)


@bp.get("/<int:feed_id>")
@member_required
def detail(feed_id: int):
    feed = feed_admin.get_feed(db.session, actor(), feed_id)
    state = request.args.get("state", "new")
    if state not in ("new", "dismissed", "curated", "all"):
        state = "new"
    page = _page()
    items = feed_inbox.list_items(
        db.session,
        actor(),
        feed_id=feed.id,
        state=None if state == "all" else state,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    return render_template(
        "feeds/detail.html",
        feed=feed,
        row=feed_admin.feed_row(db.session, feed),
        status=display_status(feed, utcnow()),
        items=items,
        chips={item.id: feed_inbox.persona_chips(item) for item in items.items},
        state=state,
        page=page,
    )


@bp.post("/<int:feed_id>/poll")
@member_required
def poll(feed_id: int):
    feed = feed_admin.get_feed(db.session, actor(), feed_id)
    feed_admin.require_poll(actor())
    title = feed.display_title
    result = tasks.enqueue_feed_poll(feed.id, force=True)
    if isinstance(result, dict):  # polled here: there is no queue
        if result.get("error"):
            flash(f"Polled {title}: {result['error']}", "error")
        else:
            flash(f"Polled {title}: {result.get('new_items', 0)} new items.", "success")
    else:
        flash(f"Queued a poll of {title}; refresh in a moment.", "info")
    return redirect(_back(url_for("feeds.detail", feed_id=feed_id)))


@bp.post("/<int:feed_id>/pause")
@member_required
def pause(feed_id: int):
    feed = feed_admin.get_feed(db.session, actor(), feed_id)
    feed_admin.pause_feed(db.session, actor(), feed)
    db.session.commit()
    flash(f"Paused {feed.display_title}.", "info")
    return redirect(url_for("feeds.detail", feed_id=feed_id))


@bp.post("/<int:feed_id>/resume")
@member_required
def resume(feed_id: int):
    feed = feed_admin.get_feed(db.session, actor(), feed_id)
    feed_admin.resume_feed(db.session, actor(), feed)
    db.session.commit()
    flash(f"Resumed {feed.display_title}; it is polled at the next round.", "success")
    return redirect(url_for("feeds.detail", feed_id=feed_id))


@bp.post("/<int:feed_id>/delete")
@member_required
def delete(feed_id: int):
    feed = feed_admin.get_feed(db.session, actor(), feed_id)
    title = feed.display_title
    feed_admin.delete_feed(db.session, actor(), feed)
    db.session.commit()
    flash(f"Stopped monitoring {title} and removed its items.", "info")
    return redirect(url_for("feeds.index"))


@bp.post("/items/<int:item_id>/<any(dismiss, restore):action>")
@member_required
def triage(item_id: int, action: str):
    item = feed_inbox.get_item(db.session, actor(), item_id)
    state = "dismissed" if action == "dismiss" else "new"
    feed_inbox.set_item_state(db.session, actor(), item, state)
    db.session.commit()
    if action == "dismiss":
        curation.offer_undo([item])
    return redirect(_back(url_for("feeds.inbox")))
