"""Fixtures for accounts, sessions and limits: the suite runs with rate limits off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from planner.extensions import limiter


@pytest.fixture
def limits_on(app_ctx) -> Iterator[Flask]:
    """Rate limits on, with empty counters, and off again afterwards."""
    limiter.reset()
    app_ctx.config["RATE_LIMITS_ENABLED"] = True
    saved = {k: app_ctx.config[k] for k in app_ctx.config if k.endswith("_RATE_LIMIT")}
    yield app_ctx
    app_ctx.config["RATE_LIMITS_ENABLED"] = False
    app_ctx.config.update(saved)
    limiter.reset()
