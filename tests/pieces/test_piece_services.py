"""Pieces through the services: saving audits, re-audits, the publishing gate, dismissals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from planner.errors import Conflict, PermissionDenied, ValidationError
from planner.models import PieceAudit
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import review as piece_review
from planner.services.pieces import service as piece_service
from tests.helpers import persona_doc
from tests.pieces.helpers import BLOCKING, CLEAN, WARNING

SOON = "2026-12-01T09:00:00+01:00"


def audits_of(session, piece) -> int:
    return session.scalar(select(func.count(PieceAudit.id)).where(PieceAudit.piece_id == piece.id))


def test_saving_a_piece_audits_it_and_keeps_the_audit(session, acme, make_piece):
    piece = make_piece(body=WARNING, target_personas=["Owner Olivia"])
    latest = piece_audits.latest_audit(session, piece.id)
    assert piece.verdict == latest.verdict == "warn"
    assert latest.result["verdict"] == "warn"
    pete = next(p for p in latest.result["personas"] if p["name"] == acme["pete"].name)
    assert [m["text"] for m in pete["matches"]] == ["on-premise"]
    assert latest.persona_versions == {str(acme["pete"].id): 1, str(acme["olivia"].id): 1}
    assert latest.trigger == "save"


def test_unchanged_audit_inputs_keep_the_last_audit(session, acme, make_piece):
    piece = make_piece(body=CLEAN)
    first = piece_audits.latest_audit(session, piece.id)
    piece_service.update_piece(
        session, acme["actor"], piece, {"status": "review", "content_type": "video"}
    )
    piece_service.update_piece(session, acme["actor"], piece, {"body": CLEAN})
    session.commit()
    assert audits_of(session, piece) == 1
    assert piece_audits.latest_audit(session, piece.id).id == first.id
    piece_service.update_piece(session, acme["actor"], piece, {"title": "Renamed"})
    session.commit()
    assert audits_of(session, piece) == 2  # the title is audited with the body
    piece_service.update_piece(session, acme["actor"], piece, {"body": WARNING})
    session.commit()
    assert audits_of(session, piece) == 3
    assert piece.verdict == "warn"
    piece_service.update_piece(session, acme["actor"], piece, {"target_personas": []})
    session.commit()
    assert audits_of(session, piece) == 3  # no targets before either


def test_changing_a_persona_lexicon_re_audits_drafts_but_not_published(session, acme, make_piece):
    draft = make_piece(title="Draft", body="We are proud of our enterprise customers.")
    published = make_piece(
        title="Out", body="We are proud of our enterprise customers.", status="published"
    )
    assert draft.verdict == published.verdict == "pass"
    spec = persona_doc(
        keywords=[
            {"term": "on-premise", "weight": 3},
            {"term": "request for proposal"},
            {"term": "enterprise", "weight": 6},
        ]
    )
    changed = persona_service.update_persona(
        session, acme["owner_actor"], acme["pete"], validate_persona(spec)
    )
    session.commit()
    assert changed and acme["pete"].version == 2
    assert draft.verdict == "block"
    latest = piece_audits.latest_audit(session, draft.id)
    assert latest.trigger == "persona_change"
    assert latest.persona_versions[str(acme["pete"].id)] == 2
    assert published.verdict == "pass" and audits_of(session, published) == 1
    states = piece_review.review_states(session, acme["actor"].workspace_id, [draft, published])
    assert not states[draft.id].stale and not states[published.id].stale


def test_a_new_persona_makes_drafts_stale_until_re_audited(session, acme, make_piece):
    piece = make_piece(body="Grab our lifetime deal today.")
    assert piece.verdict == "pass"
    persona_service.create_persona(
        session,
        acme["owner_actor"],
        validate_persona(
            persona_doc(name="Bargain Bea", keywords=[{"term": "lifetime deal", "weight": 5}])
        ),
    )
    session.commit()
    assert piece_review.review_state(session, piece).stale
    assert piece_service.count_stale(session, acme["actor"]) == 1
    with pytest.raises(PermissionDenied):
        piece_audits.reaudit_stale(session, acme["viewer_actor"])
    outcome = piece_audits.reaudit_stale(session, acme["actor"])
    session.commit()
    assert outcome.audited == 1 and outcome.queued == 0
    assert piece.verdict == "block"
    assert not piece_review.review_state(session, piece).stale
    assert piece_service.count_stale(session, acme["actor"]) == 0


def test_blocked_piece_cannot_be_scheduled_or_published(session, acme, make_piece):
    piece = make_piece(body=BLOCKING)
    assert piece.verdict == "block"
    for status in ("scheduled", "published"):
        with pytest.raises(ValidationError) as error:
            piece_service.update_piece(
                session, acme["actor"], piece, {"status": status, "scheduled_at": SOON}
            )
        session.rollback()
        assert "status" in error.value.details
    assert piece.status == "draft"
    with pytest.raises(ValidationError):
        piece_service.create_piece(
            session,
            acme["actor"],
            {"title": "x", "body": BLOCKING, "status": "scheduled", "scheduled_at": SOON},
        )
    session.rollback()


def test_owner_override_with_reason_lets_it_through(session, acme, make_piece):
    piece = make_piece(body=BLOCKING)
    with pytest.raises(PermissionDenied):
        piece_review.override(session, acme["actor"], piece, "Editors may not")
    with pytest.raises(ValidationError) as error:
        piece_review.override(session, acme["owner_actor"], piece, "   ")
    assert error.value.details == {"reason": "is required"}
    piece_review.override(session, acme["owner_actor"], piece, "Quoting a customer verbatim.")
    session.commit()
    assert piece.override_reason == "Quoting a customer verbatim."
    assert piece.override_by == acme["owner"].id and piece.override_at is not None
    piece_service.update_piece(
        session, acme["actor"], piece, {"status": "scheduled", "scheduled_at": SOON}
    )
    session.commit()
    assert piece.status == "scheduled"
    assert piece.scheduled_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert piece_review.review_state(session, piece).override_active
    # The same blocking words again: still approved (see test_states_and_overrides).
    piece_service.update_piece(session, acme["actor"], piece, {"body": BLOCKING + " Again."})
    session.commit()
    assert piece.status == "scheduled"
    piece_service.update_piece(session, acme["actor"], piece, {"title": "Fixed typo"})
    session.commit()
    assert piece.title == "Fixed typo"


def test_override_needs_a_blocked_piece(session, acme, make_piece):
    piece = make_piece(body=CLEAN)
    with pytest.raises(Conflict):
        piece_review.override(session, acme["owner_actor"], piece, "No need")


def dismissal_for(persona, text="on-premise", term="on-premise"):
    """The form an editor sends to dismiss `persona`'s match of `term` on `text`."""
    return {"persona": persona.name, "term": term, "text": text, "reason": "Fine here"}


