"""Acme (an owner, an editor, a viewer; Pete the negative persona and Olivia the buyer) and
a factory for its pieces saved through the service: shared by the piece tests and others."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from planner.services import channels as channel_service
from planner.services.pieces import service as piece_service
from tests.pieces.helpers import CLEAN


@pytest.fixture
def acme(make_user, actor_for, make_persona):
    """Acme: an owner and an editor, Pete (negative: warn 2, block 5) and Olivia (buyer)."""
    owner = make_user("owner@example.com", "Acme", "owner")
    editor = make_user("ed@example.com", "Acme", "editor")
    viewer = make_user("vi@example.com", "Acme", "viewer")
    owner_actor = actor_for(owner, "Acme")
    pete = make_persona(owner_actor)
    olivia = make_persona(
        owner_actor,
        name="Owner Olivia",
        kind="buyer",
        thresholds=None,
        keywords=[{"term": "small business"}, {"term": "help desk"}],
    )
    return {
        "owner": owner,
        "editor": editor,
        "viewer": viewer,
        "owner_actor": owner_actor,
        "actor": actor_for(editor, "Acme"),
        "viewer_actor": actor_for(viewer, "Acme"),
        "pete": pete,
        "olivia": olivia,
    }


@pytest.fixture
def make_piece(session, acme) -> Callable:
    def make(**fields):
        fields.setdefault("title", "A draft")
        fields.setdefault("body", CLEAN)
        piece = piece_service.create_piece(session, acme["actor"], fields)
        session.commit()
        return piece

    return make


@pytest.fixture
def globex(make_user, actor_for, make_persona, session):
    """Another workspace, with a persona and a channel Acme must never see or use."""
    owner = make_user("gus@example.com", "Globex", "owner")
    actor = actor_for(owner, "Globex")
    secret = make_persona(actor, name="Globex Secret", keywords=[{"term": "synergy"}])
    channel = channel_service.create_channel(
        session, actor, {"name": "globex-blog", "kind": "blog"}
    )
    piece = piece_service.create_piece(session, actor, {"title": "Globex plan", "body": "synergy"})
    session.commit()
    return {"owner": owner, "actor": actor, "persona": secret, "channel": channel, "piece": piece}


@pytest.fixture
def blog(session, acme):
    channel = channel_service.create_channel(
        session, acme["actor"], {"name": "Blog", "kind": "blog", "min_gap_minutes": 240}
    )
    session.commit()
    return channel


@pytest.fixture
def api(client, make_token, acme):
    """Call the API as the owner, editor or viewer of Acme."""
    tokens = {role: make_token(acme[role]) for role in ("owner", "editor", "viewer")}

    def call(method: str, path: str, role: str = "editor", **kwargs):
        headers = {"Authorization": f"Bearer {tokens[role]}", **kwargs.pop("headers", {})}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    return call
