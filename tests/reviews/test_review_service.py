"""Due dates with a frozen clock, the evidence of a period, and "Mark reviewed"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from planner.errors import PermissionDenied, ValidationError
from planner.models import EngagementRow, EngagementSource, PersonaReview, PieceAudit
from planner.services.leads import screening
from planner.services.leads import store as lead_store
from planner.services.leads.screen import Lead
from planner.services.persona_reviews import due
from planner.services.persona_reviews import service as review_service
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from tests.helpers import persona_doc
from tests.pieces.helpers import BLOCKING, CLEAN
from tests.reviews.fixtures import DEAD_WORD


def test_personas_fall_due_after_their_interval_and_are_listed_most_overdue_first(session, acme):
    pete, olivia = acme["pete"], acme["olivia"]
    persona_service.update_persona(
        session,
        acme["owner_actor"],
        olivia,
        validate_persona(
            persona_doc(name=olivia.name, kind="buyer", thresholds=None, review_every_days=30,
                        keywords=[{"term": "small business"}, {"term": "help desk"}])
        ),
    )  # fmt: skip
    session.commit()
    assert olivia.version == 1, "the review interval is not part of the lexicon"
    start = max(pete.created_at, olivia.created_at)

    assert due.due_personas(session, acme["actor"], start + timedelta(days=29)) == []
    at_30 = due.due_personas(session, acme["actor"], start + timedelta(days=30))
    assert [s.name for s in at_30] == [olivia.name]
    at_100 = due.due_personas(session, acme["actor"], start + timedelta(days=100))
    assert [s.name for s in at_100] == [olivia.name, pete.name]
    assert [s.days_overdue for s in at_100] == [70, 10]
    assert at_100[1].reviewed_at is None and at_100[1].since == pete.created_at


def test_evidence_counts_matches_finds_dead_keywords_and_lists_blocked_pieces(
    session, acme, make_piece, pete_with_dead_word, feed_item
):
    blocked = make_piece(title="Procurement", body=BLOCKING)
    make_piece(title="Clean one", body=CLEAN)
    feed_item({"request for proposal": 2})

    page = review_service.review_page(session, acme["actor"], pete_with_dead_word.id)
    keywords = page.evidence.keywords

    assert keywords.dead == [DEAD_WORD]
    assert [(c.term, c.matches, c.pieces, c.items) for c in keywords.matched] == [
        ("request for proposal", 3, 1, 1),  # once in the draft, twice in the feed item
        ("on-premise", 2, 1, 0),
    ]
    assert keywords.pieces_read == 2 and keywords.items_read == 1
    assert [(p.id, p.level) for p in keywords.flagged] == [(blocked.id, "block")]


def test_a_review_starts_a_new_period_and_is_kept_in_the_history(
    session, acme, make_piece, pete_with_dead_word
):
    make_piece(title="Procurement", body=BLOCKING)
    pete = pete_with_dead_word
    later = pete.created_at + timedelta(days=95)
    assert due.review_status(pete, later).due

    review = review_service.mark_reviewed(
        session, acme["actor"], pete.id, "  Dropped nothing yet.\r\n", now=later
    )
    session.commit()

    assert pete.reviewed_at == later and review.reviewed_by_id == acme["editor"].id
    assert review.note == "Dropped nothing yet."
    assert review.evidence["dead_keywords"] == [DEAD_WORD]
    assert review.evidence["flagged_pieces"] == 1
    status = due.review_status(pete, later + timedelta(days=1))
    assert not status.due and status.days_left == 89
    # The draft was audited before the review: the new period has not seen it.
    after = review_service.review_page(session, acme["actor"], pete.id, later + timedelta(days=1))
    assert after.evidence.keywords.pieces_read == 0
    assert set(after.evidence.keywords.dead) == {k.term for k in pete.keywords}
    assert [r.id for r in after.history] == [review.id]


def test_only_editors_review_and_notes_are_checked(session, acme):
    pete = acme["pete"]
    with pytest.raises(PermissionDenied):
        review_service.mark_reviewed(session, acme["viewer_actor"], pete.id, "ok")
    with pytest.raises(ValidationError) as error:
        review_service.mark_reviewed(session, acme["actor"], pete.id, "x" * 4001)
    assert "note" in error.value.details
    session.rollback()
    assert session.query(PersonaReview).count() == 0


def test_engagement_of_pieces_that_targeted_the_persona(session, acme, make_piece):
    olivia = acme["olivia"]
    mine = make_piece(title="For Olivia", body=CLEAN, target_personas=[olivia.name])
    other = make_piece(title="For nobody", body=CLEAN)
    source = EngagementSource(workspace_id=olivia.workspace_id, name="export", mapping={})
    session.add(source)
    session.flush()
    for n, (piece, impressions, engagements) in enumerate(((mine, 1000, 50), (other, 1000, 10))):
        session.add(
            EngagementRow(
                workspace_id=olivia.workspace_id, source_id=source.id, row_key=f"k{n}", line=n + 2,
                published_at=mine.created_at + timedelta(minutes=5), piece_id=piece.id,
                impressions=impressions, clicks=3, engagements=engagements,
            )
        )  # fmt: skip
    session.commit()

    now = mine.created_at + timedelta(days=1)
    evidence = review_service.review_page(session, acme["actor"], olivia.id, now).evidence
    assert evidence.engagement.persona.posts == 1
    assert evidence.engagement.persona.rate == pytest.approx(0.05)
    assert evidence.engagement.workspace.rate == pytest.approx(0.03)
    assert not evidence.drift.enough_data and evidence.drift.posts == 1


def test_leads_count_once_the_workspace_keeps_screened_leads(session, acme):
    pete, owner = acme["pete"], acme["owner_actor"]
    doc = persona_doc(job_titles=["Procurement manager"])
    persona_service.update_persona(session, owner, pete, validate_persona(doc))
    lead = Lead(name="Pat", job_title="Senior procurement manager", message=BLOCKING)
    assert screening.screen_leads(session, owner, [lead]).results[0].verdict == "disqualify"
    session.commit()
    page = review_service.review_page(session, acme["actor"], pete.id)
    assert page.evidence.leads_disqualified is None

    lead_store.update_lead_settings(session, owner, True, 30)
    screening.screen_leads(session, owner, [lead, Lead(name="Sam", message=CLEAN)])
    session.commit()
    page = review_service.review_page(session, acme["actor"], pete.id)
    assert page.evidence.leads_disqualified == 1


def test_audits_stored_before_summaries_had_terms_are_read_from_their_result(
    session, acme, make_piece, pete_with_dead_word
):
    make_piece(title="Procurement", body=BLOCKING)
    audit = session.scalar(select(PieceAudit))
    audit.summary = {
        **audit.summary,
        "personas": [
            {k: v for k, v in p.items() if k != "terms"} for p in audit.summary["personas"]
        ],
    }
    session.commit()

    keywords = review_service.review_page(session, acme["actor"], pete_with_dead_word.id)
    assert [(c.term, c.matches) for c in keywords.evidence.keywords.matched] == [
        ("on-premise", 2),
        ("request for proposal", 1),
    ]
