"""The loop behind `flask worker`: an RQ worker that outlives Redis restarts.

RQ quits when Redis goes away (or retries a dequeue forever, logging a traceback per try,
and its scheduler process dies). Here the worker waits with backoff and carries on once
Redis answers, logging one line when an outage starts and one when it ends
(`planner.outages`).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from planner import outages

if TYPE_CHECKING:
    from redis import Redis

BACKOFF = (1.0, 30.0)  # first and longest wait between reconnection attempts, seconds
_REDIS_ERRORS = ("redis.exceptions.ConnectionError", "redis.exceptions.TimeoutError")


def run(connection: Redis, queue_name: str, burst: bool) -> None:
    """Work the queue until told to stop (or, with `burst`, until it is empty)."""
    _quiet_rq()
    while _work(connection, queue_name, burst):
        if not _wait_for_redis(connection):
            return


def _redis_errors() -> tuple[type[Exception], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError)


class _OneLinePerOutage(logging.Filter):
    """Turns RQ's traceback per failed try into `outages.queue`'s one line per outage."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        message = record.getMessage()
        if isinstance(error, _redis_errors()) or "could not connect to Redis" in message:
            outages.queue.down(error or ConnectionError(message.splitlines()[0]))
            return False
        return not any(name in message for name in _REDIS_ERRORS)


def _quiet_rq() -> None:
    """Filter RQ's loggers, and let its scheduler process end quietly when Redis goes."""
    import rq.scheduler

    if not outages.log.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        outages.log.addHandler(handler)
        outages.log.propagate = False
    for name in ("rq.worker", "rq.scheduler"):
        logging.getLogger(name).addFilter(_OneLinePerOutage())
    if getattr(rq.scheduler.run, "quiet_on_redis_errors", False):
        return
    scheduler_run = rq.scheduler.run

    def run_scheduler(scheduler: Any) -> None:
        with suppress(*_redis_errors()):  # the worker starts another once Redis is back
            scheduler_run(scheduler)

    run_scheduler.quiet_on_redis_errors = True  # type: ignore[attr-defined]
    rq.scheduler.run = run_scheduler


def _worker_class() -> type:
    from rq import SimpleWorker

    class Worker(SimpleWorker):
        """SimpleWorker runs jobs in this process, so the spaCy pipeline and compiled
        matchers load once; this one also notices that Redis came back by itself."""

        def dequeue_job_and_maintain_ttl(self, *args: Any, **kwargs: Any) -> Any:
            result = super().dequeue_job_and_maintain_ttl(*args, **kwargs)
            if outages.queue.active:  # RQ's own retry got through: Redis is back
                outages.queue.up()
                self._restart_scheduler()
            return result

        def _restart_scheduler(self) -> None:
            process = getattr(self.scheduler, "_process", None)
            if self.scheduler is not None and (process is None or not process.is_alive()):
                with suppress(*_redis_errors()):
                    self.scheduler.acquire_locks(auto_start=True)

    return Worker


def _work(connection: Redis, queue_name: str, burst: bool) -> bool:
    """Run one RQ worker; True when it stopped because Redis went away (so try again)."""
    from rq import Queue

    worker = _worker_class()([Queue(queue_name, connection=connection)], connection=connection)
    try:
        worker.work(burst=burst, with_scheduler=True, logging_level="WARNING")
    except _redis_errors() as error:  # its teardown could not tell Redis it stopped
        outages.queue.down(error)
    finally:
        with suppress(Exception):  # Redis is gone; stop the pubsub thread all the same
            worker.unsubscribe()
    if burst or worker._shutdown_requested_date is not None:
        return False
    try:
        connection.ping()
    except _redis_errors() as error:
        outages.queue.down(error)
        return True
    return False


def _wait_for_redis(connection: Redis) -> bool:
    """Ping with backoff until Redis answers (True) or the worker is told to stop (False)."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    delay, longest = BACKOFF
    while not stopping.wait(delay):
        try:
            connection.ping()
        except _redis_errors():
            delay = min(delay * 2, longest)
            continue
        outages.queue.up()
        return True
    return False
