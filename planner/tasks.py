"""Background jobs, run by `flask worker` on Redis or inline (see `planner.queue`).

Jobs are plain functions that take ids (never ORM objects) and open their own app context
and session, so the same function works inline, in a forked RQ work horse, or when RQ
retries it after a crash. Services queue them by dotted name and never import this module.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask, current_app, has_app_context

from planner.queue import available, get_queue, queue_name, redis_connection, redis_url, setting

if TYPE_CHECKING:
    from redis import Redis
    from rq.job import Job
    from sqlalchemy.orm import Session

_job_app: Flask | None = None


def use_app(app: Flask) -> None:
    """Run every job in a fresh context of `app` (a worker process), with its own session."""
    global _job_app
    _job_app = app
    app.extensions["planner_pid"] = os.getpid()


def _after_fork(app: Flask) -> None:
    """Drop pooled connections inherited from a parent process, without closing the parent's."""
    from planner.extensions import db

    if app.extensions.get("planner_pid") != os.getpid():
        if app.extensions.get("planner_pid") is not None:
            db.engine.dispose(close=False)
        app.extensions["planner_pid"] = os.getpid()


@contextmanager
def job_context() -> Iterator[Flask]:
    """An app context for a job, with a session of its own that is removed afterwards.

    Inline (no Redis) the job runs in the caller's context and session. In a worker
    (`use_app`, or `rq worker` with no app at all) each job gets a fresh context, so no
    state leaks from one job to the next. A forked work horse inherits the parent's pooled
    connections; sharing a socket between processes corrupts it, so they are dropped first.
    """
    global _job_app
    from planner.extensions import db

    if _job_app is None and has_app_context():
        yield current_app._get_current_object()
        return
    if _job_app is None:
        # A bare `rq worker`: load the app as the `flask` command does (FLASK_APP, else
        # wsgi.py), so the jobs below the app never import the factory above them.
        from flask.cli import ScriptInfo

        _job_app = ScriptInfo().load_app()
    with _job_app.app_context():
        _after_fork(_job_app)
        try:
            yield _job_app
        finally:
            db.session.remove()


# --- feed polling -------------------------------------------------------------------------

FEED_LOCK_TTL_SECONDS = 300  # longer than a fetch's deadline plus parsing a large feed
# RQ retries a job that raised (a database outage) or whose worker died mid-job.
FEED_JOB_RETRY = (3, [30, 120, 600])
_RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def feed_job_id(feed_id: int) -> str:
    """One id per feed and queue, so a feed is never queued twice (see `enqueue_due`).

    RQ job ids are global to a Redis database, so the queue name is part of the id: two
    installs (or test runs) sharing a Redis keep apart.
    """
    return f"{re.sub(r'[^A-Za-z0-9_-]', '_', queue_name())}-poll-feed-{feed_id}"


def feed_lock_key(feed_id: int) -> str:
    return f"{queue_name()}:lock:feed:{feed_id}"


def lock_ttl_seconds() -> int:
    """`FEED_LOCK_TTL_SECONDS` (app config or environment); also each poll job's timeout."""
    return int(setting("FEED_LOCK_TTL_SECONDS") or FEED_LOCK_TTL_SECONDS)


@contextmanager
def feed_lock(feed_id: int) -> Iterator[bool]:
    """Hold `lock:feed:<id>` while polling, so two workers never poll one feed at once.

    Yields False when another worker holds it. The TTL frees the lock of a killed worker;
    the release only deletes our own token, never a lock that expired and was re-taken.
    """
    if not redis_url():
        yield True
        return
    connection = redis_connection()
    key, token = feed_lock_key(feed_id), os.urandom(16).hex()
    acquired = bool(connection.set(key, token, nx=True, px=lock_ttl_seconds() * 1000))
    try:
        yield acquired
    finally:
        if acquired:
            connection.eval(_RELEASE, 1, key, token)


def poll_feed_job(feed_id: int, force: bool = False) -> dict:
    """Poll one feed in its own app context and session; safe to run twice or to retry.

    Without `force` the feed is polled only if it is still due once the lock is held, so
    a job queued twice, or re-queued after a crash that in fact finished, fetches nothing.
    """
    from planner.extensions import db
    from planner.models.base import utcnow
    from planner.services.feeds.polling import poll_feed

    with job_context() as app, feed_lock(feed_id) as acquired:
        if not acquired:
            return {"feed_id": feed_id, "status": "locked"}
        try:
            db.session.commit()  # inline, the caller's work: the fetch holds no transaction
            outcome = poll_feed(
                db.session,
                feed_id,
                now=utcnow(),
                allow_private=bool(app.config.get("FEED_ALLOW_PRIVATE")),
                only_if_due=not force,
            )
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        return {
            "feed_id": feed_id,
            "status": outcome.status,
            "new_items": outcome.new_items,
            "error": outcome.error,
        }


