"""A served process (gunicorn's workers, `flask serve`, `flask worker`) is readied so that
answering an audit runs no garbage collection: the young generation holds what one request
builds, which the request frees again, so walking it would only find it all alive."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from planner.process import ready_to_serve


@pytest.fixture
def readied() -> Iterator[None]:
    thresholds = gc.get_threshold()
    ready_to_serve()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_an_audit_request_runs_no_garbage_collection(readied, api):
    draft = "Our on-premise install answers a request for proposal, for every small business. "
    request = {"text": draft * 100, "format": "plain"}
    assert api("POST", "/audit", json=request).status_code == 200  # fills the caches
    collections: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        for _ in range(5):
            answer = api("POST", "/audit", json=request)
            assert answer.status_code == 200
    finally:
        gc.callbacks.remove(seen)
    assert len(answer.json["personas"][0]["matches"]) == 200
    assert collections == []
