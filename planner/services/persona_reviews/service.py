"""The review page, "Mark reviewed" and the review history of a persona."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.errors import ValidationError
from planner.models import Persona, PersonaReview
from planner.services.access import Actor
from planner.services.persona_reviews.due import ReviewStatus, review_status
from planner.services.persona_reviews.evidence import Evidence, gather_evidence
from planner.services.personas import service as persona_service
from planner.services.personas.fields import storable_text_problem

NOTE_LIMIT = 4000
HISTORY_ROWS = 20


@dataclass(frozen=True)
class ReviewPage:
    persona: Persona
    status: ReviewStatus
    evidence: Evidence
    history: list[PersonaReview]


@dataclass(frozen=True)
class ReviewPanel:
    """What the persona page shows: where it stands, and its latest reviews."""

    status: ReviewStatus
    history: list[PersonaReview]


def history(session: Session, persona: Persona, limit: int = HISTORY_ROWS) -> list[PersonaReview]:
    """The persona's reviews, newest first."""
    query = (
        select(PersonaReview)
        .where(PersonaReview.persona_id == persona.id)
        .options(selectinload(PersonaReview.reviewed_by))
        .order_by(PersonaReview.reviewed_at.desc(), PersonaReview.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def review_panel(session: Session, persona: Persona, now: datetime | None = None) -> ReviewPanel:
    """The persona page's review section, for a persona already read through its actor."""
    return ReviewPanel(review_status(persona, now), history(session, persona))


def review_page(
    session: Session, actor: Actor, persona_id: int, now: datetime | None = None
) -> ReviewPage:
    """The evidence since the persona's last review (or creation), with its history."""
    persona = persona_service.get_persona(session, actor, persona_id)
    status = review_status(persona, now)
    evidence = gather_evidence(session, actor, persona, status)
    return ReviewPage(persona, status, evidence, history(session, persona))


def _clean_note(note: object) -> str:
    if note is None:
        return ""
    if not isinstance(note, str):
        raise ValidationError("The note must be text.", {"note": "must be text"})
    text = note.replace("\r\n", "\n").strip()
    problem = storable_text_problem(text)
    if problem:
        raise ValidationError(f"The note {problem}.", {"note": problem})
    if len(text) > NOTE_LIMIT:
        message = f"is longer than {NOTE_LIMIT:,} characters"
        raise ValidationError(f"The note {message}.", {"note": message})
    return text


def mark_reviewed(
    session: Session, actor: Actor, persona_id: int, note: object, now: datetime | None = None
) -> PersonaReview:
    """Record who reviewed the persona, when, with a note and the evidence they saw.

    The persona's next period starts now; it is not an edit of the persona (neither its
    `version` nor its `revision` moves), so an editor's open form is not made stale.
    """
    actor.require("editor", "review personas")
    text = _clean_note(note)
    page = review_page(session, actor, persona_id, now)
    if page.persona.archived_at is not None:
        raise ValidationError(
            "Restore the persona before reviewing it.", {"persona": "is archived"}
        )
    review = PersonaReview(
        workspace_id=actor.workspace_id,
        persona_id=page.persona.id,
        reviewed_by_id=actor.user_id,
        reviewed_at=page.status.now,
        note=text,
        evidence=page.evidence.snapshot(),
    )
    session.add(review)
    page.persona.reviewed_at = page.status.now
    session.flush()
    return review
