"""Acme: an editor, Pete (negative), Olivia (buyer), four pieces and two feed items."""

from __future__ import annotations

import pytest

from tests.preview.helpers import CLEAN, FREE, ONPREM, SOON, add_item, add_piece


@pytest.fixture
def acme(session, make_user, actor_for, make_persona):
    editor = make_user("ed@example.com", "Acme", "editor")  # one user: hashing costs 0.4 s
    actor = actor_for(editor, "Acme")
    pete = make_persona(actor)
    olivia = make_persona(
        actor,
        name="Owner Olivia",
        kind="buyer",
        thresholds=None,
        keywords=[{"term": "small business"}, {"term": "help desk"}],
    )
    pieces = {
        "free_scheduled": add_piece(
            session,
            actor,
            "The free plan",
            FREE,
            status="scheduled",
            scheduled_at=SOON,
        ),
        "free_draft": add_piece(session, actor, "Free for all", FREE + " Free forever."),
        "clean": add_piece(session, actor, "Answer faster", CLEAN),
        "onprem": add_piece(session, actor, "Install it", ONPREM),
    }
    items = {
        "free": add_item(session, pete.workspace_id, "Free tools", "<p>A free help desk.</p>"),
        "other": add_item(session, pete.workspace_id, "Weather", "<p>Rain tomorrow.</p>"),
    }
    return {
        "actor": actor,
        "editor": editor,
        "pete": pete,
        "olivia": olivia,
        "pieces": pieces,
        "items": items,
    }
