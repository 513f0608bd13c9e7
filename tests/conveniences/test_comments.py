"""Comments on a piece: who and when (in the workspace's zone), from the API and the editor."""

from __future__ import annotations

import re

from planner.models import PieceComment
from planner.services.pieces import comments as piece_comments
from tests.conveniences.helpers import FIXED_TOKYO_TEXT, FIXED_UTC


def test_api_editors_comment_viewers_read_times_in_the_workspace_zone(api, make_piece):
    piece = make_piece(title="Launch post")
    etag = api("GET", f"/pieces/{piece.id}").headers["ETag"]

    created = api("POST", f"/pieces/{piece.id}/comments", json={"body": "  Check the price  "})
    assert created.status_code == 201
    comment = created.get_json()
    assert comment["body"] == "Check the price"
    assert comment["by"] == "ed@example.com"
    assert comment["at"].endswith("+09:00")  # Tokyo, the workspace's zone

    listed = api("GET", f"/pieces/{piece.id}/comments", role="viewer")
    assert listed.status_code == 200
    assert [c["body"] for c in listed.get_json()["comments"]] == ["Check the price"]
    # A comment is not an edit: an editor holding the old ETag can still save.
    assert api("GET", f"/pieces/{piece.id}").headers["ETag"] == etag

    refused = api("POST", f"/pieces/{piece.id}/comments", role="viewer", json={"body": "Hi"})
    assert refused.status_code == 403
    assert "editor role" in refused.get_json()["error"]["message"]


def test_api_refuses_empty_long_or_odd_comments_and_other_workspaces(
    api, make_piece, make_user, actor_for, session
):
    from planner.services.pieces import service as piece_service

    piece = make_piece()
    for body, field in (
        ({"body": "   "}, "body"),
        ({"body": "x" * (piece_comments.MAX_COMMENT + 1)}, "body"),
        ({"body": 12}, "body"),
        ({"body": "ok", "author": "me"}, "author"),
    ):
        response = api("POST", f"/pieces/{piece.id}/comments", json=body)
        assert response.status_code == 422, body
        assert field in response.get_json()["error"]["details"]
    assert api("GET", f"/pieces/{piece.id}/comments").get_json()["comments"] == []

    gus = make_user("gus@example.com", "Globex", "owner")
    theirs = piece_service.create_piece(session, actor_for(gus, "Globex"), {"title": "Secret"})
    session.commit()
    assert api("GET", f"/pieces/{theirs.id}/comments").status_code == 404
    assert api("POST", f"/pieces/{theirs.id}/comments", json={"body": "hi"}).status_code == 404


def test_openapi_documents_the_comment_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    path = spec["paths"]["/pieces/{id}/comments"]
    assert {"get", "post"} <= set(path)
    body = path["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["body"]["maxLength"] == piece_comments.MAX_COMMENT
    assert "Comment" in spec["components"]["schemas"]


def test_editor_adds_a_comment_and_sees_who_and_when(client, login, acme, make_piece, session):
    piece = make_piece(title="Launch post")
    login(acme["editor"])
    response = client.post(f"/pieces/{piece.id}/comments", data={"body": "Ask legal first"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/pieces/{piece.id}#comments")

    comment = session.query(PieceComment).one()
    comment.created_at = FIXED_UTC
    session.commit()
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    section = page[page.index('id="comments"') : page.index('id="history-heading"')]
    assert "Ask legal first" in section and "ed@example.com" in section
    assert FIXED_TOKYO_TEXT in section  # 09:00 UTC, on Tokyo's clock
    assert "Add a comment" in section


def test_a_refused_comment_keeps_the_text_and_says_why(client, login, acme, make_piece):
    piece = make_piece()
    login(acme["editor"])
    long_text = "word " * 1000
    response = client.post(f"/pieces/{piece.id}/comments", data={"body": long_text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "at most 4,000 characters" in page
    assert re.search(r'<textarea id="comment-body"[^>]*aria-invalid="true"', page)
    assert long_text.strip()[:50] in page


def test_viewers_read_comments_but_get_no_form(client, login, acme, make_piece, session):
    piece = make_piece()
    piece_comments.add_comment(session, acme["actor"], piece, {"body": "Needs a chart"})
    session.commit()
    login(acme["viewer"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert "Needs a chart" in page
    assert 'id="comment-body"' not in page
    assert client.post(f"/pieces/{piece.id}/comments", data={"body": "me too"}).status_code == 403
