"""Fixtures for the feed reader conveniences: the workspaces and items of tests/mix_app."""

from __future__ import annotations

import pytest

from tests.feed_polling.fixtures import site  # noqa: F401  (a local feed site)
from tests.mix_app.fixtures import acme, globex, make_items  # noqa: F401


@pytest.fixture
def allow_private(app_ctx):
    """Let OPML imports add loopback feed URLs (the tests never leave the machine)."""
    app_ctx.config["FEED_ALLOW_PRIVATE"] = True
    yield
    app_ctx.config["FEED_ALLOW_PRIVATE"] = False
