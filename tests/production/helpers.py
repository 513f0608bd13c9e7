"""The production set-up on this machine: a database of its own, gunicorn, `flask worker`s,
`flask scheduler`s, and API clients that retry the way a careful client would.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_PRODUCTION_REDIS_URL", "redis://127.0.0.1:6379/5")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def scratch_database(base_url: str) -> Iterator[str]:
    """A PostgreSQL database of its own next to `base_url`'s, dropped afterwards."""
    url = sa.engine.make_url(base_url)
    name = f"{url.database}_prod_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        started = time.monotonic()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        print(f"dropped {name} in {time.monotonic() - started:.1f} s")


@dataclass
class Seeded:
    workspace: str
    tokens: list[str]


def migrate_and_seed(database_url: str, clients: int) -> Seeded:
    """Migrate the database, then an owner, a buyer and a negative persona, a token per client."""
    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db
    from planner.services import accounts
    from planner.services.personas import service as persona_service
    from planner.services.personas.schema import validate_persona
    from tests.helpers import PASSWORD, persona_doc

    app = create_app({"SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        user = accounts.create_user(
            db.session, email="owner@example.com", password=PASSWORD, workspace="Prod", role="owner"
        )
        db.session.flush()
        workspace = accounts.find_workspace(db.session, "Prod")
        actor = accounts.actor_for(db.session, user.id, workspace.id)
        assert actor is not None
        for doc in (
            persona_doc(),
            persona_doc(
                name="Small Business Sam",
                kind="buyer",
                thresholds={},
                keywords=[{"term": "small business"}, {"term": "invoice"}],
            ),
        ):
            persona_service.create_persona(db.session, actor, validate_persona(doc))
        tokens = [
            accounts.create_token_for(
                db.session, email=user.email, workspace="Prod", name=f"client {n}"
            ).secret
            for n in range(clients)
        ]
        db.session.commit()
        db.engine.dispose()
    return Seeded("Prod", tokens)


@dataclass
class Processes:
    """Processes started for one test, each in its own process group, all stopped at the end."""

    env: dict[str, str]
    started: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    logs: dict[int, Path] = field(default_factory=dict)
    log_dir: Path = Path("/tmp")

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = self.log_dir / f"{name}-{len(self.started)}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", *args],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append((name, process))
        self.logs[process.pid] = log
        return process

    def output(self, process: subprocess.Popen) -> str:
        return self.logs[process.pid].read_text(errors="replace")

    def stop_all(self) -> None:
        for _, process in self.started:
            _signal_group(process, signal.SIGTERM)
        for _, process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            _signal_group(process, signal.SIGKILL)  # anything it left behind

    def report(self) -> str:
        return "\n".join(
            f"--- {name} {process.pid} ---\n{self.output(process)[-3000:]}"
            for name, process in self.started
        )


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class ApiClient:
    """A client that never writes twice: after an answer it did not get, it looks first.

    A POST whose connection broke (its web worker was killed) may or may not have been
    committed; the client lists what exists before sending it again.
    """

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token
        self.unanswered = 0  # requests that got no answer (a killed worker) or a 5xx

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def create_once(self, path: str, body: dict, exists: Callable[[], bool]) -> None:
        status, answer = None, None
        for _ in range(20):
            try:
                status, answer = self.call("POST", path, body)
            except OSError as error:  # no answer: the worker died; did the write land?
                status, answer = None, error
            if status == 201:
                return
            if status is not None and status < 500:
                raise AssertionError(f"POST {path} answered {status}: {answer}")
            self.unanswered += 1
            time.sleep(0.2)
            with contextlib.suppress(OSError):
                if exists():
                    return
        raise AssertionError(f"POST {path} never succeeded; last answer {status}: {answer}")

    def titles(self) -> list[str]:
        found, offset = [], 0
        while True:
            status, answer = self.call("GET", f"/api/v1/pieces?limit=100&offset={offset}")
            assert status == 200, answer
            pieces = answer["pieces"]
            found += [piece["title"] for piece in pieces]
            if len(pieces) < 100:
                return found
            offset += 100

    def feed_urls(self) -> list[str]:
        status, answer = self.call("GET", "/api/v1/feeds")
        assert status == 200, answer
        return [feed["url"] for feed in answer["feeds"]]
