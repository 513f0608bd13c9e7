"""Fixtures shared by the whole suite: the app on SQLite or PostgreSQL, clients, factories.

`TEST_DATABASE_URL` picks the database: unset or `sqlite` means a fresh SQLite file, any
other URL is used as given (the schema is dropped and rebuilt by migrations at start).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from planner import create_app
from planner.extensions import db
from planner.models import Workspace
from planner.services import accounts
from planner.services.access import Actor
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from tests.helpers import PASSWORD, persona_doc

NODB_DIRS = ("nlp", "feeds", "calendar", "mix")
TESTS_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config, items) -> None:
    """Tests of pure code (engine, fetcher, calendar rules) need no database."""
    for item in items:
        parts = Path(item.fspath).relative_to(TESTS_DIR).parts
        if parts and parts[0] in NODB_DIRS:
            item.add_marker(pytest.mark.nodb)


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "sqlite").strip()
    if url in ("", "sqlite"):
        return f"sqlite:///{tmp_dir / 'test.sqlite3'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def _require_database(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        message = f"test database {url} is unreachable: {error.orig}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.exit(message, returncode=1)
        pytest.skip(message)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _database_url(tmp_path_factory.mktemp("db"))
    _require_database(url)
    return url


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory) -> Iterator[Flask]:
    """One app per test session; its schema comes from the migrations, as in production."""
    from flask_migrate import upgrade

    if database_url.startswith("postgresql"):
        _reset_postgres(database_url)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            # Sign-in and API limits would trip over the suite's many logins; tests/accounts
            # turns them on where it tests them.
            "RATE_LIMITS_ENABLED": False,
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_tables() -> None:
    # A browser test's live server may still be answering the page's last background
    # request when the test ends; PostgreSQL then aborts TRUNCATE as a deadlock with it.
    # That request ends soon, so the truncate is tried again rather than left half done.
    for attempt in range(1, 6):
        try:
            _truncate(db.metadata.sorted_tables[::-1])
            return
        except sa.exc.OperationalError as error:
            db.session.rollback()
            if attempt == 5 or "deadlock" not in str(error).lower():
                raise
            time.sleep(0.2 * attempt)


def _truncate(tables: list[sa.Table]) -> None:
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An app context per test, with every table emptied afterwards."""
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()


@pytest.fixture
def session(app_ctx):
    return db.session


@pytest.fixture
def client(app_ctx) -> FlaskClient:
    return app_ctx.test_client()


@pytest.fixture
def csrf_app(app_ctx) -> Iterator[Flask]:
    """The app with CSRF protection on, as in production (most client tests post without it)."""
    app_ctx.config["WTF_CSRF_ENABLED"] = True
    yield app_ctx
    app_ctx.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def runner(app_ctx):
    return app_ctx.test_cli_runner()


@pytest.fixture
def make_user(session) -> Callable:
    def make(email: str = "ed@example.com", workspace: str = "Acme", role: str = "editor"):
        user = accounts.create_user(
            session, email=email, password=PASSWORD, workspace=workspace, role=role
        )
        session.commit()
        return user

    return make


@pytest.fixture
def actor_for(session) -> Callable:
    def make(user, workspace: str = "Acme") -> Actor:
        ws = session.scalar(sa.select(Workspace).where(Workspace.name == workspace))
        return accounts.actor_for(session, user.id, ws.id)

    return make


@pytest.fixture
def make_persona(session) -> Callable:
    def make(actor: Actor, **overrides):
        persona = persona_service.create_persona(
            session, actor, validate_persona(persona_doc(**overrides))
        )
        session.commit()
        return persona

    return make


@pytest.fixture
def login(client) -> Callable:
    def do(user_or_email, password: str = PASSWORD, workspace_id: int | None = None):
        email = getattr(user_or_email, "email", user_or_email)
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        if workspace_id is not None:
            client.post("/workspace", data={"workspace_id": workspace_id})
        return response

    return do


@pytest.fixture
def make_token(session) -> Callable:
    def make(user, workspace: str = "Acme", name: str = "test") -> str:
        issued = accounts.create_token_for(
            session, email=user.email, workspace=workspace, name=name
        )
        session.commit()
        return issued.secret

    return make


@pytest.fixture
def live_server(app_ctx) -> Iterator[str]:
    """The app served over HTTP on a free loopback port, for the browser tests."""
    from werkzeug.serving import make_server

    app_ctx.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app_ctx, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    app_ctx.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    playwright_sync = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        message = f"Chromium not found at {executable}; `make system-deps` installs it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.exit(message, returncode=1)
        pytest.skip(message)
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A brand-new database of the kind under test (SQLite file or PostgreSQL database),
    for migration tests."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"pp_migrate_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield database_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
