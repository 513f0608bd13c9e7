"""Fixtures for the audit surfaces: persona files under data/, workspaces with personas."""

from __future__ import annotations

import pytest


@pytest.fixture
def acme(make_user, actor_for, make_persona):
    """An editor of Acme with Pete (negative, warn 2 / block 5) and Olivia (buyer)."""
    user = make_user("ed@example.com", "Acme", "editor")
    actor = actor_for(user, "Acme")
    pete = make_persona(actor)
    olivia = make_persona(
        actor,
        name="Owner Olivia",
        kind="buyer",
        thresholds=None,
        keywords=[{"term": "small business"}, {"term": "shared inbox"}],
    )
    return user, actor, pete, olivia


@pytest.fixture
def globex(make_user, actor_for, make_persona):
    """Another workspace whose persona Acme must never see or use."""
    user = make_user("gus@example.com", "Globex", "owner")
    actor = actor_for(user, "Globex")
    secret = make_persona(actor, name="Globex Secret", keywords=[{"term": "synergy", "weight": 9}])
    return user, actor, secret
