"""Acme in Tokyo (UTC+9, no daylight saving, so every local time is plain to check):
an owner, an editor and a viewer, Pete (negative) and Olivia (buyer)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from planner.models import Workspace
from planner.services.pieces import service as piece_service
from tests.conveniences.helpers import CLEAN


@pytest.fixture
def acme(session, make_user, actor_for, make_persona):
    owner = make_user("owner@example.com", "Acme", "owner")
    editor = make_user("ed@example.com", "Acme", "editor")
    viewer = make_user("vi@example.com", "Acme", "viewer")
    workspace = session.scalar(sa.select(Workspace).where(Workspace.name == "Acme"))
    workspace.timezone = "Asia/Tokyo"
    session.commit()
    owner_actor = actor_for(owner, "Acme")
    return {
        "workspace": workspace,
        "owner": owner,
        "editor": editor,
        "viewer": viewer,
        "owner_actor": owner_actor,
        "actor": actor_for(editor, "Acme"),
        "pete": make_persona(owner_actor),
        "olivia": make_persona(
            owner_actor,
            name="Owner Olivia",
            kind="buyer",
            thresholds=None,
            keywords=[{"term": "small business"}, {"term": "help desk"}],
        ),
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
def api(client, make_token, acme):
    """Call the API as Acme's owner, editor or viewer."""
    tokens = {role: make_token(acme[role]) for role in ("owner", "editor", "viewer")}

    def call(method: str, path: str, role: str = "editor", **kwargs):
        headers = {"Authorization": f"Bearer {tokens[role]}", **kwargs.pop("headers", {})}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    return call
