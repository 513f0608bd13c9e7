"""A batch poll parses and audits in worker processes: every item once, audited, nothing lost.

The pool is the process-wide one `poll_due` uses (`feeds.workers`); the crash test kills one
of its processes mid-poll and checks that a fresh pool picks the documents up again.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import event, func, select

from planner.extensions import db
from planner.models.feed import Feed, FeedItem
from planner.services.feeds import batch, digest, polling, workers

from .helpers import NOW, Entry, FeedSite, Page, later, rss

PROCESSES = 2
ENTRIES = 40  # enough that a document is still being audited when the workers die


def _entries(feed_no: int, count: int, *, start: int = 0) -> list[Entry]:
    """Entries whose summaries speak to the buyer persona every third item."""
    return [
        Entry(
            f"f{feed_no}-{n}",
            f"Post {n} of feed {feed_no}",
            "<p>A small business sends an invoice.</p>" if n % 3 == 0 else "<p>Weekly notes.</p>",
            f"https://example.com/{feed_no}/{n}",
        )
        for n in range(start, start + count)
    ]


def _add_feeds(session, actor, urls: list[str]) -> list[int]:
    feeds = [Feed(workspace_id=actor.workspace_id, url=url) for url in urls]
    session.add_all(feeds)
    session.commit()
    return [feed.id for feed in feeds]


def _poll(session, when=NOW, **options) -> list[polling.PollOutcome]:
    outcomes = []
    for outcome in polling.poll_due(
        session, when, allow_private=True, include_not_due=True, **options
    ):
        session.commit()
        outcomes.append(outcome)
    return outcomes


def _stored(session) -> list[tuple[int, str, str | None]]:
    rows = session.execute(select(FeedItem.feed_id, FeedItem.identity, FeedItem.verdict))
    return [(feed_id, identity, verdict) for feed_id, identity, verdict in rows]


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """The SQL this process sends while the test runs."""
    seen: list[str] = []
    engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_a_pool_poll_stores_every_item_once_and_audited(session, editor, site):
    urls = [site.feed(f"/f{i}.xml", _entries(i, 12)) for i in range(4)]
    # The same document under two URLs: two feeds, each with its own copy of every item.
    urls.append(site.feed("/copy.xml", _entries(0, 12)))
    # Repeated GUIDs within one document: the first one wins.
    doubled = rss(_entries(9, 3) + _entries(9, 3))
    urls.append(
        site.set("/doubled.xml", Page(doubled, 200, {"Content-Type": "application/rss+xml"}))
    )
    ids = _add_feeds(session, editor, urls)

    outcomes = _poll(session, processes=PROCESSES)
    assert sorted(o.feed_id for o in outcomes) == ids
    assert [o.status for o in outcomes] == ["ok"] * len(ids)
    stored = _stored(session)
    assert len(stored) == 5 * 12 + 3 == sum(o.new_items for o in outcomes)
    assert len({(feed_id, identity) for feed_id, identity, _ in stored}) == len(stored)
    assert all(verdict in {"pass", "warn"} for _, _, verdict in stored), "every item audited"
    sam = session.scalar(select(FeedItem).where(FeedItem.identity == "f0-0").limit(1))
    assert sam.buyer_matches == 1 and sam.suggested and sam.audit["verdict"] == sam.verdict

    # Polled again with changed documents (one more entry each): only the new ones are added.
    for i in range(4):
        site.feed(f"/f{i}.xml", _entries(i, 13))
    again = _poll(session, later(61), processes=PROCESSES)
    assert sum(o.new_items for o in again) == 4
    assert {o.status for o in again} == {"ok", "unchanged"}
    assert session.scalar(select(func.count(FeedItem.id))) == len(stored) + 4


def test_a_repoll_skips_unchanged_items_without_reading_their_audits(
    session, editor, site, statements, monkeypatch
):
    urls = [site.feed(f"/r{i}.xml", _entries(i, 10)) for i in range(2)]
    _add_feeds(session, editor, urls)
    _poll(session, processes=PROCESSES)
    first = {identity: verdict for _, identity, verdict in _stored(session)}
    assert len(first) == 20 and None not in first.values()

    # Edited: one entry each gets a new summary; two entries are new; the rest are unchanged.
    for i in range(2):
        entries = _entries(i, 12)
        entries[1].summary = "<p>Install it on-premise, then the RFP.</p>"
        site.feed(f"/r{i}.xml", entries)
    statements.clear()
    outcomes = _poll(session, later(61), processes=PROCESSES)
    assert [(o.new_items, o.updated_items) for o in outcomes] == [(2, 1), (2, 1)]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert reads, "the re-poll reads what is stored"
    assert not [s for s in reads if "feed_item.audit" in s], "no stored audit is read back"
    edited = session.scalar(select(FeedItem).where(FeedItem.identity == "f0-1"))
    assert edited.verdict == "warn" and edited.negative_matches == 1

    # The same in this process (a single feed, as a queue job polls): the unchanged items
    # are not audited again, only the edited one is.
    audited: list[str] = []
    real = digest.audit_lexicons
    monkeypatch.setattr(
        digest, "audit_lexicons", lambda text, *a, **k: audited.append(text) or real(text, *a, **k)
    )
    entries = _entries(0, 12)
    entries[2].summary = "<p>A new summary.</p>"
    site.feed("/r0.xml", entries)
    statements.clear()
    feed_id = session.scalar(select(Feed.id).where(Feed.url == urls[0]))
    outcome = polling.poll_feed(session, feed_id, now=later(122), allow_private=True)
    session.commit()
    assert (outcome.new_items, outcome.updated_items) == (0, 2)  # f0-1 back, f0-2 edited
    assert len(audited) == 2
    assert not [s for s in statements if "feed_item.audit" in s and "SELECT" in s.upper()]


def _kill_the_workers() -> None:
    """SIGKILL every worker of the pool, as the kernel's OOM killer would."""
    pool = workers.shared(PROCESSES)
    processes = list(getattr(pool, "_processes", {}) or {})
    assert processes, "the pool has started its workers"
    for pid in processes:
        os.kill(pid, signal.SIGKILL)


