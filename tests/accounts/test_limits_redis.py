"""With REDIS_URL, every process shares the sign-in counters: guessing cannot be spread
over the workers of one deployment."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from planner.config import rate_limit_settings

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
FAIL_LOGINS = """
import sys
from planner import create_app
app = create_app({"SECRET_KEY": "x", "WTF_CSRF_ENABLED": False})
client = app.test_client()
form = {"email": sys.argv[1], "password": "wrong password"}
print(" ".join(str(client.post("/login", data=form).status_code) for _ in range(int(sys.argv[2]))))
"""


def test_storage_is_redis_with_redis_url_else_memory(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert rate_limit_settings()["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/2")
    assert rate_limit_settings()["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/2"


def test_two_processes_share_the_failed_sign_in_count(app_ctx, database_url):
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL).ping()
    except RedisError as error:
        message = f"Redis at {REDIS_URL} is unreachable: {error}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": database_url,
        "RATE_LIMITS_ENABLED": "1",
        "LOGIN_RATE_LIMIT": "5 per minute",
    }
    email = f"guess-{uuid.uuid4().hex[:8]}@example.com"  # fresh counters for this run

    def run(attempts: int) -> str:
        done = subprocess.run(
            [sys.executable, "-c", FAIL_LOGINS, email, str(attempts)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run(5) == "401 401 401 401 401"
    assert run(1) == "429"
