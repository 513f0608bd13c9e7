"""A workspace planned in London with one buyer (Olivia), one negative persona and a blog.

Times are built on a Monday a few weeks ahead, so the tests never depend on the day
they run and no suggestion is pushed forward by "now".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from planner.models import Workspace
from planner.services import channels as channel_service
from planner.services.pieces import service as piece_service
from tests.calendar_app.helpers import CLEAN, future_monday, london


@pytest.fixture
def monday() -> date:
    return future_monday()


@pytest.fixture
def acme(session, make_user, actor_for, make_persona):
    """Acme (Europe/London): owner, editor, viewer; Olivia (buyer), Pete (negative), a blog."""
    owner = make_user("owner@example.com", "Acme", "owner")
    editor = make_user("ed@example.com", "Acme", "editor")
    viewer = make_user("vi@example.com", "Acme", "viewer")
    workspace = session.scalar(sa.select(Workspace).where(Workspace.name == "Acme"))
    workspace.timezone = "Europe/London"
    owner_actor = actor_for(owner, "Acme")
    olivia = make_persona(
        owner_actor,
        name="Owner Olivia",
        kind="buyer",
        timezone="Europe/London",
        thresholds=None,
        posting_windows=[
            {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "07:00", "end": "09:00"}
        ],
        cadence={"min_per_week": 1, "max_per_week": 3},
        keywords=[{"term": "small business"}, {"term": "help desk"}],
    )
    pete = make_persona(owner_actor)
    blog = channel_service.create_channel(
        session, owner_actor, {"name": "blog", "kind": "blog", "min_gap_minutes": 240}
    )
    session.commit()
    return {
        "workspace": workspace,
        "owner": owner,
        "editor": editor,
        "viewer": viewer,
        "owner_actor": owner_actor,
        "actor": actor_for(editor, "Acme"),
        "viewer_actor": actor_for(viewer, "Acme"),
        "olivia": olivia,
        "pete": pete,
        "blog": blog,
    }


@pytest.fixture
def make_piece(session, acme) -> Callable:
    """Save a scheduled piece for Olivia on the blog through the pieces service."""

    def make(when: datetime, **fields):
        document = {
            "title": "A planned piece",
            "body": CLEAN,
            "channel": "blog",
            "target_personas": ["Owner Olivia"],
            "status": "scheduled",
            "scheduled_at": when,
        }
        document.update(fields)
        piece = piece_service.create_piece(session, acme["actor"], document)
        session.commit()
        return piece

    return make


@pytest.fixture
def globex(session, make_user, actor_for, make_persona):
    """Another workspace with its own piece, which Acme must never see or move."""
    owner = make_user("gus@example.com", "Globex", "owner")
    actor = actor_for(owner, "Globex")
    piece = piece_service.create_piece(
        session,
        actor,
        {
            "title": "Globex plan",
            "body": "synergy",
            "scheduled_at": london(future_monday(), "08:00"),
        },
    )
    session.commit()
    return {"owner": owner, "actor": actor, "piece": piece}
