"""`flask serve` under idle and slow clients: it must keep answering /healthz.

Waitress's defaults (100 connections) let 110 idle clients sending partial headers take
the server offline until they went away.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from .helpers import ROOT, free_port, stop_process, wait_until

SLOW_CLIENTS = 200


def _healthz(port: int, timeout: float) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as answer:
        return answer.status


def _answers(port: int) -> bool:
    try:
        return _healthz(port, 1) == 200
    except OSError:
        return False


@pytest.fixture
def served(app_ctx, database_url) -> Iterator[int]:
    """The real `flask serve` in a subprocess, on a free port; yields the port."""
    port = free_port()
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "EMBEDDED_POLLER": "0",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_until(lambda: _answers(port) or process.poll() is not None, timeout=60)
        assert process.poll() is None, process.stdout.read()
        yield port
    finally:
        print(stop_process(process))  # shown on failure


def test_healthz_answers_while_200_clients_hold_connections_with_partial_headers(served):
    sockets = []
    try:
        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", served), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(sock)
        time.sleep(1)  # let the server accept them all
        started = time.monotonic()
        assert _healthz(served, timeout=5) == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.close()
