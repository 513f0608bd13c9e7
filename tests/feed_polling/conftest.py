"""A local feed site on 127.0.0.1 that counts requests per path, and a workspace to poll into."""

from __future__ import annotations

import pytest

from tests.feed_polling.fixtures import editor, site  # noqa: F401


@pytest.fixture
def allow_private(app_ctx):
    app_ctx.config["FEED_ALLOW_PRIVATE"] = True
    yield
    app_ctx.config["FEED_ALLOW_PRIVATE"] = False
