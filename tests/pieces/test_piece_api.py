"""The pieces and channels API: shapes, validation, isolation between workspaces, roles."""

from __future__ import annotations

import pytest

from tests.pieces.helpers import BLOCKING, WARNING, error_of

PIECE_FIELDS = {
    "id",
    "version",
    "title",
    "summary",
    "body",
    "format",
    "content_type",
    "origin",
    "source_url",
    "url",
    "channel",
    "target_personas",
    "status",
    "scheduled_at",
    "assignee",
    "audit",
    "audit_summary",
    "audit_stale",
    "audit_history_count",
    "override",
    "dismissals",
    "events",
    "created_at",
    "updated_at",
}


def test_create_and_read_a_piece(api, acme):
    assert api("POST", "/channels", json={"name": "Blog", "kind": "blog"}).status_code == 201
    response = api(
        "POST",
        "/pieces",
        json={
            "title": "Our install options",
            "body": WARNING,
            "format": "plain",
            "content_type": "article",
            "origin": "own",
            "channel": "blog",
            "target_personas": ["Owner Olivia"],
            "status": "draft",
            "scheduled_at": "2026-12-01T09:00:00+01:00",
        },
    )
    assert response.status_code == 201, response.get_json()
    piece = response.get_json()
    assert set(piece) == PIECE_FIELDS
    assert response.headers["Location"].endswith(f"/api/v1/pieces/{piece['id']}")
    assert piece["channel"] == "Blog"
    assert piece["target_personas"] == ["Owner Olivia"]
    assert piece["scheduled_at"] == "2026-12-01T08:00:00+00:00"
    assert piece["audit"]["verdict"] == "warn"
    assert set(piece["audit"]) == {"verdict", "word_count", "personas", "findings", "warnings"}
    assert piece["audit_history_count"] == 1 and piece["audit_stale"] is False
    assert piece["override"] is None
    again = api("GET", f"/pieces/{piece['id']}", role="viewer").get_json()
    assert again["audit"] == piece["audit"]

    listed = api("GET", "/pieces?verdict=warn&channel=blog&persona=Owner%20Olivia").get_json()
    assert listed["total"] == 1 and [p["id"] for p in listed["pieces"]] == [piece["id"]]
    assert api("GET", "/pieces?verdict=pass").get_json()["pieces"] == []
    assert api("GET", "/pieces?from=2026-12-01&to=2026-12-01").get_json()["total"] == 1


def test_patch_reaudits_and_delete(api):
    piece = api("POST", "/pieces", json={"title": "T", "body": "Plain words."}).get_json()
    assert piece["audit"]["verdict"] == "pass"
    patched = api("PATCH", f"/pieces/{piece['id']}", json={"status": "review"}).get_json()
    assert patched["audit_history_count"] == 1  # status only: no new audit
    patched = api("PATCH", f"/pieces/{piece['id']}", json={"title": "New title"}).get_json()
    assert patched["audit_history_count"] == 2  # the title is audited too
    patched = api("PATCH", f"/pieces/{piece['id']}", json={"body": WARNING}).get_json()
    assert patched["audit"]["verdict"] == "warn" and patched["audit_history_count"] == 3
    response = api("DELETE", f"/pieces/{piece['id']}")
    assert response.get_json() == {"id": piece["id"], "deleted": True}
    assert api("GET", f"/pieces/{piece['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "T", "channel": "Nowhere"}, "channel"),
        ({"title": "T", "target_personas": ["Nobody"]}, "target_personas"),
        ({"title": "T", "status": "scheduled"}, "scheduled_at"),
        ({"title": "T", "scheduled_at": "2026-12-01 09:00"}, "scheduled_at"),
        ({"title": "T", "content_type": "blogpost"}, "content_type"),
        ({"body": "no title"}, "title"),
    ],
)
def test_invalid_piece_is_422_naming_the_field(api, body, field):
    response = api("POST", "/pieces", json=body)
    assert response.status_code == 422
    assert field in error_of(response)["details"]


def test_bad_requests(api):
    assert api("POST", "/pieces", data="{", content_type="application/json").status_code == 400
    assert api("POST", "/pieces", json=["not", "an", "object"]).status_code == 400
    assert api("GET", "/pieces?status=done").status_code == 422
    assert api("GET", "/pieces?limit=9999").status_code == 422
    assert api("GET", "/pieces/abc").status_code == 404
    big = {"title": "T", "body": "x " * 300_000}
    assert api("POST", "/pieces", json=big).status_code == 413


