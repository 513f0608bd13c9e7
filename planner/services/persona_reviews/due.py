"""When a persona is due for review, and which personas of a workspace are.

A persona's review period starts at its last review or, never reviewed, at its creation;
it is due `review_every_days` days later, and stays due until someone marks it reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from planner.models import Persona, utcnow
from planner.services.access import Actor, scoped
from planner.services.personas.schema import REVIEW_EVERY_DAYS


@dataclass(frozen=True)
class ReviewStatus:
    """Where one persona stands in its review cycle at `now`."""

    persona_id: int
    name: str
    kind: str
    reviewed_at: datetime | None  # None: never reviewed
    since: datetime  # the start of the period under review
    every_days: int
    due_at: datetime
    now: datetime

    @property
    def due(self) -> bool:
        return self.due_at <= self.now

    @property
    def days_overdue(self) -> int:
        """Whole days since it fell due (0 on the day it falls due); 0 when not due."""
        return (self.now - self.due_at).days if self.due else 0

    @property
    def days_left(self) -> int:
        """Whole days until it falls due (rounded up); 0 when due."""
        if self.due:
            return 0
        left = self.due_at - self.now
        return left.days + (1 if left % timedelta(days=1) else 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona_id": self.persona_id,
            "persona": self.name,
            "kind": self.kind,
            "last_reviewed": self.reviewed_at.isoformat() if self.reviewed_at else None,
            "since": self.since.isoformat(),
            "review_every_days": self.every_days,
            "due_at": self.due_at.isoformat(),
            "due": self.due,
            "days_overdue": self.days_overdue,
        }


def review_status(persona: Persona, now: datetime | None = None) -> ReviewStatus:
    """The persona's review period and due date, judged at `now` (default: this instant)."""
    now = (now or utcnow()).astimezone(UTC)
    since = persona.reviewed_at or persona.created_at or now
    every = persona.review_every_days or REVIEW_EVERY_DAYS
    return ReviewStatus(
        persona_id=persona.id,
        name=persona.name,
        kind=persona.kind,
        reviewed_at=persona.reviewed_at,
        since=since,
        every_days=every,
        due_at=since + timedelta(days=every),
        now=now,
    )


def review_statuses(
    session: Session, actor: Actor, now: datetime | None = None
) -> list[ReviewStatus]:
    """Every active persona's status, soonest due first (most overdue first)."""
    query = scoped(Persona, actor.workspace_id).where(Persona.archived_at.is_(None))
    statuses = [review_status(p, now) for p in session.scalars(query)]
    return sorted(statuses, key=lambda s: (s.due_at, s.name))


def due_personas(session: Session, actor: Actor, now: datetime | None = None) -> list[ReviewStatus]:
    """The active personas due for review at `now`, most overdue first."""
    return [status for status in review_statuses(session, actor, now) if status.due]
