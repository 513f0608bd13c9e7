"""Helpers for the concurrency tests: a stdlib HTTP client for the live server, race runs."""

from __future__ import annotations

import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "sqlite").strip().startswith("postgres")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="races need concurrent writers; SQLite runs one writer at a time "
    "(the 409/412 logic is tested on SQLite in test_versions_api.py and test_unique_keys.py)",
)


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]


def http(
    base: str,
    method: str,
    path: str,
    token: str,
    payload: Any = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Reply(
                response.status, json.loads(response.read() or b"null"), dict(response.headers)
            )
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode(errors="replace")
        return Reply(error.code, body, dict(error.headers))


def race(calls: list[Callable[[], Reply]]) -> list[Reply]:
    """Start every call at the same moment, each on its own thread; the replies in order."""
    barrier = threading.Barrier(len(calls))
    replies: list[Reply | None] = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            replies[index] = calls[index]()
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return [reply for reply in replies if reply is not None]


def error_of(body: Any) -> dict:
    """The API's error object, after checking the body has exactly that shape."""
    assert isinstance(body, dict) and set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]
