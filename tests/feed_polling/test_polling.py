"""Polling a local HTTP server: storing, auditing, skipping, moving, retiring, backing off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.models.feed import Feed, FeedItem
from planner.services.feeds import polling, schedule
from planner.services.feeds.store import store_entries

from .helpers import NOW, Entry, Page, later

SAM = Entry(
    "a",
    "Cash flow for a small business",
    "<p>Send every invoice on time.</p>",
    "https://example.com/a",
)
PETE = Entry(
    "b",
    "Why we stay in-house",
    "<p>Install it on-premise, then the RFP.</p>",
    "https://example.com/b",
)
PLAIN = Entry("c", "Weekly notes", "<p>Nothing about anyone.</p>")


def add_feed(session, actor, url, **fields) -> Feed:
    feed = Feed(workspace_id=actor.workspace_id, url=url, **fields)
    session.add(feed)
    session.commit()
    return feed


def items(session, feed) -> list[FeedItem]:
    return list(
        session.scalars(
            select(FeedItem).where(FeedItem.feed_id == feed.id).order_by(FeedItem.identity)
        )
    )


def poll(session, feed, when=NOW):
    outcome = polling.poll_feed(session, feed.id, now=when, allow_private=True)
    session.commit()
    return outcome


def test_new_items_are_stored_sanitised_and_audited(session, editor, site):
    feed = add_feed(session, editor, site.feed("/f", [SAM, PETE, PLAIN], title="Growth notes"))
    outcome = poll(session, feed)
    assert (outcome.status, outcome.new_items) == ("ok", 3)
    sam, pete, plain = items(session, feed)
    assert sam.title == SAM.title and sam.link == "https://example.com/a"
    assert sam.summary_html == "<p>Send every invoice on time.</p>"
    assert sam.verdict == "pass" and sam.suggested
    assert (sam.buyer_matches, sam.negative_matches) == (1, 0)
    assert pete.verdict == "warn" and pete.negative_matches == 1 and not pete.suggested
    negative = next(p for p in pete.audit["personas"] if p["kind"] == "negative")
    assert {m["term"] for m in negative["matches"]} == {"on-premise"}
    assert plain.buyer_matches == 0 and not plain.suggested
    assert set(sam.persona_versions.values()) == {1} and len(sam.persona_versions) == 2
    assert feed.title == "Growth notes" and feed.site_url == "https://example.com/"
    assert feed.last_status == "ok" and feed.next_poll_at == NOW + timedelta(minutes=60)


def test_repolling_adds_nothing_and_skips_an_unchanged_body(session, editor, site, monkeypatch):
    feed = add_feed(session, editor, site.feed("/f", [SAM, PETE]))
    poll(session, feed)
    parsed = []
    real = polling.parse_feed
    monkeypatch.setattr(polling, "parse_feed", lambda *a, **k: parsed.append(1) or real(*a, **k))
    outcome = poll(session, feed, later(61))
    assert (outcome.status, outcome.new_items) == ("unchanged", 0)
    assert parsed == [], "an unchanged body must not be parsed again"
    assert feed.last_status == "not_modified" and len(items(session, feed)) == 2
    # A different body with the same items (e.g. a new lastBuildDate) is parsed, adds nothing.
    site.feed("/f", [PETE, SAM], title="Renamed")
    outcome = poll(session, feed, later(122))
    assert (outcome.status, outcome.new_items, outcome.updated_items) == ("ok", 0, 0)
    assert parsed == [1] and len(items(session, feed)) == 2


def test_conditional_get_304_parses_nothing(session, editor, site):
    feed = add_feed(session, editor, site.feed("/f", [SAM], etag='"v1"'))
    poll(session, feed)
    assert feed.etag == '"v1"'
    outcome = poll(session, feed, later(61))
    assert outcome.status == "not_modified"
    assert site.request_headers["/f"][-1].get("If-None-Match") == '"v1"'
    assert feed.last_status == "not_modified" and feed.next_poll_at == later(61 + 60)


def test_permanent_redirect_moves_the_feed_but_a_temporary_one_does_not(session, editor, site):
    new_url = site.feed("/new", [SAM])
    site.set("/old", Page(b"", 301, {"Location": new_url}))
    site.set("/temp", Page(b"", 302, {"Location": new_url}))
    moved = add_feed(session, editor, site.url("/old"))
    kept = add_feed(session, editor, site.url("/temp"))
    assert poll(session, moved).new_items == 1
    assert moved.url == new_url
    poll(session, kept)
    assert kept.url == site.url("/temp")


def test_410_retires_the_feed(session, editor, site):
    feed = add_feed(session, editor, site.set("/gone", Page(b"bye", 410)))
    outcome = poll(session, feed)
    assert outcome.status == "gone"
    assert feed.retired_at == NOW and feed.last_status == "gone" and feed.next_poll_at is None
    assert polling.due_feed_ids(session, later(10_000)) == []
    assert list(polling.poll_due(session, later(10_000), allow_private=True)) == []


def test_429_honours_retry_after(session, editor, site):
    feed = add_feed(session, editor, site.set("/busy", Page(b"", 429, {"Retry-After": "7200"})))
    outcome = poll(session, feed)
    assert outcome.status == "error" and "429" in feed.last_error
    assert feed.consecutive_failures == 1
    assert abs((feed.next_poll_at - (NOW + timedelta(hours=2))).total_seconds()) < 5


def test_failures_back_off_exponentially_then_pause(session, editor, site):
    feed = add_feed(
        session, editor, site.set("/broken", Page(b"oops", 500)), poll_interval_minutes=30
    )
    when = NOW
    delays = []
    for _ in range(9):
        outcome = poll(session, feed, when)
        assert outcome.status == "error"
        delays.append(feed.next_poll_at - when)
        when = feed.next_poll_at
    assert delays[:3] == [timedelta(minutes=60), timedelta(minutes=120), timedelta(minutes=240)]
    assert max(delays) == schedule.BACKOFF_CAP == delays[-1]
    assert "HTTP 500" in feed.last_error and feed.consecutive_failures == 9
    outcome = poll(session, feed, when)
    assert outcome.status == "paused"
    assert feed.is_paused(later(60 * 24 * 365)) and feed.pause_reason == "10 failed polls in a row"
    assert polling.due_feed_ids(session, later(60 * 24 * 365)) == []


def test_an_edited_item_is_updated_and_reaudited(session, editor, site):
    feed = add_feed(session, editor, site.feed("/f", [SAM]))
    poll(session, feed)
    (item,) = items(session, feed)
    first_id, first_seen = item.id, item.first_seen_at
    assert item.verdict == "pass"
    edited = Entry("a", SAM.title, "<p>Small business? Go on-premise.</p>", SAM.link)
    site.feed("/f", [edited])
    outcome = poll(session, feed, later(61))
    assert (outcome.new_items, outcome.updated_items) == (0, 1)
    (item,) = items(session, feed)
    assert item.id == first_id and item.first_seen_at == first_seen
    assert item.changed_at == later(61)
    assert item.verdict == "warn" and item.negative_matches == 1 and not item.suggested


def test_one_bad_feed_never_stops_a_batch(session, editor, site):
    good = add_feed(session, editor, site.feed("/good", [SAM, PLAIN]))
    bad = add_feed(
        session,
        editor,
        site.set("/bad", Page(b"<html>not a feed</html>", 200, {"Content-Type": "text/html"})),
    )
    dead = add_feed(session, editor, "http://127.0.0.1:9/nothing-listens-here")
    outcomes = {}
    for outcome in polling.poll_due(session, NOW, allow_private=True):
        session.commit()
        outcomes[outcome.feed_id] = outcome
    assert outcomes[good.id].new_items == 2
    assert outcomes[bad.id].status == "error" and bad.last_error
    assert outcomes[dead.id].status == "error" and dead.consecutive_failures == 1
    assert session.scalar(select(func.count(FeedItem.id))) == 2


def test_private_addresses_are_refused_unless_allowed(session, editor, site):
    feed = add_feed(session, editor, site.feed("/f", [SAM]))
    outcome = polling.poll_feed(session, feed.id, now=NOW, allow_private=False)
    assert outcome.status == "error" and "FEED_ALLOW_PRIVATE" in feed.last_error
    assert site.hits["/f"] == 0


def test_poll_due_only_polls_due_feeds_unless_asked(session, editor, site):
    due = add_feed(session, editor, site.feed("/due", [SAM]), next_poll_at=NOW)
    later_feed = add_feed(session, editor, site.feed("/later", [SAM]), next_poll_at=later(30))
    polled = [o.feed_id for o in polling.poll_due(session, NOW, allow_private=True)]
    assert polled == [due.id]
    session.commit()
    polled = {
        o.feed_id for o in polling.poll_due(session, NOW, allow_private=True, include_not_due=True)
    }
    assert polled == {due.id, later_feed.id}


def test_store_merges_items_inserted_concurrently(session, editor, site, monkeypatch):
    """A retried job, or a second poller, that read "not there yet" must not fail or duplicate."""
    from planner.services.feeds import store
    from planner.services.feeds.parse import parse_feed

    feed = add_feed(session, editor, site.feed("/f", [SAM, PLAIN]))
    poll(session, feed)
    parsed = parse_feed(site.pages["/f"].body, url=feed.url)
    real_existing, calls = store._existing, []

    def stale_then_real(*args):
        calls.append(1)
        return {} if len(calls) == 1 else real_existing(*args)

    monkeypatch.setattr(store, "_existing", stale_then_real)
    result = store_entries(session, feed, parsed.entries, later(5))
    session.commit()
    assert len(calls) == 2 and result.new == 0 and result.unchanged == 2
    assert len(items(session, feed)) == 2


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, 60), (1, 120), (3, 480), (5, 1440), (30, 1440)],
)
def test_backoff_delay(failures, expected):
    assert schedule.backoff_delay(timedelta(minutes=60), failures) == timedelta(minutes=expected)
