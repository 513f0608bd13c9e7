"""Acme in Tokyo (UTC+9, no daylight saving, so every local time is plain to check):
an owner, an editor and a viewer, Pete (negative) and Olivia (buyer)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.models import Workspace
from tests.pieces.fixtures import acme, api, make_piece  # noqa: F401


@pytest.fixture(autouse=True)
def in_tokyo(session, request):
    """Acme's workspace clock: Tokyo, so local times differ from UTC by a plain 9 hours."""
    request.getfixturevalue("acme")
    workspace = session.scalar(sa.select(Workspace).where(Workspace.name == "Acme"))
    workspace.timezone = "Asia/Tokyo"
    session.commit()
    return workspace
