"""`flask feeds ...` (add, poll, list, OPML), `flask worker`, and the poller beside `serve`.

`import-opml FILE` and `export-opml` move subscriptions to and from feed readers.

Embedded mode (no REDIS_URL): a background thread of `flask serve` polls due feeds itself,
so a fresh install needs one command. Scaled mode (REDIS_URL set): that thread only queues
due feeds, and `flask worker` processes (on any machine) poll them.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup, ScriptInfo, pass_script_info

from planner import outages, queue, tasks
from planner.cli import rq_worker
from planner.cli.operator import fail, workspace_actor
from planner.config import is_on
from planner.errors import PlannerError, QueueUnavailable
from planner.extensions import db
from planner.models import utcnow
from planner.process import ready_to_serve
from planner.services.feeds import admin as feed_admin
from planner.services.feeds import opml as feed_opml
from planner.services.feeds.polling import poll_due

log = logging.getLogger(__name__)

feeds_cli = AppGroup("feeds", help="Monitor RSS/Atom feeds.")
DEFAULT_TICK_SECONDS = 60


def _details(error: PlannerError) -> str:
    details = error.details if isinstance(error.details, dict) else {}
    return "; ".join(f"{k}: {v}" for k, v in details.items()) or error.message


@feeds_cli.command("add")
@click.argument("url")
@click.option("--workspace", required=True)
@click.option("--title", default=None, help="Default: the feed's own title.")
@click.option("--interval", type=int, default=None, help="Minutes between polls (min 5).")
@click.option("--persona", "personas", multiple=True, help="Persona name or id; repeatable.")
@click.option("--channel", default=None, help="Channel name or id.")
def feeds_add(url, workspace, title, interval, personas, channel) -> None:
    """Monitor a feed; refused for private addresses unless FEED_ALLOW_PRIVATE=1."""
    actor = workspace_actor(workspace)
    data: dict = {"url": url}
    if title is not None:
        data["title"] = title
    if interval is not None:
        data["poll_interval_minutes"] = interval
    if personas:
        data["personas"] = list(personas)
    if channel is not None:
        data["channel"] = channel
    allow_private = bool(current_app.config.get("FEED_ALLOW_PRIVATE"))
    try:
        feed = feed_admin.add_feed(db.session, actor, data, allow_private=allow_private)
    except PlannerError as error:
        db.session.rollback()
        fail(_details(error))
    db.session.commit()
    click.echo(f"Feed {feed.id} added: {feed.url} (polled every {feed.poll_interval_minutes} min).")


@feeds_cli.command("poll")
@click.option("--workspace", required=True)
@click.option("--all", "everything", is_flag=True, help="Every active feed, not just due ones.")
def feeds_poll(workspace: str, everything: bool) -> None:
    """Poll the workspace's due feeds now, in this process, and report each one."""
    actor = workspace_actor(workspace)
    allow_private = bool(current_app.config.get("FEED_ALLOW_PRIVATE"))
    polled = new = failed = 0
    outcomes = poll_due(
        db.session,
        allow_private=allow_private,
        workspace_id=actor.workspace_id,
        include_not_due=everything,
    )
    for outcome in outcomes:
        db.session.commit()
        polled += 1
        new += outcome.new_items
        failed += outcome.status in ("error", "paused", "gone")
        line = f"feed {outcome.feed_id}: {outcome.status}"
        if outcome.new_items or outcome.updated_items:
            line += f", {outcome.new_items} new, {outcome.updated_items} updated"
        if outcome.error:
            line += f" ({outcome.error})"
        click.echo(line)
    click.echo(f"{polled} feeds polled, {new} new items, {failed} failed.")


