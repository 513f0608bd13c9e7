"""First run: what a new workspace still lacks before the planner can help.

The dashboard of a workspace without personas, channels, feeds or pieces is mostly
empty panels; instead it lists these steps, each ticked once done, until every one is.
Only existence is asked (one `LIMIT 1` query per step), so it costs the same in a large
workspace as in an empty one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from planner.models import Channel, Feed, Persona, Piece
from planner.services.access import Actor

# In the order a new workspace takes them: personas first, since audits, feeds and the
# calendar all read them.
STEPS = ("personas", "channel", "feed", "piece")


@dataclass(frozen=True)
class SetupStep:
    key: str
    done: bool


@dataclass(frozen=True)
class Setup:
    steps: tuple[SetupStep, ...]

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)


def _exists(session: Session, query: Select) -> bool:
    return session.scalar(query.limit(1)) is not None


def setup(session: Session, actor: Actor) -> Setup:
    """Which first steps the actor's workspace has taken (any member may ask)."""
    workspace = actor.workspace_id
    done = {
        "personas": _exists(
            session,
            select(Persona.id).where(
                Persona.workspace_id == workspace, Persona.archived_at.is_(None)
            ),
        ),
        "channel": _exists(session, select(Channel.id).where(Channel.workspace_id == workspace)),
        "feed": _exists(session, select(Feed.id).where(Feed.workspace_id == workspace)),
        "piece": _exists(session, select(Piece.id).where(Piece.workspace_id == workspace)),
    }
    return Setup(tuple(SetupStep(key, done[key]) for key in STEPS))
