"""POST /api/v1/items/{id}/curate and /dismiss: 201 with the piece, 409, 403, 404, 422, 400."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from planner.services.feeds import inbox as feed_inbox
from tests.mix_app.fixtures import BLOCKING, SUGGESTED


@pytest.fixture
def tokens(acme, make_token):
    return {"editor": make_token(acme["editor"]), "viewer": make_token(acme["viewer"])}


def post(client, url, token, **kwargs):
    return client.post(url, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def test_curate_with_defaults_returns_the_scheduled_piece(client, acme, tokens, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED], channel="LinkedIn", personas=["Owner Olivia"])
    before = datetime.now(UTC)
    response = post(client, f"/api/v1/items/{item.id}/curate", tokens["editor"])
    assert response.status_code == 201, response.json
    piece = response.json
    assert response.headers["Location"].endswith(f"/api/v1/pieces/{piece['id']}")
    assert piece["origin"] == "curated" and piece["status"] == "scheduled"
    assert datetime.fromisoformat(piece["scheduled_at"]) >= before
    assert piece["channel"] == "LinkedIn" and piece["target_personas"] == ["Owner Olivia"]
    assert piece["source_url"] == "https://news.example/0" and piece["format"] == "html"
    assert piece["audit"]["verdict"] == "pass"
    same = client.get(
        f"/api/v1/pieces/{piece['id']}", headers={"Authorization": f"Bearer {tokens['editor']}"}
    ).json
    assert same == piece
    items = client.get(
        f"/api/v1/feeds/{item.feed_id}/items",
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    ).json["items"]
    assert (items[0]["state"], items[0]["curated_piece_id"]) == ("curated", piece["id"])


def test_curate_with_a_channel_and_personas(client, acme, tokens, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED], channel="Blog")
    body = {"channel": "linkedin", "target_personas": []}
    piece = post(client, f"/api/v1/items/{item.id}/curate", tokens["editor"], json=body).json
    assert piece["channel"] == "LinkedIn" and piece["target_personas"] == []
    (other,) = make_items(acme["actor"], [SUGGESTED], channel="Blog")
    body = {"channel": None, "target_personas": ["Owner Olivia"]}
    piece = post(client, f"/api/v1/items/{other.id}/curate", tokens["editor"], json=body).json
    assert piece["channel"] is None and piece["target_personas"] == ["Owner Olivia"]


def test_curating_twice_is_409(client, acme, tokens, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED])
    first = post(client, f"/api/v1/items/{item.id}/curate", tokens["editor"])
    assert first.status_code == 201
    again = post(client, f"/api/v1/items/{item.id}/curate", tokens["editor"])
    assert again.status_code == 409
    assert again.json["error"]["code"] == "conflict"
    assert again.json["error"]["details"] == {"curated_piece_id": first.json["id"]}


def test_a_blocked_item_becomes_a_flagged_draft(client, acme, tokens, make_items):
    (item,) = make_items(acme["actor"], [BLOCKING], personas=["Owner Olivia"])
    response = post(client, f"/api/v1/items/{item.id}/curate", tokens["editor"])
    assert response.status_code == 201
    assert response.json["status"] == "draft" and response.json["audit"]["verdict"] == "block"


def test_viewers_get_403_and_other_workspaces_items_404(client, acme, globex, tokens, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED])
    (theirs,) = make_items(globex["actor"], [SUGGESTED])
    for action in ("curate", "dismiss"):
        denied = post(client, f"/api/v1/items/{item.id}/{action}", tokens["viewer"])
        assert denied.status_code == 403 and denied.json["error"]["code"] == "forbidden"
        hidden = post(client, f"/api/v1/items/{theirs.id}/{action}", tokens["editor"])
        assert hidden.status_code == 404 and hidden.json["error"]["code"] == "not_found"
    assert post(client, "/api/v1/items/99999/curate", tokens["editor"]).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": 5}, "channel"),
        ({"channel": "Myspace"}, "channel"),
        ({"target_personas": "Owner Olivia"}, "target_personas"),
        ({"target_personas": ["Nobody"]}, "target_personas"),
        ({"status": "published"}, "status"),
    ],
)
def test_bad_choices_are_422_and_curate_nothing(client, acme, tokens, make_items, body, field):
    (item,) = make_items(acme["actor"], [SUGGESTED])
    response = post(client, f"/api/v1/items/{item.id}/curate", tokens["editor"], json=body)
    assert response.status_code == 422
    assert field in response.json["error"]["details"]
    assert post(client, f"/api/v1/items/{item.id}/curate", tokens["editor"]).status_code == 201


def test_a_body_that_is_not_a_json_object_is_400(client, acme, tokens, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED])
    url = f"/api/v1/items/{item.id}/curate"
    for kwargs in (
        {"data": "channel=Blog", "content_type": "application/x-www-form-urlencoded"},
        {"data": "{not json", "content_type": "application/json"},
        {"json": ["Blog"]},
    ):
        response = post(client, url, tokens["editor"], **kwargs)
        assert response.status_code == 400, kwargs
        assert response.json["error"]["code"] == "bad_request"


def test_dismiss_hides_the_item_and_a_curated_one_is_409(client, acme, tokens, make_items, session):
    first, second = make_items(acme["actor"], [SUGGESTED, BLOCKING])
    response = post(client, f"/api/v1/items/{first.id}/dismiss", tokens["editor"])
    assert response.status_code == 200 and response.json["state"] == "dismissed"
    assert feed_inbox.list_items(session, acme["actor"], state="new").total == 1
    post(client, f"/api/v1/items/{second.id}/curate", tokens["editor"])
    conflict = post(client, f"/api/v1/items/{second.id}/dismiss", tokens["editor"])
    assert conflict.status_code == 409
