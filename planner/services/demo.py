"""The demo workspace: realistic personas for a small-business software company.

Each domain that ships demo content has a `load_demo(session, actor)`; this module calls
them in order (feeds before curation, pieces before the calendar). Each is idempotent,
like the persona import, so `flask demo load` can run again to refresh the demo.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.models import Workspace
from planner.services import accounts, curation
from planner.services.access import Actor
from planner.services.calendar import demo as calendar_demo
from planner.services.feeds import samples as feed_samples
from planner.services.personas import service as personas
from planner.services.personas.file import read_persona_file
from planner.services.pieces import demo as piece_demo

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_WORKSPACE = "Brightdesk (demo)"
DEMO_EMAIL = "demo@example.com"

DEMO_LOADERS: tuple[Callable[[Session, Actor], object], ...] = (
    feed_samples.load_demo,
    piece_demo.load_demo,
    calendar_demo.load_demo,
    curation.load_demo,
)


@dataclass(frozen=True)
class DemoLogin:
    workspace: str
    email: str
    # Generated when the demo owner is created, None when it already existed: a password
    # printed in the README would open every demo left running on a network.
    password: str | None


def load_demo(session: Session, *, only_if_empty: bool = False) -> DemoLogin | None:
    """Create the demo workspace and its owner, and upsert its personas (idempotent)."""
    if only_if_empty and session.scalar(select(func.count(Workspace.id))):
        return None
    password = None if accounts.user_by_email(session, DEMO_EMAIL) else secrets.token_urlsafe(12)
    user = accounts.create_user(
        session,
        email=DEMO_EMAIL,
        password=password or "",
        workspace=DEMO_WORKSPACE,
        role="owner",
    )
    workspace = accounts.find_workspace(session, DEMO_WORKSPACE)
    workspace.timezone = "Europe/London"
    actor = Actor(user_id=user.id, workspace_id=workspace.id, role="owner")
    personas.import_specs(session, actor, read_persona_file(DEMO_DIR / "personas.yaml"))
    session.flush()
    for load in DEMO_LOADERS:
        load(session, actor)
        session.flush()
    return DemoLogin(DEMO_WORKSPACE, DEMO_EMAIL, password)
