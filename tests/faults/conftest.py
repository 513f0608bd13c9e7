"""Fixtures of the fault tests: a second app whose database can be taken away."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from planner import create_app, outages
from planner.extensions import db
from tests.feed_polling.fixtures import editor, site  # noqa: F401

from .helpers import TcpProxy


@dataclass
class BreakableDatabase:
    """The test database behind something a test can switch off and on again."""

    url: str
    proxy: TcpProxy | None = None
    directory: Path | None = None
    hidden: Path | None = None
    engine_options: dict = field(default_factory=dict)

    def down(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        else:
            self.directory.rename(self.hidden)

    def up(self) -> None:
        if self.proxy is not None:
            self.proxy.start()
        else:
            self.hidden.rename(self.directory)


@pytest.fixture
def breakable_database(app_ctx, database_url, tmp_path) -> Iterator[BreakableDatabase]:
    """PostgreSQL through a TCP proxy; SQLite through a directory link that can vanish.

    SQLite keeps a pooled file open, so that app opens the file per use (NullPool).
    """
    # The suite's migrations ran alembic's logging.fileConfig, which disables every logger
    # that existed then; a real `flask serve` never runs it.
    logging.getLogger(outages.log.name).disabled = False
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
        through = url.set(host="127.0.0.1", port=proxy.port)
        yield BreakableDatabase(through.render_as_string(hide_password=False), proxy=proxy)
        proxy.stop()
    else:
        database = Path(url.database)
        directory = tmp_path / "data"
        directory.symlink_to(database.parent, target_is_directory=True)
        yield BreakableDatabase(
            f"sqlite:///{directory / database.name}",
            directory=directory,
            hidden=tmp_path / "gone",
            engine_options={"poolclass": NullPool},
        )
    outages.database.active = False


def make_app(url: str, engine_options: dict | None = None, **config) -> Flask:
    """Another app on the same schema (the suite's `app` is migrated already)."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **(engine_options or {})},
            "WTF_CSRF_ENABLED": False,
            "RATE_LIMITS_ENABLED": False,
            **config,
        }
    )


@pytest.fixture
def outage_app(breakable_database) -> Iterator[Flask]:
    app = make_app(breakable_database.url, breakable_database.engine_options)
    yield app
    with app.app_context():
        db.engine.dispose()
