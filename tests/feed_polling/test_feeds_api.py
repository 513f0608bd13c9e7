"""The feeds API: shapes, roles, workspace isolation, validation, items."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.services.feeds import polling

from .helpers import PETE_ENTRY, SAM_ENTRY


@pytest.fixture
def api(client):
    def call(method, url, token, **kwargs):
        return client.open(
            url, method=method, headers={"Authorization": f"Bearer {token}"}, **kwargs
        )

    return call


@pytest.fixture
def tokens(make_user, make_token, editor):
    """Tokens of Acme's editor and viewer, and of Globex's owner."""
    viewer = make_user("viewer@example.com", "Acme", "viewer")
    other = make_user("owner@globex.example", "Globex", "owner")
    editor_user = make_user("ed@example.com", "Acme", "editor")  # returns the existing user
    return {
        "editor": make_token(editor_user),
        "viewer": make_token(viewer),
        "other": make_token(other, "Globex"),
    }


def test_create_read_patch_delete(api, tokens, site, allow_private, session):
    url = site.feed("/f", [SAM_ENTRY, PETE_ENTRY])
    created = api(
        "POST", "/api/v1/feeds", tokens["editor"],
        json={"url": url, "personas": ["Small Business Sam"], "poll_interval_minutes": 30},
    )  # fmt: skip
    assert created.status_code == 201, created.json
    feed = created.json
    assert feed["url"] == url and feed["status"] == "new" and feed["items"] == 0
    assert [p["name"] for p in feed["personas"]] == ["Small Business Sam"]
    assert feed["poll_interval_minutes"] == 30 and created.headers["Location"].endswith(
        f"/feeds/{feed['id']}"
    )
    list(polling.poll_due(session, allow_private=True))
    session.commit()
    got = api("GET", f"/api/v1/feeds/{feed['id']}", tokens["viewer"]).json
    assert got["status"] == "ok" and got["items"] == 2 and got["new_items"] == 2
    assert got["title"] == "Test feed" and got["next_poll_at"]
    listed = api("GET", "/api/v1/feeds", tokens["viewer"]).json["feeds"]
    assert [f["id"] for f in listed] == [feed["id"]]

    patched = api(
        "PATCH",
        f"/api/v1/feeds/{feed['id']}",
        tokens["editor"],
        json={"paused": True, "title": "Mine"},
    )
    assert patched.status_code == 200 and patched.json["paused"] and patched.json["title"] == "Mine"
    assert patched.json["status"] == "paused" and patched.json["next_poll_at"] is None
    resumed = api("PATCH", f"/api/v1/feeds/{feed['id']}", tokens["editor"], json={"paused": False})
    assert resumed.json["status"] == "new" and not resumed.json["paused"]

    deleted = api("DELETE", f"/api/v1/feeds/{feed['id']}", tokens["editor"])
    assert deleted.json == {"id": feed["id"], "deleted": True}
    assert api("GET", f"/api/v1/feeds/{feed['id']}", tokens["editor"]).status_code == 404


def test_items_endpoint_gives_what_curation_needs(api, tokens, site, allow_private, session):
    url = site.feed("/f", [SAM_ENTRY, PETE_ENTRY])
    feed_id = api("POST", "/api/v1/feeds", tokens["editor"], json={"url": url}).json["id"]
    list(polling.poll_due(session, allow_private=True))
    session.commit()
    body = api("GET", f"/api/v1/feeds/{feed_id}/items", tokens["viewer"]).json
    assert body["total"] == 2 and body["limit"] == 50 and body["offset"] == 0
    by_title = {item["title"]: item for item in body["items"]}
    sam = by_title[SAM_ENTRY.title]
    assert sam["link"] == SAM_ENTRY.link and sam["state"] == "new" and sam["suggested"]
    assert sam["summary_html"].startswith("<p>") and "invoice" in sam["summary_text"]
    assert sam["audit"]["verdict"] == "pass" and sam["verdict"] == "pass"
    assert [p["name"] for p in sam["personas"]["buyers"]] == ["Small Business Sam"]
    pete = by_title[PETE_ENTRY.title]
    assert pete["personas"]["negatives"][0]["terms"] == ["on-premise"] and not pete["suggested"]
    suggested = api("GET", f"/api/v1/feeds/{feed_id}/items?suggested=1", tokens["viewer"]).json
    assert [i["title"] for i in suggested["items"]] == [SAM_ENTRY.title]
    page = api("GET", f"/api/v1/feeds/{feed_id}/items?limit=1&offset=1", tokens["viewer"]).json
    assert len(page["items"]) == 1 and page["total"] == 2
    bad = api("GET", f"/api/v1/feeds/{feed_id}/items?state=bogus", tokens["viewer"])
    assert bad.status_code == 422 and "state" in bad.json["error"]["details"]


def test_roles_viewers_read_only(api, tokens, site, allow_private):
    url = site.feed("/f", [SAM_ENTRY])
    refused = api("POST", "/api/v1/feeds", tokens["viewer"], json={"url": url})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    feed_id = api("POST", "/api/v1/feeds", tokens["editor"], json={"url": url}).json["id"]
    assert (
        api("PATCH", f"/api/v1/feeds/{feed_id}", tokens["viewer"], json={"title": "x"}).status_code
        == 403
    )
    assert api("DELETE", f"/api/v1/feeds/{feed_id}", tokens["viewer"]).status_code == 403
    assert api("GET", f"/api/v1/feeds/{feed_id}", tokens["viewer"]).status_code == 200


def test_other_workspaces_get_404(api, tokens, site, allow_private):
    feed_id = api(
        "POST", "/api/v1/feeds", tokens["editor"], json={"url": site.feed("/f", [SAM_ENTRY])}
    ).json["id"]
    for method, path in [
        ("GET", f"/api/v1/feeds/{feed_id}"),
        ("PATCH", f"/api/v1/feeds/{feed_id}"),
        ("DELETE", f"/api/v1/feeds/{feed_id}"),
        ("GET", f"/api/v1/feeds/{feed_id}/items"),
    ]:
        response = api(
            method, path, tokens["other"], json={"title": "x"} if method == "PATCH" else None
        )
        assert response.status_code == 404, (method, path)
        assert response.json["error"]["code"] == "not_found"
    assert api("GET", "/api/v1/feeds", tokens["other"]).json["feeds"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/feed"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "http://127.0.0.1:9/feed"}, "url"),  # private: refused without FEED_ALLOW_PRIVATE
        ({"url": "http://10.1.2.3/feed"}, "url"),
        ({}, "url"),
        ({"url": "http://93.184.215.14/feed", "poll_interval_minutes": 1}, "poll_interval_minutes"),
        ({"url": "http://93.184.215.14/feed", "personas": ["Nobody"]}, "personas"),
        ({"url": "http://93.184.215.14/feed", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api, tokens, body, field):
    response = api("POST", "/api/v1/feeds", tokens["editor"], json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["details"]


def test_duplicate_url_is_a_409_and_bad_json_a_400(api, tokens, site, allow_private):
    url = site.feed("/f", [SAM_ENTRY])
    assert api("POST", "/api/v1/feeds", tokens["editor"], json={"url": url}).status_code == 201
    again = api("POST", "/api/v1/feeds", tokens["editor"], json={"url": url})
    assert again.status_code == 409 and "url" in again.json["error"]["details"]
    broken = api(
        "POST", "/api/v1/feeds", tokens["editor"], data="{", content_type="application/json"
    )
    assert broken.status_code == 400 and broken.json["error"]["code"] == "bad_request"


def test_feed_paths_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/feeds", "/feeds/{id}", "/feeds/{id}/items"} <= set(paths)


def test_a_persona_a_feed_is_read_for_is_archived_not_deleted(api, tokens, session):
    from planner.models import Persona

    sam = session.scalar(select(Persona).where(Persona.name == "Small Business Sam"))
    created = api(
        "POST", "/api/v1/feeds", tokens["editor"],
        json={"url": "http://93.184.215.14/feed", "personas": [sam.id]},
    )  # fmt: skip
    assert created.status_code == 201, created.json
    removed = api("DELETE", f"/api/v1/personas/{sam.id}", tokens["editor"])
    assert removed.json["outcome"] == "archived"