def test_dismissal_stops_counting_and_survives_re_audit_while_text_unchanged(
    session, acme, make_piece
):
    piece = make_piece(body=BLOCKING)
    with pytest.raises(ValidationError) as error:
        piece_review.dismiss(
            session, acme["actor"], piece, {**dismissal_for(acme["pete"]), "reason": ""}
        )
    assert error.value.details == {"reason": "is required"}
    with pytest.raises(PermissionDenied):
        piece_review.dismiss(session, acme["viewer_actor"], piece, dismissal_for(acme["pete"]))
    dismissal = piece_review.dismiss(session, acme["actor"], piece, dismissal_for(acme["pete"]))
    session.commit()
    assert dismissal.matched_text == "on-premise"
    assert piece.verdict == "pass"  # only "request for proposal" (weight 1) still counts
    latest = piece_audits.latest_audit(session, piece.id)
    pete = next(p for p in latest.result["personas"] if p["id"] == acme["pete"].id)
    assert [m["dismissed"] for m in pete["matches"] if m["term"] == "on-premise"] == [True, True]
    with pytest.raises(Conflict):
        piece_review.dismiss(session, acme["actor"], piece, dismissal_for(acme["pete"]))
    session.rollback()

    # A persona change re-audits the piece; the dismissal still applies to the same words.
    spec = persona_doc(
        keywords=[
            {"term": "on-premise", "weight": 3},
            {"term": "request for proposal", "weight": 2},
        ]
    )
    persona_service.update_persona(
        session, acme["owner_actor"], acme["pete"], validate_persona(spec)
    )
    session.commit()
    assert piece_audits.latest_audit(session, piece.id).trigger == "persona_change"
    assert piece.verdict == "warn"  # request for proposal now weighs 2: warn, not block

    # Changing the matched words ends the dismissal's effect.
    piece_service.update_piece(
        session, acme["actor"], piece, {"body": BLOCKING.replace("on-premise", "on premise")}
    )
    session.commit()
    assert piece.verdict == "block"