def enqueue_feed_poll(feed_id: int, *, force: bool = False) -> Job | dict | None:
    """Queue one feed's poll (or run it inline without Redis); None if it is already queued.

    Raises `QueueUnavailable` (a 503 on a page or in the API) while Redis is down.
    """
    if not redis_url():
        return poll_feed_job(feed_id, force)
    with available():
        return _enqueue_feed_poll(feed_id, force)


def _enqueue_feed_poll(feed_id: int, force: bool) -> Job | None:
    from rq import Retry
    from rq.exceptions import DuplicateJobError, NoSuchJobError
    from rq.job import Job, JobStatus

    connection = redis_connection()
    job_id = feed_job_id(feed_id)
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        job = None
    if job is not None:
        status = job.get_status()
        if status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            return None
        if status == JobStatus.STARTED and not _abandoned(job, feed_id, connection):
            return None
        job.delete()
    try:
        return get_queue().enqueue(
            poll_feed_job,
            feed_id,
            force,
            job_id=job_id,
            unique=True,
            retry=Retry(max=FEED_JOB_RETRY[0], interval=FEED_JOB_RETRY[1]),
            result_ttl=0,
            failure_ttl=24 * 3600,
            job_timeout=lock_ttl_seconds(),
        )
    except DuplicateJobError:  # another scheduler queued it between our check and now
        return None


def _abandoned(job: Job, feed_id: int, connection: Redis) -> bool:
    """A started job whose worker died: its lock has expired and it started before that."""
    from datetime import UTC, timedelta

    if connection.exists(feed_lock_key(feed_id)):
        return False
    started = job.started_at
    if started is None:
        return False
    if started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    return datetime.now(UTC) - started > timedelta(seconds=lock_ttl_seconds())


def enqueue_due(session: Session, now: datetime) -> list[int]:
    """Queue a poll for every due feed; returns the ids queued (not those already queued)."""
    from planner.services.feeds.polling import due_feed_ids

    return [
        feed_id for feed_id in due_feed_ids(session, now) if enqueue_feed_poll(feed_id) is not None
    ]


SCHEDULER_LEASE = "scheduler"  # the Redis lease of the one process that queues due feeds


def enqueue_due_as_scheduler(
    session: Session, now: datetime, holder: str, lease_seconds: float
) -> list[int] | None:
    """`enqueue_due`, but only in the process holding the scheduler lease; None elsewhere.

    Any number of `flask scheduler` (or `flask serve`) processes may run, for failover; the
    lease makes exactly one of them queue due feeds, and another takes over within
    `lease_seconds` of its death. Raises `QueueUnavailable` while Redis is down.
    """
    from planner.queue import hold_lease

    with available():
        if not hold_lease(SCHEDULER_LEASE, holder, lease_seconds):
            return None
    return enqueue_due(session, now)


def release_scheduler(holder: str) -> None:
    """Hand the lease back at a clean shutdown, so a standby takes over at its next round."""
    from redis.exceptions import RedisError

    from planner.queue import release_lease

    with suppress(RedisError):  # Redis is down: the lease expires by itself
        release_lease(SCHEDULER_LEASE, holder)


# --- piece re-audits (planner/services/pieces/audits.py) ----------------------------------


def reaudit_pieces(workspace_id: int, persona_id: int | None = None) -> dict:
    """Re-audit a workspace's unpublished pieces after a persona changed; safe to run twice.

    Commits after each batch, so a big workspace never holds one long transaction and a
    retried job skips the pieces already brought up to date.
    """
    from planner.extensions import db
    from planner.services.pieces import audits as piece_audits

    trigger = "persona_change" if persona_id is not None else "reaudit"
    total, after = 0, 0
    with job_context():
        while after is not None:
            try:
                audited, after = piece_audits.reaudit_batch(
                    db.session, workspace_id, after_id=after, trigger=trigger
                )
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
            total += audited
    return {"workspace_id": workspace_id, "persona_id": persona_id, "audited": total}


# --- kept screened leads (planner/services/leads/store.py) --------------------------------

# How often the one scheduler (`flask serve`'s poller or the lease holder among
# `flask scheduler`s, `cli.feeds.EmbeddedPoller`) purges leads past their retention.
LEAD_PURGE_SECONDS = 3600


def purge_expired_leads() -> dict:
    """Delete kept leads older than their workspace's retention period; safe to run twice."""
    from planner.extensions import db
    from planner.models.base import utcnow
    from planner.services.leads import store as lead_store

    with job_context():
        try:
            purged = lead_store.purge_expired(db.session, utcnow())
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    return {"purged": purged}
