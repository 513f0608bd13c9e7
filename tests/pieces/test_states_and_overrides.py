"""Publishing states (one table for every surface) and overrides that mean what they say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.errors import Conflict, PermissionDenied, ValidationError
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from planner.services.pieces import review as piece_review
from planner.services.pieces import service as piece_service
from planner.services.pieces import states
from tests.helpers import persona_doc
from tests.pieces.helpers import BLOCKING, CLEAN, procurement_pete

FUTURE = "2031-03-02T09:00:00+01:00"
PAST = "2024-03-02T09:00:00+01:00"
NEGATIVE_TITLE = "On-premise RFP help: a dedicated account manager for enterprise procurement"


def _in_state(session, acme, make_piece, status: str):
    """A clean piece in `status`, reached through the service as a user would."""
    if status == "published":
        return make_piece(status="published", scheduled_at=PAST)
    piece = make_piece(status="draft")
    if status == "archived":
        piece_service.update_piece(session, acme["actor"], piece, {"status": "archived"})
    elif status != "draft":
        piece_service.update_piece(
            session, acme["actor"], piece, {"status": status, "scheduled_at": FUTURE}
        )
    session.commit()
    return piece


@pytest.mark.parametrize(("source", "target"), sorted(states.MOVES))
def test_every_allowed_move_works_for_its_role(session, acme, make_piece, source, target):
    piece = _in_state(session, acme, make_piece, source)
    move = states.MOVES[(source, target)]
    change = {"status": target}
    if target == "published":
        change["scheduled_at"] = PAST
    elif target == "scheduled":
        change["scheduled_at"] = FUTURE
    if move.role == "owner":
        with pytest.raises(PermissionDenied):
            piece_service.update_piece(session, acme["actor"], piece, change)
        session.rollback()
    actor = acme["owner_actor"] if move.role == "owner" else acme["actor"]
    piece_service.update_piece(session, actor, piece, change)
    session.commit()
    assert piece.status == target


@pytest.mark.parametrize(
    ("source", "target"),
    [("archived", "scheduled"), ("archived", "published"), ("published", "review")],
)
def test_moves_outside_the_table_are_refused(session, acme, make_piece, source, target):
    piece = _in_state(session, acme, make_piece, source)
    with pytest.raises((ValidationError, Conflict)) as error:
        piece_service.update_piece(
            session, acme["owner_actor"], piece, {"status": target, "scheduled_at": PAST}
        )
    session.rollback()
    assert "status" in error.value.details
    session.refresh(piece)
    assert piece.status == source


def test_a_published_piece_is_history_until_an_owner_unpublishes_it(session, acme, make_piece):
    piece = _in_state(session, acme, make_piece, "published")
    went_out = piece.scheduled_at
    for change in ({"scheduled_at": FUTURE}, {"body": CLEAN + " More."}, {"title": "New"}):
        with pytest.raises(Conflict) as error:
            piece_service.update_piece(session, acme["owner_actor"], piece, change)
        session.rollback()
        assert "published" in error.value.message and "history" in error.value.message
    session.refresh(piece)
    assert piece.scheduled_at == went_out and piece.title == "A draft"
    # Sending back what it already holds is no change.
    piece_service.update_piece(session, acme["actor"], piece, {"title": "A draft"})
    # Unpublishing and editing in one save is refused: one step at a time.
    with pytest.raises(Conflict):
        piece_service.update_piece(
            session, acme["owner_actor"], piece, {"status": "draft", "title": "New"}
        )
    session.rollback()
    piece_service.update_piece(session, acme["owner_actor"], piece, {"status": "draft"})
    piece_service.update_piece(session, acme["actor"], piece, {"scheduled_at": FUTURE})
    session.commit()
    assert piece.status == "draft"
    assert [e.kind for e in piece.events] == ["published", "unpublished"]
    assert "owner@example.com unpublished it" in piece.events[-1].message


def test_recording_a_piece_published_elsewhere(session, acme):
    actor = acme["actor"]
    back_filled = piece_service.create_piece(
        session, actor, {"title": "Old post", "status": "published", "scheduled_at": PAST}
    )
    assert back_filled.scheduled_at == datetime(2024, 3, 2, 8, 0, tzinfo=UTC)
    assert "recorded it as published" in back_filled.events[0].message
    just_now = piece_service.create_piece(session, actor, {"title": "Now", "status": "published"})
    assert abs(just_now.scheduled_at - datetime.now(UTC)) < timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        piece_service.create_piece(
            session, actor, {"title": "Later", "status": "published", "scheduled_at": FUTURE}
        )
    assert set(error.value.details) == {"scheduled_at"}
    session.rollback()


def test_a_published_piece_takes_no_dismissals(session, acme, make_piece):
    piece = make_piece(body=CLEAN + " On-premise.", status="published", scheduled_at=PAST)
    with pytest.raises(Conflict):
        piece_review.dismiss(
            session,
            acme["actor"],
            piece,
            {
                "persona": "Enterprise Procurement Pete",
                "term": "on-premise",
                "text": "On-premise",
                "reason": "fine",
            },
        )
    session.rollback()


def test_a_negative_title_blocks_a_clean_body(session, acme):
    procurement_pete(session, acme)
    with pytest.raises(ValidationError) as error:
        piece_service.create_piece(
            session,
            acme["actor"],
            {
                "title": NEGATIVE_TITLE,
                "body": CLEAN,
                "status": "scheduled",
                "scheduled_at": FUTURE,
            },
        )
    assert "blocked" in error.value.message
    session.rollback()
    piece = piece_service.create_piece(
        session, acme["actor"], {"title": NEGATIVE_TITLE, "body": CLEAN}
    )
    assert piece.verdict == "block"
    pete = next(p for p in piece.audits[-1].result["personas"] if p["kind"] == "negative")
    fields = {(m["field"], m["text"]) for m in pete["matches"]}
    assert {("title", "On-premise"), ("title", "RFP")} <= fields
    assert all(NEGATIVE_TITLE[m["start"] : m["end"]] == m["text"] for m in pete["matches"])


def test_a_negative_summary_counts_like_the_body(session, acme):
    piece = piece_service.create_piece(
        session,
        acme["actor"],
        {"title": "Help desk", "summary": "On-premise install, on-premise only.", "body": CLEAN},
    )
    assert piece.verdict == "block"
    matches = [m for p in piece.audits[-1].result["personas"] for m in p["matches"]]
    assert {m["field"] for m in matches if m["term"] == "on-premise"} == {"description"}


def test_an_override_holds_across_clean_edits_and_lapses_on_new_blocking_words(
    session, acme, make_piece
):
    piece = make_piece(body=BLOCKING)
    piece_review.override(session, acme["owner_actor"], piece, "Quoting a customer verbatim.")
    piece_service.update_piece(
        session, acme["actor"], piece, {"status": "scheduled", "scheduled_at": FUTURE}
    )
    session.commit()
    # A clean sentence and a typo fix add no new blocking match: the override holds.
    piece_service.update_piece(
        session, acme["actor"], piece, {"body": BLOCKING + " Teams love it.", "title": "Fixed"}
    )
    session.commit()
    assert piece.status == "scheduled" and piece.override_at is not None
    # A new blocking wording lapses it, names the words, and the save is refused.
    with pytest.raises(ValidationError) as error:
        piece_service.update_piece(
            session, acme["actor"], piece, {"body": BLOCKING + " Or on premise, if you like."}
        )
    assert "“on premise” (Enterprise Procurement Pete)" in error.value.message
    assert "lapsed" in error.value.message
    session.rollback()
    session.refresh(piece)
    assert piece.override_at is not None  # a refused save changes nothing
    # Saved as a draft, the lapse is kept in the history and the override is gone.
    piece_service.update_piece(
        session,
        acme["actor"],
        piece,
        {"status": "draft", "body": BLOCKING + " Or on premise, if you like."},
    )
    session.commit()
    assert piece.override_at is None and piece.override_matches is None
    assert [e.kind for e in piece.events] == ["override", "override_lapsed"]
    assert "“on premise”" in piece.events[-1].message


def test_a_persona_change_that_adds_a_blocking_word_lapses_the_override(session, acme, make_piece):
    piece = make_piece(body=BLOCKING + " Dedicated account manager.")
    piece_review.override(session, acme["owner_actor"], piece, "Legal signed off.")
    session.commit()
    spec = persona_doc(
        keywords=[
            {"term": "on-premise", "weight": 3},
            {"term": "request for proposal"},
            {"term": "dedicated account manager", "weight": 2},
        ]
    )
    persona_service.update_persona(
        session, acme["owner_actor"], acme["pete"], validate_persona(spec)
    )
    session.commit()
    session.refresh(piece)
    assert piece.override_at is None
    assert "“Dedicated account manager”" in piece.events[-1].message


def test_an_owner_approves_a_blocked_piece_in_the_same_save(session, acme):
    document = {
        "title": "Quote",
        "body": BLOCKING,
        "status": "scheduled",
        "scheduled_at": FUTURE,
        "override_reason": "A customer's words, quoted.",
    }
    with pytest.raises(PermissionDenied):
        piece_service.create_piece(session, acme["actor"], document)
    session.rollback()
    piece = piece_service.create_piece(session, acme["owner_actor"], document)
    session.commit()
    assert piece.status == "scheduled" and piece.verdict == "block"
    assert piece.override_reason == "A customer's words, quoted."
    assert {tuple(k)[1:] for k in piece.override_matches} == {
        ("on-premise", "on-premise"),
        ("request for proposal", "request for proposal"),
    }
    assert piece.events[0].kind == "override"
    # A clean piece with a reason: nothing to approve, nothing recorded.
    clean = piece_service.create_piece(
        session, acme["owner_actor"], {**document, "title": "Clean", "body": CLEAN}
    )
    assert clean.override_at is None and clean.events == []
