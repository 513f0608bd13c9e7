"""Fixtures shared by the feed tests and the fault tests: a local feed site and a workspace."""

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
