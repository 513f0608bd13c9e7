"""A local feed site on 127.0.0.1 that counts requests per path, and a workspace to poll into."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.feed_polling.helpers import BUYER, FeedSite


@pytest.fixture
def site() -> Iterator[FeedSite]:
    server = FeedSite()
    yield server
    server.close()


@pytest.fixture
def editor(make_user, actor_for, make_persona):
    """An editor of "Acme" with one buyer and one negative persona (on-premise: warn)."""
    user = make_user("ed@example.com", "Acme", "editor")
    actor = actor_for(user, "Acme")
    make_persona(actor, **BUYER)
    make_persona(actor)  # Enterprise Procurement Pete: on-premise (3), warn 2, block 5
    return actor


@pytest.fixture
def allow_private(app_ctx):
    app_ctx.config["FEED_ALLOW_PRIVATE"] = True
    yield
    app_ctx.config["FEED_ALLOW_PRIVATE"] = False
