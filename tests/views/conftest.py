"""A workspace with a negative and a buyer persona, pieces saved through the service,
and an API caller: what the list views, the stale count and the exports need."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from planner.services.pieces import service as piece_service


@pytest.fixture
def shop(make_user, actor_for, make_persona):
    """Shop (UTC): an owner; Pete (negative, on-premise weighs 3) and Olivia (buyer), both
    posting Monday and Tuesday 08:00-10:30 New York time."""
    editor = make_user("ed@example.com", "Shop", "owner")
    actor = actor_for(editor, "Shop")
    pete = make_persona(actor)
    olivia = make_persona(
        actor,
        name="Owner Olivia",
        kind="buyer",
        thresholds=None,
        keywords=[{"term": "small business"}, {"term": "help desk"}],
    )
    return {"editor": editor, "actor": actor, "pete": pete, "olivia": olivia}


@pytest.fixture
def make_piece(session, shop) -> Callable:
    def make(**fields):
        fields.setdefault("body", "Our help desk lets a small business answer faster.")
        piece = piece_service.create_piece(session, shop["actor"], fields)
        session.commit()
        return piece

    return make


@pytest.fixture
def api(client, make_token, shop) -> Callable:
    token = make_token(shop["editor"], "Shop")

    def call(method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {token}"}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    return call
