"""The demo workspace: realistic personas for a small-business software company."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.models import Workspace
from planner.services import accounts, personas
from planner.services.access import Actor
from planner.services.persona_file import read_persona_file

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_WORKSPACE = "Brightdesk (demo)"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-planner"

# Each feature that ships demo content adds "module:function", called as f(session, actor);
# it must be idempotent, like the persona import.
DEMO_LOADERS: list[str] = [
    "planner.services.feeds.samples:load_demo_feeds",
    "planner.services.piece_demo:load_demo_pieces",
    "planner.services.calendar_demo:load",
    "planner.services.curation:load_demo",
]


@dataclass(frozen=True)
class DemoLogin:
    workspace: str
    email: str
    password: str


def load_demo(session: Session, *, only_if_empty: bool = False) -> DemoLogin | None:
    """Create the demo workspace and its owner, and upsert its personas (idempotent)."""
    if only_if_empty and session.scalar(select(func.count(Workspace.id))):
        return None
    user = accounts.create_user(
        session,
        email=DEMO_EMAIL,
        password=DEMO_PASSWORD,
        workspace=DEMO_WORKSPACE,
        role="owner",
    )
    workspace = accounts.find_workspace(session, DEMO_WORKSPACE)
    workspace.timezone = "Europe/London"
    actor = Actor(user_id=user.id, workspace_id=workspace.id, role="owner")
    personas.import_specs(session, actor, read_persona_file(DEMO_DIR / "personas.yaml"))
    session.flush()
    for name in DEMO_LOADERS:
        module, _, function = name.partition(":")
        getattr(importlib.import_module(module), function)(session, actor)
        session.flush()
    return DemoLogin(DEMO_WORKSPACE, DEMO_EMAIL, DEMO_PASSWORD)
