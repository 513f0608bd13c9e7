"""A feed poll holds no database transaction while it waits on the network.

A slow feed server used to keep a connection "idle in transaction" for the whole fetch.
The feed server below looks, while it serves, at the polling session and (on PostgreSQL)
at `pg_stat_activity`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from planner import tasks
from planner.models.feed import Feed, FeedItem
from planner.services import audit as audit_service
from planner.services.feeds import polling, workers
from tests.feed_polling.helpers import SAM_ENTRY, rss

IDLE_IN_TRANSACTION = sa.text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
)


@pytest.fixture
def open_transactions(session, database_url) -> Iterator[Callable[[], tuple[bool, int]]]:
    """(the polling session is in a transaction, PostgreSQL backends idle in one)."""
    polling_session = session()
    watcher = None
    if make_url(database_url).get_backend_name() == "postgresql":
        watcher = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")

    def look() -> tuple[bool, int]:
        idle = 0
        if watcher is not None:
            with watcher.connect() as conn:
                idle = conn.scalar(IDLE_IN_TRANSACTION)
        return polling_session.in_transaction(), idle

    yield look
    if watcher is not None:
        watcher.dispose()


@pytest.fixture
def watched_feed(site, open_transactions) -> tuple[Callable[[str], str], list]:
    """`serve(path)` sets up a feed page that records `open_transactions()` when fetched."""
    seen: list[tuple[bool, int]] = []
    body = rss([SAM_ENTRY])

    def serve(path: str, delay: float = 0.0) -> str:
        def page(handler) -> None:
            time.sleep(delay)
            seen.append(open_transactions())
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        return site.set(path, page)

    return serve, seen


def _add_feed(session, editor, url: str) -> int:
    feed = Feed(workspace_id=editor.workspace_id, url=url)
    session.add(feed)
    session.commit()
    return feed.id


def _stored(session, feed_id: int) -> int:
    return session.scalar(sa.select(sa.func.count(FeedItem.id)).where(FeedItem.feed_id == feed_id))


def test_one_feed_poll_holds_no_transaction_during_the_fetch(session, editor, watched_feed):
    serve, seen = watched_feed
    feed_id = _add_feed(session, editor, serve("/one.xml"))
    session.scalar(sa.select(Feed.url).where(Feed.id == feed_id))  # a read, as a caller does
    outcome = polling.poll_feed(session, feed_id, allow_private=True)
    session.commit()
    assert (outcome.status, outcome.new_items) == ("ok", 1)
    assert seen == [(False, 0)]
    assert _stored(session, feed_id) == 1


def test_a_batch_poll_holds_no_transaction_during_its_fetches(session, editor, watched_feed):
    """Fetches overlap the storing of the feed before; the wait for each must not."""
    serve, seen = watched_feed
    # Storing a feed, and parsing and auditing it in a warm worker, take milliseconds: a
    # cold pool would still be loading spaCy while the next fetch ends, and its storing
    # (work, not a wait) would then overlap that fetch.
    audit_service.warm_up()
    workers.warm_up(workers.default_processes())
    ids = [_add_feed(session, editor, serve(f"/batch-{i}.xml", delay=0.5)) for i in range(3)]
    outcomes = []
    for outcome in polling.poll_due(session, allow_private=True, threads=1):
        session.commit()
        outcomes.append(outcome)
    assert sorted(o.feed_id for o in outcomes) == ids
    assert {o.status for o in outcomes} == {"ok"}
    assert seen == [(False, 0)] * 3
    assert [_stored(session, i) for i in ids] == [1, 1, 1]


def test_the_poll_job_holds_no_transaction_during_the_fetch(app_ctx, session, editor, watched_feed):
    serve, seen = watched_feed
    app_ctx.config["FEED_ALLOW_PRIVATE"] = True
    try:
        feed_id = _add_feed(session, editor, serve("/job.xml"))
        result = tasks.poll_feed_job(feed_id, force=True)
    finally:
        app_ctx.config["FEED_ALLOW_PRIVATE"] = False
    assert (result["status"], result["new_items"]) == ("ok", 1)
    assert seen == [(False, 0)]
