"""Serving in production: `HOST`/`PORT` everywhere a URL is used or printed, gunicorn's
settings, `/readyz`, and the lease that lets exactly one scheduler queue due feeds.
"""

from __future__ import annotations

import contextlib
import os
import runpy
import signal
import subprocess
import sys
import uuid

import pytest
from sqlalchemy.exc import OperationalError

from planner import tasks
from planner.cli.feeds import EmbeddedPoller
from planner.extensions import db
from planner.models import utcnow
from planner.models.feed import Feed
from tests.production.helpers import ROOT, free_port, http_status, wait_until

REDIS_TEST_URL = os.environ.get("TEST_PRODUCTION_REDIS_LEASE_URL", "redis://127.0.0.1:6379/6")


def test_demo_load_and_invitations_print_the_configured_address(runner, app_ctx, make_user):
    saved = app_ctx.config["HOST"], app_ctx.config["PORT"]
    app_ctx.config.update(HOST="0.0.0.0", PORT=8123)
    try:
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        assert "Log in at http://127.0.0.1:8123 as demo@example.com" in result.output
        assert ":5000" not in result.output
        make_user("olivia@example.com", workspace="Acme", role="owner")
        result = runner.invoke(
            args=["users", "invite", "--workspace", "Acme", "--email", "new@example.com"]
        )
        assert result.output.startswith("http://127.0.0.1:8123/invitations/inv_"), result.output
    finally:
        app_ctx.config["HOST"], app_ctx.config["PORT"] = saved


def test_flask_scheduler_needs_redis(runner, app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", None)
    result = runner.invoke(args=["scheduler"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output


@pytest.mark.once
def test_flask_serve_listens_on_port_and_host_from_the_environment(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "SECRET_KEY": "test-secret",
        "EMBEDDED_POLLER": "0",
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    env.pop("REDIS_URL", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(
            lambda: (
                http_status(f"http://127.0.0.1:{port}/healthz") == 200 or process.poll() is not None
            ),
            60,
            "flask serve on PORT",
        )
        assert http_status(f"http://127.0.0.1:{port}/healthz") == 200, log.read_text()
        assert f"Persona Planner on http://127.0.0.1:{port}" in log.read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


@pytest.mark.nodb
def test_gunicorn_binds_host_and_port_and_runs_a_worker_per_core_unless_told(monkeypatch):
    path = str(ROOT / "gunicorn.conf.py")
    for name in ("HOST", "PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    settings = runpy.run_path(path)
    assert settings["bind"] == ["127.0.0.1:5000"]
    assert settings["workers"] == (os.cpu_count() or 1)
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    settings = runpy.run_path(path)
    assert settings["bind"] == ["0.0.0.0:8123"]
    assert settings["workers"] == 3


def test_readyz_reports_the_database_and_redis(client, app_ctx, monkeypatch):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ready", "checks": {"database": "ok"}}

    monkeypatch.setitem(app_ctx.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing there
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("unavailable: ")
    assert answer.headers["Retry-After"]

    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused\ndetail"))

    monkeypatch.setattr(db.session, "execute", refuse)
    body = client.get("/readyz").get_json()
    assert body["checks"]["database"] == "unavailable: connection refused"


@pytest.fixture
def lease_redis(app_ctx, monkeypatch):
    from redis import Redis
    from redis.exceptions import RedisError

    connection = Redis.from_url(REDIS_TEST_URL)
    try:
        connection.ping()
    except RedisError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {REDIS_TEST_URL} is unreachable: {error}")
        pytest.skip(f"Redis at {REDIS_TEST_URL} is unreachable: {error}")
    queue = f"test-lease-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app_ctx.config, "REDIS_URL", REDIS_TEST_URL)
    monkeypatch.setitem(app_ctx.config, "RQ_QUEUE", queue)
    yield connection
    for key in connection.scan_iter(match=f"*{queue}*", count=1000):
        connection.delete(key)


@pytest.mark.redis
def test_only_the_lease_holder_queues_due_feeds_and_a_standby_takes_over(
    lease_redis, app_ctx, session, make_user, actor_for
):
    actor = actor_for(make_user())
    for n in range(3):
        session.add(Feed(workspace_id=actor.workspace_id, url=f"https://example.com/{n}.xml"))
    session.commit()
    first, second = EmbeddedPoller(app_ctx, 1), EmbeddedPoller(app_ctx, 1)

    assert first.run_once() == 3  # the first to ask leads and queues every due feed
    assert second.run_once() == 0  # the other stands by
    assert (first.leading, second.leading) == (True, False)
    assert tasks.enqueue_due_as_scheduler(session, utcnow(), second.holder, 10) is None

    first.stop()  # a clean stop hands the lease over at once
    assert second.run_once() == 0  # leads now; the feeds are already queued
    assert second.leading is True
    assert first.run_once() == 0 and first.leading is False

    lease_redis.delete(*lease_redis.keys(f"{tasks.queue_name()}:lease:*"))  # the leader died
    assert first.run_once() == 0 and first.leading is True
    assert second.run_once() == 0 and second.leading is False


def test_an_api_read_commits_nothing_once_the_token_was_touched_this_minute(
    client, make_user, make_token
):
    from sqlalchemy import event

    api = {"Authorization": f"Bearer {make_token(make_user())}"}
    commits: list[int] = []

    def count(conn) -> None:
        commits.append(1)

    event.listen(db.engine, "commit", count)
    try:
        assert client.get("/api/v1/channels", headers=api).status_code == 200
        assert len(commits) == 1  # the first call of the minute writes last_used_at
        for _ in range(3):
            assert client.get("/api/v1/personas", headers=api).status_code == 200
        assert len(commits) == 1
    finally:
        event.remove(db.engine, "commit", count)
