"""Fixtures for the request-cost tests: rate limits on, and a count of token lookups."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event

from planner.extensions import db, limiter
from planner.services.access import VERIFIED_TOKENS


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


@pytest.fixture
def counted_token_queries(app_ctx) -> Iterator[list[str]]:
    """Every token lookup (a query by token hash), from an empty token cache on."""
    VERIFIED_TOKENS.forget_all()
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if "WHERE api_token.token_hash" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)
    VERIFIED_TOKENS.forget_all()
