"""Outages of what the app depends on (the database, Redis), logged once and not per request.

A PostgreSQL outage used to log a full traceback per request (37 MB in 15 s). `Outage.down`
writes one line when an outage starts and `up` one when it ends. Plain Python plus one
SQLAlchemy event, so the queue, the services' callers and the error pages can all use it.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

log = logging.getLogger("planner.outage")


class Outage:
    def __init__(self, name: str) -> None:
        self.name = name
        self.active = False
        self._lock = threading.Lock()

    def down(self, error: BaseException) -> None:
        """Note an error that means `name` is down; logs only the first of an outage."""
        with self._lock:
            if self.active:
                return
            self.active = True
        cause = getattr(error, "orig", None) or error
        lines = str(cause).strip().splitlines() or [type(cause).__name__]
        log.error("%s unavailable: %s", self.name, lines[0][:300])

    def up(self) -> None:
        """Note that `name` answered again; logs the end of an outage once."""
        if not self.active:
            return
        with self._lock:
            if not self.active:
                return
            self.active = False
        log.warning("%s is back", self.name)


database = Outage("database")
queue = Outage("task queue (Redis)")


def is_database_outage(error: BaseException) -> bool:
    """A lost or refused connection, a pool that ran dry, or a database refusing work now."""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError))


@event.listens_for(Engine, "connect")
def _connected(dbapi_connection, connection_record) -> None:
    """A new connection (pool_pre_ping replaces dead ones) means the database is back."""
    database.up()
