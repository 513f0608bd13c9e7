"""Helpers tests import: the password, a persona document, raw rows for migration tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import sqlalchemy as sa

PASSWORD = "correct horse battery"


def persona_doc(**overrides) -> dict:
    doc = {
        "name": "Enterprise Procurement Pete",
        "kind": "negative",
        "summary": "IT procurement lead",
        "timezone": "America/New_York",
        "posting_windows": [{"days": ["mon", "tue"], "start": "08:00", "end": "10:30"}],
        "thresholds": {"warn": 2, "block": 5},
        "keywords": [
            {"term": "on-premise", "weight": 3, "suggest": "hosted for you"},
            {"term": "request for proposal"},
        ],
    }
    doc.update(overrides)
    return doc


MIGRATION_NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def insert_row(conn, table: str, **values) -> int:
    """Insert a row, filling required columns the test does not care about."""
    meta = sa.Table(table, sa.MetaData(), autoload_with=conn)
    for column in meta.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        if column.server_default is not None:
            continue
        python_type = column.type.python_type if not isinstance(column.type, sa.JSON) else list
        values[column.name] = {
            str: "x",
            int: 0,
            float: 0.0,
            bool: False,
            list: [],
            datetime: MIGRATION_NOW,
        }[python_type]
    return conn.execute(meta.insert().values(**values)).inserted_primary_key[0]


def sign_in_browser(page, email: str) -> None:
    """Sign in through the login form in a browser page and wait until it has left it."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


@contextlib.contextmanager
def cli_without_database(tmp_path, *command: str) -> Iterator[Callable]:
    """`flask <command> ARGS` on an app whose database cannot be opened; fails if it connects.

    For the commands that run from a persona file alone (`audit`, `leads screen`), as a
    content repository's CI or a sales script runs them, with no database anywhere.
    """
    from planner import create_app
    from planner.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/no/such/dir/planner.sqlite3",
        }
    )
    connections: list = []
    with app.app_context():
        engine = db.engine

        def record(*args) -> None:
            connections.append(args)

        sa.event.listen(engine, "connect", record)
        runner = app.test_cli_runner()
        try:
            yield lambda *args: runner.invoke(args=[*command, *args])
        finally:
            sa.event.remove(engine, "connect", record)
    assert connections == [], f"flask {' '.join(command)} --personas must not touch the database"
