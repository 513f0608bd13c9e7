"""`flask scheduler`: the process that queues due feed polls when the app runs distributed.

Under gunicorn (or any WSGI server) the web processes run no background thread: one
`flask scheduler` process queues due feeds on Redis, and `flask worker`s poll them. More
than one may run (on several machines, for failover): a Redis lease
(`tasks.SCHEDULER_LEASE`) lets exactly one queue at a time, and a standby takes over
within three ticks of the leader's death.
"""

from __future__ import annotations

import signal
import threading

import click
from flask.cli import ScriptInfo, pass_script_info

from planner import queue
from planner.cli.feeds import DEFAULT_TICK_SECONDS, EmbeddedPoller
from planner.cli.operator import fail


@click.command("scheduler")
@click.option(
    "--tick",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds between looks for due feeds. Default: EMBEDDED_POLL_SECONDS "
    f"({DEFAULT_TICK_SECONDS}).",
)
@pass_script_info
def scheduler(info: ScriptInfo, tick: float | None) -> None:
    """Queue due feed polls on REDIS_URL for `flask worker`s, until stopped (SIGTERM/Ctrl-C)."""
    app = info.load_app()
    with app.app_context():
        url = queue.redis_url()
    if not url:
        fail("REDIS_URL is not set. Without Redis, `flask serve` polls feeds by itself.")
    tick = tick or float(app.config.get("EMBEDDED_POLL_SECONDS") or DEFAULT_TICK_SECONDS)
    poller = EmbeddedPoller(app, tick)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    with app.app_context():
        name = queue.queue_name()
    # Not the URL: it may carry Redis's password into the log.
    click.echo(f"Scheduler {poller.holder} for queue {name!r}, every {tick:g} s.")
    poller.start()
    while not stopping.wait(1.0):
        if not poller.thread.is_alive():
            break
    poller.stop()
    click.echo("Scheduler stopped.")
