"""Polling on the real queue: two `flask worker` processes on Redis, a local feed server.

Each due feed must be fetched exactly once however often the scheduler runs, no item may be
stored twice, and a job whose worker was killed mid-poll must be picked up again.
Uses Redis database 15 and a queue name of its own per test (job ids and locks carry it), so
runs sharing the Redis do not collide; skipped when Redis is down (failed on CI).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from planner import tasks
from planner.models import utcnow
from planner.models.feed import Feed, FeedItem

from .helpers import Entry, rss

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def lock_ttl() -> int:
    """Seconds a feed lock lives (and a poll job may run); short where a test waits it out."""
    return 60


@pytest.fixture
def queue_env(app_ctx, database_url, lock_ttl) -> Iterator[dict[str, str]]:
    """Point this process and the workers at a flushed Redis db and a queue of our own."""
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisError as error:
        message = f"Redis at {REDIS_URL} is unreachable: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    # No FLUSHDB: another test run may share this Redis. Every key of ours carries the
    # queue name (queue, jobs, locks), which is new for each test.
    queue = f"test-feeds-{uuid.uuid4().hex[:8]}"
    overrides = {
        "REDIS_URL": REDIS_URL,
        "RQ_QUEUE": queue,
        "FEED_ALLOW_PRIVATE": True,
        "FEED_LOCK_TTL_SECONDS": lock_ttl,
    }
    saved = {key: app_ctx.config.get(key) for key in overrides}
    app_ctx.config.update(overrides)
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "RQ_QUEUE": queue,
        "FEED_ALLOW_PRIVATE": "1",
        "FEED_LOCK_TTL_SECONDS": str(lock_ttl),
        "SECRET_KEY": "test-secret",
        "EMBEDDED_POLLER": "0",
    }
    yield env
    app_ctx.config.update(saved)
    for key in connection.scan_iter(match=f"*{queue}*", count=1000):
        connection.delete(key)


@pytest.fixture
def start_worker(queue_env) -> Iterator[Callable[[], subprocess.Popen]]:
    """Start `flask worker` processes; each is stopped (or killed) at the end of the test."""
    from redis import Redis
    from rq import Queue, Worker

    started: list[subprocess.Popen] = []
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(queue_env["RQ_QUEUE"], connection=connection)

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "worker"],
            cwd=ROOT,
            env=queue_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: RQ's scheduler child goes with it
        )
        started.append(process)
        alive = {p.pid for p in started if p.poll() is None}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # registered with Redis means ready to take jobs
            if len({w.pid for w in Worker.all(queue=queue)} & alive) >= len(alive):
                return process
            if process.poll() is not None:
                pytest.fail(f"worker exited: {process.stdout.read()}")
            time.sleep(0.1)
        pytest.fail("worker did not register with Redis in 30 s")

    yield start
    for process in started:
        signal_group(process, signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            signal_group(process, signal.SIGKILL)
            process.wait()
        signal_group(process, signal.SIGKILL)  # anything it left behind
        print(f"--- worker {process.pid} ---\n{process.stdout.read()}")  # shown on failure


def signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def entries(n: int, prefix: str) -> list[Entry]:
    return [
        Entry(f"{prefix}-{i}", f"{prefix} post {i} for a small business", f"<p>Entry {i}.</p>")
        for i in range(n)
    ]


def all_polled(session, ids) -> bool:
    session.expire_all()
    polled = session.scalars(select(Feed.last_polled_at).where(Feed.id.in_(ids)))
    return all(at is not None for at in polled)


def test_two_workers_fetch_each_due_feed_exactly_once(session, editor, site, start_worker):
    from redis import Redis
    from rq import Queue, Worker

    paths = [f"/feed/{i}.xml" for i in range(8)]
    for path in paths:
        site.feed(path, entries(5, path.split("/")[-1]))
        site.pages[path].delay = 0.3  # long enough for both workers to be busy at once
        session.add(Feed(workspace_id=editor.workspace_id, url=site.url(path)))
    session.commit()
    ids = list(session.scalars(select(Feed.id)))
    start_worker(), start_worker()

    queued = tasks.enqueue_due(session, utcnow())
    assert sorted(queued) == sorted(ids)
    assert tasks.enqueue_due(session, utcnow()) == []  # already queued or running
    assert all(tasks.enqueue_feed_poll(feed_id) is None for feed_id in ids[:4])
    wait_until(lambda: all_polled(session, ids))
    assert tasks.enqueue_due(session, utcnow()) == []  # polled: nothing is due now

    time.sleep(0.5)  # let any stray duplicate job run, so the count below would catch it
    assert {path: site.hits[path] for path in paths} == dict.fromkeys(paths, 1)
    assert session.scalar(select(func.count(FeedItem.id))) == 8 * 5
    identities = session.scalar(select(func.count(func.distinct(FeedItem.identity))))
    assert identities == 8 * 5
    session.expire_all()
    assert {f.last_status for f in session.scalars(select(Feed))} == {"ok"}
    queue = Queue(tasks.queue_name(), connection=Redis.from_url(REDIS_URL))
    done = [w.successful_job_count for w in Worker.all(queue=queue)]
    assert sum(done) == 8 and all(count > 0 for count in done), done


@pytest.mark.parametrize("lock_ttl", [5])
def test_a_killed_workers_poll_is_picked_up_again(session, editor, site, start_worker, lock_ttl):
    release = threading.Event()
    body = rss(entries(6, "slow"))

    def hang_then_serve(handler) -> None:
        if site.hits["/slow.xml"] == 1:  # the first request hangs: its worker gets killed
            release.wait(30)
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site.set("/slow.xml", hang_then_serve)
    session.add(Feed(workspace_id=editor.workspace_id, url=site.url("/slow.xml")))
    session.commit()
    (feed_id,) = session.scalars(select(Feed.id))
    first = start_worker()
    assert tasks.enqueue_due(session, utcnow()) == [feed_id]
    wait_until(lambda: site.hits["/slow.xml"] == 1, timeout=30)
    signal_group(first, signal.SIGKILL)  # the machine dies: worker and its scheduler
    first.wait()
    assert tasks.enqueue_due(session, utcnow()) == []  # its lock still says "being polled"
    time.sleep(lock_ttl + 0.5)  # the dead worker's lock expires
    assert tasks.enqueue_due(session, utcnow()) == [feed_id]
    release.set()
    start_worker()
    wait_until(lambda: all_polled(session, [feed_id]))
    assert site.hits["/slow.xml"] == 2
    assert session.scalar(select(func.count(FeedItem.id))) == 6


def test_with_redis_the_embedded_poller_only_queues(app_ctx, queue_env, session, editor, site):
    from redis import Redis
    from rq import Queue

    from planner.cli.feeds import EmbeddedPoller

    session.add(Feed(workspace_id=editor.workspace_id, url=site.feed("/f", entries(2, "f"))))
    session.commit()
    (feed_id,) = session.scalars(select(Feed.id))
    poller = EmbeddedPoller(app_ctx)
    assert poller.run_once() == 1
    assert poller.run_once() == 0  # already queued
    queue = Queue(queue_env["RQ_QUEUE"], connection=Redis.from_url(REDIS_URL))
    assert queue.job_ids == [tasks.feed_job_id(feed_id)]
    assert site.hits["/f"] == 0  # workers poll, not the web process
