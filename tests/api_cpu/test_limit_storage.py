"""Without Redis the limits are counted in this process, as before, but a hit no longer
starts a thread (the stock memory storage started one per request, ~0.45 ms of CPU)."""

from __future__ import annotations

import threading
import time

from planner.extensions import InProcessLimitStorage, limiter


def _timers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]


def test_a_token_budget_holds_and_no_hit_starts_a_thread(limits_on, client, make_user, make_token):
    assert isinstance(limiter.storage, InProcessLimitStorage)
    limits_on.config["API_TOKEN_RATE_LIMIT"] = "3 per minute"
    headers = {"Authorization": f"Bearer {make_token(make_user(role='owner'))}"}
    before = _timers()
    for _ in range(3):
        time.sleep(0.02)  # past the stock storage's 10 ms, when it started a sweeper
        assert client.get("/api/v1/personas", headers=headers).status_code == 200
        assert _timers() == before
    response = client.get("/api/v1/personas", headers=headers)
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"


def test_unknown_tokens_are_still_limited_per_address(limits_on, client):
    limits_on.config["API_AUTH_FAILURE_RATE_LIMIT"] = "2 per minute"
    wrong = {"Authorization": "Bearer pp_not-a-token"}
    statuses = [client.get("/api/v1/personas", headers=wrong).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_expired_entries_are_swept_in_the_caller():
    storage = InProcessLimitStorage()
    assert storage.acquire_entry("gone", limit=5, expiry=0)  # expires at once
    assert storage.acquire_entry("kept", limit=5, expiry=60)
    assert storage.events["gone"]  # the sweep waits a second between runs
    storage._swept -= InProcessLimitStorage.SWEEP_SECONDS
    assert storage.acquire_entry("kept", limit=5, expiry=60)
    assert not storage.events.get("gone") and len(storage.events["kept"]) == 2
    assert not storage.acquire_entry("kept", limit=2, expiry=60)  # counts still hold
