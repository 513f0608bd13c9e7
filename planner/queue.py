"""The task queue's plumbing: RQ on Redis when `REDIS_URL` is set, inline otherwise.

It sits below the services, so a service can queue a job by its dotted name
(`enqueue("planner.tasks.reaudit_pieces", ...)`) without importing the jobs above it.
A self-hosted install with no Redis must still work, so `enqueue` runs the job in the
caller's process when there is no queue.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from flask import current_app, has_app_context

from planner import outages
from planner.config import DEFAULT_QUEUE, queue_settings
from planner.errors import QueueUnavailable

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue


def setting(name: str) -> Any:
    """A queue setting from the app when there is one (tests override it there)."""
    if has_app_context():
        return current_app.config.get(name)
    return queue_settings()[name]


def redis_url() -> str | None:
    return setting("REDIS_URL") or None


def shown_redis_url() -> str:
    """`REDIS_URL` as messages may print it: a password in it becomes `***`."""
    url = redis_url() or ""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def queue_name() -> str:
    """`RQ_QUEUE` lets tests and side-by-side installs use their own queue on a shared Redis."""
    return setting("RQ_QUEUE") or DEFAULT_QUEUE


def redis_connection() -> Redis:
    """A client for `REDIS_URL`; raises RuntimeError when it is not configured."""
    from redis import Redis

    url = redis_url()
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    return Redis.from_url(url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT)


REDIS_CONNECT_TIMEOUT = 5  # seconds; a request waiting on an unreachable Redis gives up


@contextmanager
def available() -> Iterator[None]:
    """Turn "Redis is down" into `QueueUnavailable` (a 503 with a message), logged once.

    Pages and API calls that need the queue wrap their Redis calls in this.
    """
    from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError

    try:
        yield
    except (ConnectionError, TimeoutError, BusyLoadingError) as error:
        outages.queue.down(error)
        raise QueueUnavailable() from error
    outages.queue.up()


def get_queue() -> Queue:
    from rq import Queue

    return Queue(queue_name(), connection=redis_connection())


def resolve(func: str | Callable) -> Callable:
    """`"package.module:function"` or `"package.module.function"` -> the function."""
    if callable(func):
        return func
    module_name, sep, attr = func.partition(":")
    if not sep:
        module_name, _, attr = func.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def _dotted(func: str | Callable) -> str:
    if isinstance(func, str):
        return func.replace(":", ".")
    return f"{func.__module__}.{func.__qualname__}"


def enqueue(func: str | Callable, *args: Any, job_id: str | None = None, **options: Any) -> Any:
    """Queue `func(*args)` on Redis, or run it now when there is no Redis.

    Returns the RQ job when queued and the function's result when run inline. `options` are
    passed to RQ (`retry`, `result_ttl`, `unique`, ...) and ignored inline.
    """
    if not redis_url():
        return resolve(func)(*args)
    with available():
        return get_queue().enqueue(_dotted(func), *args, job_id=job_id, **options)


def ping(timeout: float = 2.0) -> None:
    """Ask Redis for a PONG within `timeout` seconds; raises `redis.RedisError` if it does not.

    A readiness probe must answer before the load balancer gives up, so it does not wait
    `REDIS_CONNECT_TIMEOUT`.
    """
    from redis import Redis

    url = redis_url()
    if not url:
        raise RuntimeError("REDIS_URL is not set")
    client = Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


# Take the lease if it is free, or renew it if this holder has it; 1 if held afterwards.
_LEASE = """
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0
"""
_RELEASE_LEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def lease_key(name: str) -> str:
    return f"{queue_name()}:lease:{name}"


def hold_lease(name: str, holder: str, seconds: float) -> bool:
    """Take or renew the Redis lease `name` for `holder`; False while someone else holds it.

    Whoever holds it must renew it more often than `seconds`; a holder that dies loses it
    when it expires, and the next one to ask takes it over. This is how exactly one
    scheduler queues due feeds however many scheduler or web processes run.
    """
    result = redis_connection().eval(_LEASE, 1, lease_key(name), holder, int(seconds * 1000))
    return bool(result)


def release_lease(name: str, holder: str) -> None:
    """Give the lease up at once (a clean shutdown), if `holder` still has it."""
    redis_connection().eval(_RELEASE_LEASE, 1, lease_key(name), holder)