def test_undo_dismissal_counts_the_match_again(session, acme, make_piece):
    piece = make_piece(body=WARNING)
    dismissal = piece_review.dismiss(session, acme["actor"], piece, dismissal_for(acme["pete"]))
    session.commit()
    assert piece.verdict == "pass"
    piece_review.undo_dismissal(session, acme["actor"], piece, dismissal.id)
    session.commit()
    assert piece.verdict == "warn"
    assert piece_audits.latest_audit(session, piece.id).trigger == "dismissal_undone"


def test_dismissing_a_match_the_audit_does_not_have_is_refused(session, acme, make_piece):
    piece = make_piece(body=WARNING)
    with pytest.raises(ValidationError) as error:
        piece_review.dismiss(session, acme["actor"], piece, dismissal_for(acme["pete"], text="RFP"))
    assert "text" in error.value.details


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "Nowhere"}, "channel"),
        ({"target_personas": ["Nobody"]}, "target_personas"),
        ({"content_type": "whitepaper"}, "content_type"),
        ({"origin": "borrowed"}, "origin"),
        ({"status": "done"}, "status"),
        ({"format": "rtf"}, "format"),
        ({"scheduled_at": "2026-12-01T09:00:00"}, "scheduled_at"),
        ({"scheduled_at": "next tuesday"}, "scheduled_at"),
        ({"status": "scheduled"}, "scheduled_at"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"title": "  "}, "title"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_validation_names_the_field(session, acme, fields, field):
    with pytest.raises(ValidationError) as error:
        piece_service.create_piece(session, acme["actor"], {"title": "T", **fields})
    assert field in error.value.details


def test_foreign_persona_and_channel_are_unknown(session, acme, globex):
    for fields, field in (
        ({"target_personas": ["Globex Secret"]}, "target_personas"),
        ({"target_personas": [globex["persona"].id]}, "target_personas"),
        ({"channel": "globex-blog"}, "channel"),
    ):
        with pytest.raises(ValidationError) as error:
            piece_service.create_piece(session, acme["actor"], {"title": "T", **fields})
        assert field in error.value.details


def test_roles(session, acme, make_piece):
    piece = make_piece()
    with pytest.raises(PermissionDenied):
        piece_service.create_piece(session, acme["viewer_actor"], {"title": "No"})
    with pytest.raises(PermissionDenied):
        piece_service.update_piece(session, acme["viewer_actor"], piece, {"title": "No"})
    with pytest.raises(PermissionDenied):
        piece_service.delete_piece(session, acme["viewer_actor"], piece)
    rows, total = piece_service.list_pieces(session, acme["viewer_actor"])
    assert total == 1 and rows == [piece]


def test_referenced_persona_is_archived_not_deleted(session, acme, make_piece):
    make_piece(target_personas=["Owner Olivia"])
    outcome = persona_service.remove_persona(session, acme["owner_actor"], acme["olivia"])
    assert outcome == "archived"
    # Pete is no piece's target, but every audit was made with him.
    assert persona_service.remove_persona(session, acme["owner_actor"], acme["pete"]) == "archived"


def test_list_filters(session, acme, make_piece, blog):
    clean = make_piece(title="Clean", body=CLEAN, channel="blog", target_personas=["Owner Olivia"])
    warn = make_piece(title="Warn", body=WARNING, content_type="video")
    scheduled = make_piece(title="Later", status="scheduled", scheduled_at="2026-12-03T10:00:00Z")
    actor = acme["actor"]

    def titles(**args):
        rows, _ = piece_service.list_pieces(
            session, actor, piece_service.parse_filters(session, actor, args)
        )
        return sorted(p.title for p in rows)

    assert titles(verdict="warn") == [warn.title]
    assert titles(channel="BLOG") == [clean.title]
    assert titles(persona="Owner Olivia") == [clean.title]
    assert titles(persona=str(acme["olivia"].id)) == [clean.title]
    assert titles(content_type="video") == [warn.title]
    assert titles(status="scheduled") == [scheduled.title]
    assert titles(**{"from": "2026-12-03", "to": "2026-12-03"}) == [scheduled.title]
    assert titles(**{"from": "2026-12-04"}) == []
    with pytest.raises(ValidationError) as error:
        piece_service.parse_filters(session, actor, {"verdict": "meh", "from": "soon"})
    assert set(error.value.details) == {"verdict", "from"}