@feeds_cli.command("list")
@click.option("--workspace", required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def feeds_list(workspace: str, fmt: str) -> None:
    """The workspace's feeds with status, next poll and item counts."""
    actor = workspace_actor(workspace)
    rows = feed_admin.list_feeds(db.session, actor)
    shaped = [feed_admin.feed_json(row) for row in rows]
    if fmt == "json":
        click.echo(json.dumps(shaped, indent=2))
        return
    for feed in shaped:
        status = feed["status"]
        if feed["last_error"] and status in ("failing", "paused", "retired"):
            status += f": {feed['last_error']}"
        click.echo(
            f"{feed['id']:>4}  {feed['title'] or feed['url']}  [{status}]  "
            f"{feed['items']} items ({feed['new_items']} new)  next {feed['next_poll_at'] or '-'}"
        )
    if not shaped:
        click.echo("No feeds.")


@feeds_cli.command("import-opml")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--workspace", required=True)
def feeds_import_opml(path: str, workspace: str) -> None:
    """Monitor every feed an OPML file lists; skipped ones are reported. Exit 2 on a bad file."""
    actor = workspace_actor(workspace)
    try:
        with click.open_file(path, "rb") as handle:
            content = handle.read(feed_opml.MAX_OPML_BYTES + 1)
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    allow_private = bool(current_app.config.get("FEED_ALLOW_PRIVATE"))
    try:
        result = feed_admin.import_opml(db.session, actor, content, allow_private=allow_private)
    except PlannerError as error:
        db.session.rollback()
        fail(error.message)
    db.session.commit()
    for feed in result.added:
        click.echo(f"added {feed.id}: {feed.url}")
    for entry in result.duplicates:
        click.echo(f"skipped (already monitored): {entry.url}")
    for entry, reason in result.refused:
        click.echo(f"skipped (refused): {entry.url}: {reason}")
    click.echo(
        f"{len(result.added)} added, {len(result.duplicates)} already monitored,"
        f" {len(result.refused)} refused."
    )


@feeds_cli.command("export-opml")
@click.option("--workspace", required=True)
@click.option("--output", "-o", default="-", help="File to write; default: standard output.")
def feeds_export_opml(workspace: str, output: str) -> None:
    """Write the workspace's feeds as OPML 2.0, for a feed reader to import."""
    actor = workspace_actor(workspace)
    document = feed_admin.export_opml(db.session, actor)
    try:
        with click.open_file(output, "wb") as handle:
            handle.write(document)
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Exit once the queue is empty.")
@pass_script_info
def worker(info: ScriptInfo, burst: bool) -> None:
    """Run a queue worker on REDIS_URL (feed polls and other background jobs).

    It outlives Redis restarts: when Redis goes away it waits, retrying with backoff, and
    resumes once Redis answers again, logging one line per outage.
    """
    app = info.load_app()
    with app.app_context():
        url, name, shown = queue.redis_url(), queue.queue_name(), queue.shown_redis_url()
    if not url:
        fail("REDIS_URL is not set. Without Redis, `flask serve` polls feeds by itself.")
    from redis.exceptions import RedisError

    with app.app_context():
        connection = queue.redis_connection()
    try:
        connection.ping()
    except RedisError as error:
        fail(f"cannot reach Redis at {shown}: {error}")
    tasks.use_app(app)
    ready_to_serve()
    click.echo(f"Worker on queue {name!r} at {shown}{' (burst)' if burst else ''}.")
    rq_worker.run(connection, name, burst)


class EmbeddedPoller:
    """A daemon thread that polls (or, with Redis, queues) due feeds every `tick` seconds."""

    def __init__(self, app: Flask, tick: float = DEFAULT_TICK_SECONDS) -> None:
        self.app = app
        self.tick = tick
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="feed-poller", daemon=True)
        # With Redis, only the holder of the scheduler lease queues (`tasks.SCHEDULER_LEASE`).
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"
        self.lease_seconds = max(3 * tick, 10.0)
        self.leading: bool | None = None
        self.next_lead_purge = 0.0  # `time.monotonic()` of the next kept-leads purge

    def start(self) -> EmbeddedPoller:
        self.thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self.stopped.set()
        if self.thread.ident is not None:  # started
            self.thread.join(timeout)
        if self.leading:
            with self.app.app_context():
                tasks.release_scheduler(self.holder)

    def run_once(self) -> int:
        """One round; returns how many feeds were polled or queued."""
        with self.app.app_context():
            try:
                if queue.redis_url():
                    queued = tasks.enqueue_due_as_scheduler(
                        db.session, utcnow(), self.holder, self.lease_seconds
                    )
                    self._note_leading(queued is not None)
                    self._purge_leads_when_due()
                    return len(queued or ())
                allow_private = bool(self.app.config.get("FEED_ALLOW_PRIVATE"))
                count = 0
                for _ in poll_due(db.session, allow_private=allow_private):
                    db.session.commit()
                    count += 1
                    if self.stopped.is_set():
                        break
                self._purge_leads_when_due()
                return count
            finally:
                db.session.remove()

    def _purge_leads_when_due(self) -> None:
        """Purge expired kept leads at most hourly, only from the process that schedules."""
        if self.leading is False or time.monotonic() < self.next_lead_purge:
            return
        self.next_lead_purge = time.monotonic() + tasks.LEAD_PURGE_SECONDS
        tasks.purge_expired_leads()

    def _note_leading(self, leading: bool) -> None:
        """Say when this process starts or stops queueing due feeds (one line each)."""
        if leading != self.leading:
            state = "queueing due feeds" if leading else "standing by (another process queues)"
            click.echo(f"Scheduler {self.holder}: {state}.")
        self.leading = leading

    def _run(self) -> None:
        while not self.stopped.wait(min(5.0, self.tick)):
            try:
                self.run_once()
            except QueueUnavailable:
                pass  # logged once per outage (`planner.outages`); the next round retries
            except Exception as error:  # keep polling: the next round may succeed
                if outages.is_database_outage(error):
                    outages.database.down(error)
                else:
                    log.exception("feed poller round failed")
            if self.stopped.wait(max(0.0, self.tick - 5.0)):
                return


def start_embedded_poller(app: Flask) -> EmbeddedPoller | None:
    """Serve hook (`planner.hooks`): poll feeds beside the web server unless EMBEDDED_POLLER=0."""
    if not is_on(app.config.get("EMBEDDED_POLLER"), default=True):
        click.echo("Feed poller off (EMBEDDED_POLLER=0).")
        return None
    tick = float(app.config.get("EMBEDDED_POLL_SECONDS") or DEFAULT_TICK_SECONDS)
    with app.app_context():
        mode = "queueing due feeds for `flask worker`" if queue.redis_url() else "polling due feeds"
    click.echo(f"Feed poller on: {mode} every {tick:g} s.")
    return EmbeddedPoller(app, tick).start()
