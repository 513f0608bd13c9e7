"""The distributed mode for real: gunicorn with 2 workers, 2 `flask worker`s, 2 `flask
scheduler`s, PostgreSQL and Redis, with a web worker and a queue worker killed mid-run.

4 API clients add 50 feeds (served from loopback) and 200 pieces; every write and every
feed item must exist exactly once afterwards, and exactly one scheduler queues due feeds.
PostgreSQL only (SQLite is not the distributed mode); uses Redis db 5 and a queue name of
its own, and a scratch database next to TEST_DATABASE_URL's.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.feed_polling.helpers import Entry, FeedSite
from tests.production.helpers import (
    REDIS_URL,
    ApiClient,
    Processes,
    children,
    free_port,
    http_status,
    migrate_and_seed,
    scratch_database,
    wait_until,
)

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        os.environ.get("TEST_DATABASE_URL", "sqlite").strip() in ("", "sqlite"),
        reason="the distributed mode runs on PostgreSQL (the suite's PostgreSQL pass)",
    ),
]

FEEDS, ENTRIES, PIECES, CLIENTS = 50, 8, 200, 4
LOCK_TTL = 6  # seconds: how soon a killed worker's feed is polled again


@pytest.fixture
def redis_db():
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {REDIS_URL} is unreachable: {error}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: {error}")
    queue = f"test-prod-{uuid.uuid4().hex[:8]}"
    yield queue
    for key in connection.scan_iter(match=f"*{queue}*", count=1000):
        connection.delete(key)


@pytest.fixture
def cluster(database_url, redis_db, tmp_path):
    """Every process of the distributed mode, started on a scratch database; stopped after."""
    with scratch_database(database_url) as url:
        seeded = migrate_and_seed(url, CLIENTS)
        port = free_port()
        env = {
            **os.environ,
            "FLASK_APP": "wsgi",
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "RQ_QUEUE": redis_db,
            "SECRET_KEY": "test-secret",
            "FEED_ALLOW_PRIVATE": "1",
            "FEED_LOCK_TTL_SECONDS": str(LOCK_TTL),
            "EMBEDDED_POLL_SECONDS": "1",
            "API_TOKEN_RATE_LIMIT": "",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
        }
        processes = Processes(env, log_dir=tmp_path)
        try:
            web = processes.start("gunicorn", "gunicorn", "-c", "gunicorn.conf.py")
            workers = [processes.start("worker", "flask", "worker") for _ in range(2)]
            schedulers = [processes.start("scheduler", "flask", "scheduler") for _ in range(2)]
            base = f"http://127.0.0.1:{port}"
            wait_until(lambda: http_status(base + "/readyz") == 200, 60, "gunicorn")
            wait_until(lambda: len(children(web.pid)) == 2, 20, "2 gunicorn workers")
            wait_until(lambda: _registered(redis_db) >= 2, 60, "2 queue workers")
            yield {
                "base": base,
                "url": url,
                "tokens": seeded.tokens,
                "web": web,
                "workers": workers,
                "schedulers": schedulers,
                "processes": processes,
                "queue": redis_db,
            }
        finally:
            stopping = time.monotonic()
            processes.stop_all()
            print(processes.report())  # shown when the test fails
            print(f"stopped every process in {time.monotonic() - stopping:.1f} s")


def _registered(queue_name: str) -> int:
    from redis import Redis
    from rq import Queue, Worker

    queue = Queue(queue_name, connection=Redis.from_url(REDIS_URL))
    return len(Worker.all(queue=queue))


def _busy_worker_pid(queue_name: str, candidates: list[int]) -> int | None:
    from redis import Redis
    from rq import Queue, Worker

    queue = Queue(queue_name, connection=Redis.from_url(REDIS_URL))
    for worker in Worker.all(queue=queue):
        if worker.pid in candidates and worker.get_state() == "busy":
            return worker.pid
    return None


def _entries(feed: int) -> list[Entry]:
    return [
        Entry(
            f"f{feed}-e{n}", f"Feed {feed} post {n}", f"<p>Invoices for a small business {n}.</p>"
        )
        for n in range(ENTRIES)
    ]


def test_every_write_and_feed_item_lands_exactly_once_while_workers_die(cluster):
    site = FeedSite()
    try:
        _run(cluster, site)
    finally:
        site.close()


def _run(cluster, site: FeedSite) -> None:
    feed_urls = []
    for n in range(FEEDS):
        url = site.feed(f"/f/{n}.xml", _entries(n))
        site.pages[f"/f/{n}.xml"].delay = 0.15  # keeps the queue workers busy for a while
        feed_urls.append(url)
    titles = [f"Piece {n} about on-premise invoices" for n in range(PIECES)]
    work = [("feed", url) for url in feed_urls] + [("piece", title) for title in titles]
    random.Random(7).shuffle(work)
    clients = [ApiClient(cluster["base"], token) for token in cluster["tokens"]]
    done = Counter()
    lock = threading.Lock()

    def client_run(index: int) -> None:
        client = clients[index]
        for kind, value in work[index::CLIENTS]:
            if kind == "feed":
                client.create_once(
                    "/api/v1/feeds", {"url": value}, lambda v=value: v in client.feed_urls()
                )
            else:
                body = {"title": value, "body": f"{value}: a draft for a small business."}
                client.create_once("/api/v1/pieces", body, lambda v=value: v in client.titles())
            with lock:
                done[kind] += 1

    killed: dict[str, int] = {}

    def killer() -> None:
        """Kill a web worker a third of the way through, then a queue worker while busy."""
        wait_until(lambda: done["piece"] >= PIECES // 3, 60, "a third of the pieces")
        victim = children(cluster["web"].pid)[0]
        os.kill(victim, signal.SIGKILL)
        killed["web"] = victim
        candidates = [process.pid for process in cluster["workers"]]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not killed.get("queue"):
            killed["queue"] = _busy_worker_pid(cluster["queue"], candidates)
            time.sleep(0.05)
        os.kill(killed.get("queue") or candidates[0], signal.SIGKILL)  # mid-poll, if caught

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS + 1) as pool:
        kill = pool.submit(killer)
        for future in [pool.submit(client_run, n) for n in range(CLIENTS)]:
            future.result()
        kill.result()
    writes_took = time.monotonic() - started

    engine = sa.create_engine(cluster["url"])
    try:

        def item_count() -> int:
            with engine.connect() as conn:
                return conn.scalar(sa.text("SELECT count(*) FROM feed_item"))

        wait_until(lambda: item_count() >= FEEDS * ENTRIES, 60, "every feed item")
        time.sleep(LOCK_TTL / 2)  # a duplicate poll would land by now
        with engine.connect() as conn:
            pieces = Counter(conn.scalars(sa.text("SELECT title FROM piece")))
            feeds = Counter(conn.scalars(sa.text("SELECT url FROM feed")))
            items = Counter(
                tuple(row) for row in conn.execute(sa.text("SELECT feed_id, guid FROM feed_item"))
            )
            unaudited = conn.scalar(sa.text("SELECT count(*) FROM feed_item WHERE audit IS NULL"))
    finally:
        engine.dispose()

    assert pieces == Counter(titles)  # every piece, none twice
    assert feeds == Counter(feed_urls)
    assert len(items) == FEEDS * ENTRIES and set(items.values()) == {1}
    assert unaudited == 0
    # The web worker was replaced and the queue worker's poll was redone by the other one.
    assert killed["web"] not in children(cluster["web"].pid)
    wait_until(lambda: len(children(cluster["web"].pid)) == 2, 20, "a new web worker")
    assert http_status(cluster["base"] + "/readyz") == 200
    # Exactly one of the two schedulers queued due feeds.
    outputs = [cluster["processes"].output(p) for p in cluster["schedulers"]]
    leaders = [out for out in outputs if "queueing due feeds" in out]
    assert len(leaders) == 1, outputs
    print(
        f"writes took {writes_took:.1f} s; answers lost to the killed web worker: "
        f"{sum(c.unanswered for c in clients)}"
    )