def test_a_worker_killed_mid_poll_loses_nothing(
    session, editor, site: FeedSite, caplog, monkeypatch
):
    count = 8  # the last one's fetch kills the workers while earlier documents are with them
    armed: list[bool] = []
    killed: list[bool] = []

    def page_that_kills(feed_no: int):
        body = rss(_entries(feed_no, ENTRIES))

        def serve(handler) -> None:
            if armed and not killed:  # the last fetch: earlier documents are with the workers
                killed.append(True)
                _kill_the_workers()
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        return serve

    urls = [site.feed(f"/k{i}.xml", _entries(i, ENTRIES)) for i in range(count - 1)]
    urls.append(site.set(f"/k{count - 1}.xml", page_that_kills(count - 1)))
    _add_feeds(session, editor, urls)
    warm = _poll(session, processes=PROCESSES)  # warms the pool; everything stored
    assert len(warm) == count, warm
    session.execute(sa.delete(FeedItem))
    session.execute(sa.update(Feed).values(body_hash=None, etag=None))
    session.commit()

    armed.append(True)
    monkeypatch.setattr(batch.log, "disabled", False)  # alembic's fileConfig disables it
    caplog.set_level(logging.WARNING, logger=batch.__name__)
    outcomes = _poll(session, later(61), processes=PROCESSES, threads=2)
    assert killed == [True]
    assert "died" in caplog.text, "the poll saw its workers die and sent their documents again"
    assert sorted(o.status for o in outcomes) == ["ok"] * count
    stored = _stored(session)
    assert len(stored) == count * ENTRIES
    assert len({(f, i) for f, i, _ in stored}) == len(stored)
    assert all(verdict is not None for _, _, verdict in stored)


def test_a_caller_that_commits_once_at_the_end_loses_nothing(session, editor, site):
    # More feeds than a round keeps in flight: some are fetched after others were stored.
    urls = [site.feed(f"/once{i}.xml", _entries(i, 3)) for i in range(10)]
    _add_feeds(session, editor, urls)
    outcomes = list(
        polling.poll_due(session, NOW, allow_private=True, processes=PROCESSES, threads=1)
    )
    session.commit()
    assert [o.new_items for o in outcomes] == [3] * 10
    assert session.scalar(select(func.count(FeedItem.id))) == 30
    assert session.scalar(select(func.count(Feed.id)).where(Feed.last_status == "ok")) == 10
