"""Acme with an owner and an editor holding API tokens, and a test-client API caller."""

from __future__ import annotations

import pytest


@pytest.fixture
def acme(make_user, make_token, actor_for):
    owner = make_user("owner@example.com", "Acme", "owner")
    editor = make_user("ed@example.com", "Acme", "editor")
    return {
        "owner": owner,
        "editor": editor,
        "owner_token": make_token(owner, "Acme", "owner"),
        "editor_token": make_token(editor, "Acme", "editor"),
        "owner_actor": actor_for(owner, "Acme"),
        "actor": actor_for(editor, "Acme"),
    }


@pytest.fixture
def api(client, acme):
    """Call the API through the test client, as the editor unless `as_owner`."""

    def call(method, url, *, as_owner=False, headers=None, **kwargs):
        token = acme["owner_token" if as_owner else "editor_token"]
        headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        return client.open("/api/v1" + url, method=method, headers=headers, **kwargs)

    return call