def test_block_override_and_dismissal_over_the_api(api, acme):
    piece = api("POST", "/pieces", json={"title": "RFP", "body": BLOCKING}).get_json()
    assert piece["audit"]["verdict"] == "block"
    schedule = {"status": "scheduled", "scheduled_at": "2026-12-01T09:00:00Z"}
    refused = api("PATCH", f"/pieces/{piece['id']}", json=schedule)
    assert refused.status_code == 422 and "status" in error_of(refused)["details"]

    assert api("POST", f"/pieces/{piece['id']}/override", json={"reason": "x"}).status_code == 403
    response = api("POST", f"/pieces/{piece['id']}/override", role="owner", json={"reason": ""})
    assert response.status_code == 422 and error_of(response)["details"] == {
        "reason": "is required"
    }
    response = api(
        "POST", f"/pieces/{piece['id']}/override", role="owner", json={"reason": "Approved."}
    )
    override = response.get_json()["override"]
    assert override["reason"] == "Approved." and override["by"] == acme["owner"].email
    assert override["active"] is True
    assert api("PATCH", f"/pieces/{piece['id']}", json=schedule).get_json()["status"] == "scheduled"

    dismissal = {
        "persona": acme["pete"].id,
        "term": "on-premise",
        "text": "On-Premise",
        "reason": "We sell a hosted version, and say so.",
    }
    assert (
        api("POST", f"/pieces/{piece['id']}/dismissals", role="viewer", json=dismissal).status_code
        == 403
    )
    response = api("POST", f"/pieces/{piece['id']}/dismissals", json=dismissal)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["dismissal"]["text"] == "on-premise"
    assert body["piece"]["audit"]["verdict"] == "pass"
    assert body["piece"]["dismissals"][0]["id"] == body["dismissal"]["id"]
    duplicate = api("POST", f"/pieces/{piece['id']}/dismissals", json=dismissal)
    assert duplicate.status_code == 409
    undone = api("DELETE", f"/pieces/{piece['id']}/dismissals/{body['dismissal']['id']}")
    assert undone.get_json()["audit"]["verdict"] == "block"
    missing = api("DELETE", f"/pieces/{piece['id']}/dismissals/{body['dismissal']['id']}")
    assert missing.status_code == 404


def test_other_workspaces_rows_are_404(api, globex):
    piece_id, channel_id = globex["piece"].id, globex["channel"].id
    assert api("GET", f"/pieces/{piece_id}").status_code == 404
    assert api("PATCH", f"/pieces/{piece_id}", json={"title": "Mine"}).status_code == 404
    assert api("DELETE", f"/pieces/{piece_id}").status_code == 404
    assert (
        api("POST", f"/pieces/{piece_id}/override", role="owner", json={"reason": "x"}).status_code
        == 404
    )
    assert api("PATCH", f"/channels/{channel_id}", json={"name": "Mine"}).status_code == 404
    assert api("DELETE", f"/channels/{channel_id}").status_code == 404
    assert api("GET", "/pieces").get_json()["pieces"] == []
    response = api("POST", "/pieces", json={"title": "T", "channel": "globex-blog"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("viewer", 200, 403), ("editor", 200, 201), ("owner", 200, 201)],
)
def test_role_matrix(api, role, read, write):
    assert api("GET", "/pieces", role=role).status_code == read
    assert api("GET", "/channels", role=role).status_code == read
    assert api("POST", "/pieces", role=role, json={"title": "T"}).status_code == write
    assert api("POST", "/channels", role=role, json={"name": f"c-{role}"}).status_code == write


def test_channels_crud_and_in_use(api):
    created = api("POST", "/channels", json={"name": "LinkedIn", "kind": "linkedin"})
    assert created.status_code == 201
    channel = created.get_json()
    assert channel == {
        "id": channel["id"],
        "name": "LinkedIn",
        "kind": "linkedin",
        "min_gap_minutes": 0,
    }
    assert api("POST", "/channels", json={"name": "linkedin"}).status_code == 409
    bad = api("POST", "/channels", json={"name": "", "kind": "fax", "min_gap_minutes": -5})
    assert bad.status_code == 422
    assert set(error_of(bad)["details"]) == {"name", "kind", "min_gap_minutes"}
    patched = api("PATCH", f"/channels/{channel['id']}", json={"min_gap_minutes": 120})
    assert patched.get_json()["min_gap_minutes"] == 120
    api("POST", "/pieces", json={"title": "On it", "channel": "linkedin"})
    in_use = api("DELETE", f"/channels/{channel['id']}")
    assert in_use.status_code == 409 and error_of(in_use)["code"] == "conflict"
    assert api("GET", "/channels").get_json()["channels"][0]["name"] == "LinkedIn"


def test_every_route_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, methods in {
        "/pieces": {"get", "post"},
        "/pieces/{id}": {"get", "patch", "delete"},
        "/pieces/{id}/dismissals": {"post"},
        "/pieces/{id}/dismissals/{dismissal_id}": {"delete"},
        "/pieces/{id}/override": {"post"},
        "/channels": {"get", "post"},
        "/channels/{id}": {"get", "patch", "delete"},
    }.items():
        assert methods <= set(paths[path]), path
