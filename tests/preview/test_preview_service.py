"""The persona-change preview: what a change would block, warn or let pass; it writes nothing."""

from __future__ import annotations

import pytest

from planner.errors import PermissionDenied
from planner.services.persona_preview.impact import preview_persona
from planner.services.persona_preview.wording import summary_lines
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from tests.helpers import persona_doc
from tests.preview.helpers import add_piece, snapshot


def pete_with(**changes):
    return validate_persona(persona_doc(**changes))


def ids(rows, kind="piece"):
    return {row["id"] for row in rows if row["kind"] == kind}


def test_an_added_keyword_blocks_the_scheduled_piece_and_names_its_matches(session, acme):
    before = snapshot(session)
    keywords = [*persona_doc()["keywords"], {"term": "free", "weight": 5}]
    impact = preview_persona(session, acme["actor"], acme["pete"], pete_with(keywords=keywords))
    pieces = acme["pieces"]
    blocked = impact.changes["newly_blocked"]
    assert ids(blocked) == {pieces["free_scheduled"].id, pieces["free_draft"].id}
    assert ids(blocked, "item") == {acme["items"]["free"].id}
    scheduled = next(r for r in blocked if r["id"] == pieces["free_scheduled"].id)
    assert scheduled == {
        "id": pieces["free_scheduled"].id,
        "kind": "piece",
        "title": "The free plan",
        "status": "scheduled",
        "from": "pass",
        "to": "block",
    }
    [free] = impact.keywords
    assert (free.change, free.term) == ("added", "free")
    assert free.texts == {"piece": 2, "item": 1}
    assert free.matches["piece"] == 5  # titles count: 2 in the scheduled piece, 3 in the draft
    in_body = [e for e in free.examples["piece"] if e["field"] == "body"]
    body = pieces["free_scheduled"].body
    assert body[in_body[0]["start"] : in_body[0]["end"]] == in_body[0]["text"] == "free"
    lines = summary_lines(impact)
    assert lines[0] == "Adding `free`: 5 matches in 2 pieces, 2 matches in 1 feed item"
    assert lines[1].startswith(
        "1 scheduled piece, 1 other piece and 1 feed item would become Block — "
    )
    assert snapshot(session) == before


def test_a_removed_keyword_lets_pieces_pass(session, acme):
    impact = preview_persona(
        session, acme["actor"], acme["pete"], pete_with(keywords=["request for proposal"])
    )
    assert impact.changes["newly_passing"] == [
        {
            "id": acme["pieces"]["onprem"].id,
            "kind": "piece",
            "title": "Install it",
            "status": "draft",
            "from": "warn",
            "to": "pass",
        }
    ]
    [removed] = impact.keywords
    assert (removed.change, removed.term, removed.texts["piece"]) == ("removed", "on-premise", 1)
    assert not impact.changes["newly_blocked"] and not impact.changes["newly_warned"]


def test_thresholds_are_previewed_the_same_way(session, acme):
    stricter = preview_persona(
        session, acme["actor"], acme["pete"], pete_with(thresholds={"warn": 1, "block": 3})
    )
    assert ids(stricter.changes["newly_blocked"]) == {acme["pieces"]["onprem"].id}
    assert stricter.thresholds == {"warn": {"from": 2, "to": 1}, "block": {"from": 5, "to": 3}}
    assert "Block threshold: 5 → 3" in summary_lines(stricter)
    laxer = preview_persona(
        session, acme["actor"], acme["pete"], pete_with(thresholds={"warn": 4, "block": 8})
    )
    assert ids(laxer.changes["newly_passing"]) == {acme["pieces"]["onprem"].id}
    assert not laxer.keywords


def test_a_new_persona_is_previewed_against_everything_stored(session, acme):
    spec = validate_persona(
        persona_doc(name="Freeloader", keywords=[{"term": "free", "weight": 2}])
    )
    impact = preview_persona(session, acme["actor"], None, spec)
    warned = impact.changes["newly_warned"]
    assert acme["pieces"]["free_scheduled"].id in ids(warned)
    assert impact.persona_id is None and impact.keywords[0].change == "added"
    assert acme["pieces"]["clean"].id not in ids(warned) | ids(impact.changes["newly_blocked"])


def test_nothing_is_written_and_saving_applies_what_was_previewed(session, acme):
    keywords = [*persona_doc()["keywords"], {"term": "free", "weight": 5}]
    spec = pete_with(keywords=keywords)
    before = snapshot(session)
    preview_persona(session, acme["actor"], acme["pete"], spec)
    session.commit()
    assert snapshot(session) == before
    persona_service.update_persona(session, acme["actor"], acme["pete"], spec)
    session.commit()
    assert acme["pieces"]["free_scheduled"].verdict == "block"
    assert acme["pieces"]["onprem"].verdict == "warn"


def test_an_unchanged_persona_changes_nothing_and_the_fingerprint_follows_the_content(
    session, acme
):
    same = preview_persona(session, acme["actor"], acme["pete"], pete_with())
    assert same.changed_verdicts == 0 and summary_lines(same) == ["No verdict would change."]
    spec = pete_with(keywords=[*persona_doc()["keywords"], {"term": "free", "weight": 5}])
    first = preview_persona(session, acme["actor"], acme["pete"], spec)
    assert preview_persona(session, acme["actor"], acme["pete"], spec).fingerprint == (
        first.fingerprint
    )
    acme["pieces"]["clean"].body += " Free."
    session.flush()
    assert preview_persona(session, acme["actor"], acme["pete"], spec).fingerprint != (
        first.fingerprint
    )


def test_viewers_cannot_preview(session, acme, make_user, actor_for):
    viewer = actor_for(make_user("vi@example.com", "Acme", "viewer"), "Acme")
    with pytest.raises(PermissionDenied):
        preview_persona(session, viewer, acme["pete"], pete_with())


def test_an_inflected_form_and_hidden_characters_still_reach_the_engine(session, acme):
    bought = add_piece(session, acme["actor"], "Last year", "Customers bo\u00adught licences.")
    spec = pete_with(keywords=[*persona_doc()["keywords"], {"term": "buy", "weight": 5}])
    impact = preview_persona(session, acme["actor"], acme["pete"], spec)
    assert bought.id in ids(impact.changes["newly_blocked"])
    assert impact.keywords[0].examples["piece"][0]["text"] == "bo\u00adught"
