"""The poller `flask serve` starts beside the web server (no second command needed)."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from planner.cli.feeds import EmbeddedPoller, start_embedded_poller
from planner.hooks import SERVE_HOOKS
from planner.models.feed import Feed, FeedItem

from .helpers import PETE_ENTRY, SAM_ENTRY


def test_serve_starts_the_poller_which_polls_due_feeds(
    app_ctx, session, editor, site, allow_private
):
    assert start_embedded_poller in SERVE_HOOKS
    session.add(
        Feed(workspace_id=editor.workspace_id, url=site.feed("/f", [SAM_ENTRY, PETE_ENTRY]))
    )
    session.commit()
    app_ctx.config["EMBEDDED_POLL_SECONDS"] = 0.2
    poller = start_embedded_poller(app_ctx)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not session.scalar(select(func.count(FeedItem.id))):
            time.sleep(0.1)
            session.expire_all()
        assert session.scalar(select(func.count(FeedItem.id))) == 2
        time.sleep(0.6)  # a few more rounds: the feed is not due again, so nothing is fetched
        assert site.hits["/f"] == 1
    finally:
        poller.stop()
        app_ctx.config.pop("EMBEDDED_POLL_SECONDS")
    assert not poller.thread.is_alive()


def test_embedded_poller_can_be_turned_off(app_ctx):
    app_ctx.config["EMBEDDED_POLLER"] = "0"
    try:
        assert start_embedded_poller(app_ctx) is None
    finally:
        app_ctx.config.pop("EMBEDDED_POLLER")


def test_one_round_survives_a_bad_feed(app_ctx, session, editor, site, allow_private):
    session.add(Feed(workspace_id=editor.workspace_id, url=site.url("/missing")))
    session.add(Feed(workspace_id=editor.workspace_id, url=site.feed("/ok", [SAM_ENTRY])))
    session.commit()
    assert EmbeddedPoller(app_ctx).run_once() == 2
    session.expire_all()
    feeds = {f.url: f for f in session.scalars(select(Feed))}
    assert feeds[site.url("/missing")].last_status == "error"
    assert feeds[site.url("/ok")].last_status == "ok"
