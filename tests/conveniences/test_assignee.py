"""A piece's assignee: a member, set in the editor or the API, shown in the drafts list and
the calendar dialog, and cleared when the member leaves the workspace."""

from __future__ import annotations

from tests.conveniences.helpers import CLEAN


def editor_form(piece, **fields) -> dict:
    data = {
        "version": str(piece.version),
        "title": piece.title,
        "summary": "",
        "body": CLEAN,
        "format": "plain",
        "content_type": "article",
        "origin": "own",
        "source_url": "",
        "channel": "",
        "status": piece.status,
        "scheduled_at": "",
        "targets_sent": "1",
    }
    data.update(fields)
    return data


def test_api_assigns_a_member_by_email_and_refuses_strangers(api, make_piece, make_user):
    piece = make_piece(title="Launch post")
    assert api("GET", f"/pieces/{piece.id}").get_json()["assignee"] is None

    changed = api("PATCH", f"/pieces/{piece.id}", json={"assignee": "VI@example.com"})
    assert changed.status_code == 200
    assert changed.get_json()["assignee"] == "vi@example.com"

    make_user("gus@example.com", "Globex", "owner")  # a user, but not of Acme
    for stranger in ("gus@example.com", "nobody@example.com", 3.5):
        refused = api("PATCH", f"/pieces/{piece.id}", json={"assignee": stranger})
        assert refused.status_code == 422
        assert "assignee" in refused.get_json()["error"]["details"]
    assert api("GET", f"/pieces/{piece.id}").get_json()["assignee"] == "vi@example.com"

    cleared = api("PATCH", f"/pieces/{piece.id}", json={"assignee": None})
    assert cleared.get_json()["assignee"] is None
    created = api("POST", "/pieces", json={"title": "New", "assignee": "owner@example.com"})
    assert created.status_code == 201 and created.get_json()["assignee"] == "owner@example.com"


def test_editor_sets_the_assignee_and_the_drafts_list_shows_it(client, login, acme, make_piece):
    piece = make_piece(title="Launch post")
    login(acme["editor"])
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert '<label for="piece-assignee">Assignee</label>' in page
    assert f'<option value="{acme["viewer"].id}" >vi@example.com</option>' in page

    saved = client.post(
        f"/pieces/{piece.id}", data=editor_form(piece, assignee=str(acme["viewer"].id))
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    page = client.get(f"/pieces/{piece.id}").get_data(as_text=True)
    assert f'<option value="{acme["viewer"].id}" selected>vi@example.com</option>' in page

    drafts = client.get("/pieces/").get_data(as_text=True)
    assert '<th scope="col">Assignee</th>' in drafts
    assert '<td class="piece-assignee">vi@example.com</td>' in drafts


def test_calendar_dialog_shows_the_assignee_and_comments(client, login, acme, make_piece, api):
    piece = make_piece(title="Launch post")
    api("PATCH", f"/pieces/{piece.id}", json={"assignee": "owner@example.com"})
    api("POST", f"/pieces/{piece.id}/comments", json={"body": "Pair it with the webinar"})
    login(acme["viewer"])
    card = client.get(f"/calendar/pieces/{piece.id}/card").get_data(as_text=True)
    assert "<strong>Assignee:</strong> owner@example.com" in card
    assert "Pair it with the webinar" in card and "ed@example.com" in card


def test_removing_a_member_unassigns_their_pieces(client, login, acme, make_piece, api):
    piece = make_piece(title="Launch post")
    api("PATCH", f"/pieces/{piece.id}", json={"assignee": "vi@example.com"})
    login(acme["owner"])
    removed = client.post(f"/settings/members/{acme['viewer'].id}/remove")
    assert removed.status_code == 302
    assert api("GET", f"/pieces/{piece.id}").get_json()["assignee"] is None
    drafts = client.get("/pieces/").get_data(as_text=True)
    assert '<td class="piece-assignee">—</td>' in drafts
    assert "vi@example.com" not in client.get(f"/pieces/{piece.id}").get_data(as_text=True)
