"""Publishing states and same-save overrides through the API, as an integration would use them."""

from __future__ import annotations

from tests.pieces.helpers import BLOCKING, CLEAN, error_of

FUTURE = "2031-03-02T09:00:00+01:00"
PAST = "2024-03-02T09:00:00+01:00"


def test_a_piece_walks_from_idea_to_published_and_back(api, acme):
    created = api("POST", "/pieces", json={"title": "Walk", "body": CLEAN, "status": "idea"})
    assert created.status_code == 201
    path = f"/pieces/{created.get_json()['id']}"
    for change in (
        {"status": "draft"},
        {"status": "review"},
        {"status": "scheduled", "scheduled_at": FUTURE},
        {"status": "published", "scheduled_at": PAST},
    ):
        response = api("PATCH", path, json=change)
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] == change["status"]
    refused = api("PATCH", path, json={"status": "draft"})
    assert refused.status_code == 403
    unpublished = api("PATCH", path, role="owner", json={"status": "draft"})
    assert unpublished.status_code == 200
    kinds = [e["kind"] for e in unpublished.get_json()["events"]]
    assert kinds == ["published", "unpublished"]
    assert api("PATCH", path, json={"status": "archived"}).get_json()["status"] == "archived"
    assert api("PATCH", path, json={"status": "scheduled"}).status_code == 422
    assert api("PATCH", path, json={"status": "draft"}).get_json()["status"] == "draft"


def test_a_published_piece_refuses_a_move_or_an_edit_with_409(api, acme):
    created = api(
        "POST",
        "/pieces",
        json={"title": "Out", "body": CLEAN, "status": "published", "scheduled_at": PAST},
    )
    assert created.status_code == 201
    piece = created.get_json()
    path = f"/pieces/{piece['id']}"
    moved = api("PATCH", path, json={"scheduled_at": FUTURE})
    assert moved.status_code == 409
    error = error_of(moved)
    assert "its time and text are history" in error["message"]
    assert error["details"] == {"status": "published pieces cannot be edited or moved"}
    assert api("PATCH", path, json={"body": "Rewritten."}).status_code == 409
    # A client that sends the whole document back unchanged is not refused.
    writable = {k: piece[k] for k in ("title", "summary", "body", "scheduled_at", "status")}
    assert api("PATCH", path, json=writable).status_code == 200
    assert api("GET", path).get_json()["scheduled_at"] == piece["scheduled_at"]
    future = api(
        "POST",
        "/pieces",
        json={"title": "Later", "status": "published", "scheduled_at": FUTURE},
    )
    assert future.status_code == 422
    assert set(error_of(future)["details"]) == {"scheduled_at"}


def test_an_owner_creates_a_blocked_scheduled_piece_in_one_step(api, acme):
    document = {
        "title": "Quote",
        "body": BLOCKING,
        "status": "scheduled",
        "scheduled_at": FUTURE,
        "override_reason": "A customer's words, quoted.",
    }
    assert api("POST", "/pieces", json=document).status_code == 403
    without = api("POST", "/pieces", role="owner", json={**document, "override_reason": ""})
    assert without.status_code == 422
    response = api("POST", "/pieces", role="owner", json=document)
    assert response.status_code == 201
    piece = response.get_json()
    assert piece["status"] == "scheduled"
    assert piece["audit"]["verdict"] == "block"
    assert piece["override"]["reason"] == "A customer's words, quoted."
    assert {a["term"] for a in piece["override"]["approved"]} == {
        "on-premise",
        "request for proposal",
    }
    assert piece["events"][0]["kind"] == "override"
    assert "override_reason" not in piece
