"""Redis going away: pages that need the queue answer 503, and `flask worker` carries on.

Each test runs a `redis-server` of its own on a free loopback port (database 14), kills it
and starts it again on the same port; the shared Redis is never touched.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from planner import outages, tasks
from planner.cli.feeds import EmbeddedPoller
from planner.models.feed import Feed
from tests.feed_polling.helpers import SAM_ENTRY

from .helpers import ROOT, RedisServer, stop_process, wait_until

QUEUE_DOWN = "The task queue (Redis) is unavailable"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.kill()
    outages.queue.active = False


@pytest.fixture
def on_queue(app_ctx, redis_server) -> Iterator[dict[str, str]]:
    """This app and the workers it starts on the test's Redis, with a queue of their own."""
    overrides = {
        "REDIS_URL": redis_server.url(),
        "RQ_QUEUE": f"test-faults-{uuid.uuid4().hex[:8]}",
        "FEED_ALLOW_PRIVATE": True,
    }
    saved = {key: app_ctx.config.get(key) for key in overrides}
    app_ctx.config.update(overrides)
    logging.getLogger(outages.log.name).disabled = False  # see conftest.breakable_database
    yield {"REDIS_URL": overrides["REDIS_URL"], "RQ_QUEUE": overrides["RQ_QUEUE"]}
    app_ctx.config.update(saved)


def _feed(session, editor, site, path: str) -> int:
    feed = Feed(workspace_id=editor.workspace_id, url=site.feed(path, [SAM_ENTRY]))
    session.add(feed)
    session.commit()
    return feed.id


def _polled(session, feed_id: int) -> bool:
    session.expire_all()
    return session.scalar(select(Feed.last_polled_at).where(Feed.id == feed_id)) is not None


def _outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "planner.outage"]


def test_poll_now_is_a_503_with_a_message_while_redis_is_down(
    client, login, session, editor, site, on_queue, redis_server, caplog
):
    feed_id = _feed(session, editor, site, "/f.xml")
    login("ed@example.com")
    caplog.set_level(logging.INFO)
    queued = client.post(f"/feeds/{feed_id}/poll", follow_redirects=True)
    assert "Queued a poll" in queued.get_data(as_text=True)

    redis_server.kill()
    for _ in range(3):
        page = client.post(f"/feeds/{feed_id}/poll")
        assert page.status_code == 503
        assert QUEUE_DOWN in page.get_data(as_text=True)
    answer = client.post(f"/feeds/{feed_id}/poll", headers={"Accept": "application/json"})
    assert answer.status_code == 503
    assert answer.get_json()["error"]["code"] == "unavailable"
    assert answer.get_json()["error"]["message"].startswith(QUEUE_DOWN)
    lines = _outage_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith("task queue (Redis) unavailable: "), lines
    assert not [r for r in caplog.records if r.exc_info]

    redis_server.start()
    tasks.get_queue().empty()  # the first poll's job went with the old server; be sure
    again = client.post(f"/feeds/{feed_id}/poll", follow_redirects=True)
    assert "Queued a poll" in again.get_data(as_text=True)
    assert _outage_lines(caplog)[1:] == ["task queue (Redis) is back"]


@pytest.mark.parametrize("moment", ["idle", "mid-job"])
def test_the_worker_reconnects_after_redis_restarts(
    database_url, session, editor, site, on_queue, redis_server, moment
):
    """Redis dies while the worker waits for jobs, or while it runs one (RQ then quit)."""
    env = {
        **os.environ,
        **on_queue,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": database_url,
        "FEED_ALLOW_PRIVATE": "1",
        "SECRET_KEY": "test-secret",
        "EMBEDDED_POLLER": "0",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = ""
    try:
        before = _feed(session, editor, site, "/before.xml")
        if moment == "mid-job":
            site.pages["/before.xml"].delay = 4
        tasks.enqueue_feed_poll(before)
        if moment == "mid-job":
            wait_until(lambda: site.hits["/before.xml"] == 1, timeout=60)
        else:
            wait_until(lambda: _polled(session, before), timeout=60)

        redis_server.kill()
        time.sleep(8)  # long enough for the worker to notice and to retry a few times
        assert worker.poll() is None, "the worker exited when Redis went away"
        redis_server.start()

        after = _feed(session, editor, site, "/after.xml")
        tasks.enqueue_feed_poll(after)
        wait_until(lambda: _polled(session, after), timeout=90)
        assert worker.poll() is None
    finally:
        output = stop_process(worker)
        print(output)  # shown on failure
    assert "Traceback" not in output
    assert output.count("task queue (Redis) unavailable: ") == 1, "one line per outage"
    assert output.count("task queue (Redis) is back") == 1


def test_the_embedded_poller_logs_a_redis_outage_once(
    app_ctx, session, editor, site, on_queue, redis_server, caplog
):
    _feed(session, editor, site, "/due.xml")
    redis_server.kill()
    caplog.set_level(logging.INFO)
    poller = EmbeddedPoller(app_ctx, tick=0.05).start()
    try:
        time.sleep(1.5)  # dozens of rounds, each failing to queue the due feed
    finally:
        poller.stop()
    lines = _outage_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith("task queue (Redis) unavailable: "), lines
    assert not [r for r in caplog.records if r.exc_info], "no traceback per round"
