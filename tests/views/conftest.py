"""Acme from the piece tests, seen by its owner: a negative and a buyer persona, pieces
saved through the service and an API caller, what the list views, the stale count and the
exports need."""

from __future__ import annotations

import pytest

from tests.pieces.fixtures import acme, api, make_piece  # noqa: F401


@pytest.fixture
def shop(request) -> dict:
    """The owner of Acme (UTC) and its personas: Pete (negative, on-premise weighs 3) and
    Olivia (buyer), both posting Monday and Tuesday 08:00-10:30 New York time."""
    workspace = request.getfixturevalue("acme")
    return {
        "editor": workspace["owner"],
        "actor": workspace["owner_actor"],
        "pete": workspace["pete"],
        "olivia": workspace["olivia"],
    }
