"""`flask feeds add|poll|list` and `flask worker` as an operator uses them."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from planner.models.feed import FeedItem

from .helpers import PETE_ENTRY, SAM_ENTRY


def test_add_refuses_private_addresses_unless_allowed(runner, editor, site, app_ctx):
    url = site.feed("/f", [SAM_ENTRY])
    refused = runner.invoke(args=["feeds", "add", url, "--workspace", "Acme"])
    assert refused.exit_code == 2
    assert "FEED_ALLOW_PRIVATE" in refused.output
    app_ctx.config["FEED_ALLOW_PRIVATE"] = True
    try:
        added = runner.invoke(
            args=["feeds", "add", url, "--workspace", "Acme", "--title", "Ours", "--interval", "15",
                  "--persona", "Small Business Sam"]
        )  # fmt: skip
    finally:
        app_ctx.config["FEED_ALLOW_PRIVATE"] = False
    assert added.exit_code == 0, added.output
    assert "polled every 15 min" in added.output
    again = runner.invoke(args=["feeds", "add", url, "--workspace", "Acme"])
    assert again.exit_code == 2


def test_add_rejects_bad_input_with_one_line(runner, editor):
    result = runner.invoke(args=["feeds", "add", "file:///etc/passwd", "--workspace", "Acme"])
    assert result.exit_code == 2 and "url:" in result.output
    result = runner.invoke(args=["feeds", "add", "https://example.com/f", "--workspace", "Nope"])
    assert result.exit_code == 2


def test_poll_and_list(runner, editor, site, allow_private, session):
    runner.invoke(
        args=["feeds", "add", site.feed("/f", [SAM_ENTRY, PETE_ENTRY]), "--workspace", "Acme"]
    )
    runner.invoke(args=["feeds", "add", site.url("/missing"), "--workspace", "Acme"])
    polled = runner.invoke(args=["feeds", "poll", "--workspace", "Acme"])
    assert polled.exit_code == 0, polled.output
    assert "2 feeds polled, 2 new items, 1 failed." in polled.output
    assert "HTTP 404" in polled.output
    assert session.scalar(select(func.count(FeedItem.id))) == 2
    # Nothing is due any more; --all polls every active feed anyway.
    assert "0 feeds polled" in runner.invoke(args=["feeds", "poll", "--workspace", "Acme"]).output
    again = runner.invoke(args=["feeds", "poll", "--workspace", "Acme", "--all"]).output
    assert "2 feeds polled, 0 new items" in again and site.hits["/f"] == 2

    listed = runner.invoke(args=["feeds", "list", "--workspace", "Acme", "--format", "json"])
    assert listed.exit_code == 0
    feeds = json.loads(listed.output)
    by_url = {f["url"]: f for f in feeds}
    ok, failing = by_url[site.url("/f")], by_url[site.url("/missing")]
    assert ok["status"] == "ok" and ok["items"] == 2 and ok["title"] == "Test feed"
    assert failing["status"] == "failing" and "HTTP 404" in failing["last_error"]
    text = runner.invoke(args=["feeds", "list", "--workspace", "Acme"]).output
    assert "Test feed  [ok]  2 items (2 new)" in text and "[failing: HTTP 404" in text


def test_worker_needs_redis(runner, app_ctx):
    app_ctx.config["REDIS_URL"] = None
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 2 and "REDIS_URL is not set" in result.output


def test_worker_never_prints_the_redis_password(runner, app_ctx):
    app_ctx.config["REDIS_URL"] = "redis://:s3cret-pass@127.0.0.1:1/0"
    try:
        result = runner.invoke(args=["worker", "--burst"])
    finally:
        app_ctx.config["REDIS_URL"] = None
    assert result.exit_code == 2
    assert "cannot reach Redis at redis://:***@127.0.0.1:1/0" in result.output
    assert "s3cret-pass" not in result.output
