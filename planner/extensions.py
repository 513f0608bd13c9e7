"""Extensions created unbound, bound to the app in `init_app`."""

from __future__ import annotations

import time

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage
from sqlalchemy import event
from sqlalchemy.engine import Engine

from planner.config import ROOT
from planner.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# No default limits: sign-in and the API declare theirs (`planner.security`, config.py).
limiter = Limiter(key_func=get_remote_address)
IN_PROCESS_LIMITS = "planner-memory://"


class InProcessLimitStorage(MemoryStorage):
    """`limits`' memory storage (counters per process), swept in the caller every second.

    The stock one starts a thread after every hit that comes more than 10 ms after the
    last, to drop expired entries: under gunicorn, one thread per API request, ~0.45 ms
    of CPU each on a 2-core machine (`bench/api_cpu_bench.py`). The counts are the same
    (a window never trusted the sweep: `acquire_entry` and `get` compare times
    themselves); the sweep only bounds memory, so it may come late.
    """

    STORAGE_SCHEME = ["planner-memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the sweeper thread the base class starts once
        self._swept = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:  # what the base calls on every hit
        now = time.monotonic()
        if now - self._swept >= self.SWEEP_SECONDS:
            self._swept = now
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite ignores foreign keys unless each connection asks for them."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def init_app(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    if app.config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = IN_PROCESS_LIMITS
    limiter.init_app(app)
