"""The Curate and Dismiss buttons (inbox, feed page, dashboard) and the curate form."""

from __future__ import annotations

import re

import pytest

from planner.services.feeds import inbox as feed_inbox
from tests.mix_app.fixtures import BLOCKING, SUGGESTED


@pytest.fixture
def editor_client(client, login, acme):
    login(acme["editor"])
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def flashes(client) -> list[str]:
    with client.session_transaction() as s:
        return [message for _, message in s.get("_flashes", [])]


def test_inbox_and_feed_page_offer_curate_to_editors(editor_client, acme, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED], personas=["Owner Olivia"])
    for url in ("/feeds/inbox", f"/feeds/{item.feed_id}"):
        html = text(editor_client.get(url))
        assert f'action="/curation/items/{item.id}/curate"' in html, url
        assert f"/curation/items/{item.id}?next=" in html
        assert f'action="/feeds/items/{item.id}/dismiss"' in html  # the feeds' own button


def test_viewers_see_no_curate_buttons_and_cannot_post(client, login, acme, make_items, session):
    (item,) = make_items(acme["actor"], [SUGGESTED], personas=["Owner Olivia"])
    login(acme["viewer"])
    assert "/curation/items/" not in text(client.get("/feeds/inbox"))
    assert "/curation/items/" not in text(client.get("/dashboard"))
    assert client.post(f"/curation/items/{item.id}/curate").status_code == 403
    assert client.post(f"/curation/items/{item.id}/dismiss").status_code == 403
    assert client.get(f"/curation/items/{item.id}").status_code == 403
    assert feed_inbox.get_item(session, acme["actor"], item.id).state == "new"


def test_curate_button_schedules_and_says_where(editor_client, acme, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED], channel="LinkedIn", personas=["Owner Olivia"])
    response = editor_client.post(
        f"/curation/items/{item.id}/curate", data={"next": "/feeds/inbox"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/feeds/inbox"
    message = flashes(editor_client)[-1]
    assert re.fullmatch(
        r"Curated “Help desk habits”: scheduled for \w{3} \d+ \w{3} \d{4}, \d\d:\d\d "
        r"\(Europe/London\) on LinkedIn\.",
        message,
    ), message
    inbox = text(editor_client.get("/feeds/inbox"))
    assert "scheduled for" in inbox  # the flash shows on the page returned to
    assert f'id="item-{item.id}"' not in inbox  # curated items leave the inbox


def test_curating_twice_or_a_blocked_item_is_explained(editor_client, acme, make_items):
    good, bad = make_items(acme["actor"], [SUGGESTED, BLOCKING], personas=["Owner Olivia"])
    editor_client.post(f"/curation/items/{good.id}/curate")
    again = editor_client.post(
        f"/curation/items/{good.id}/curate", data={"next": "//evil.example/"}
    )
    assert again.status_code == 302 and again.headers["Location"] == "/dashboard"
    assert "already curated" in flashes(editor_client)[-1]
    editor_client.post(f"/curation/items/{bad.id}/curate")
    assert "its audit blocks it" in flashes(editor_client)[-1]


def test_the_form_prefills_defaults_and_shows_errors_next_to_fields(
    editor_client, acme, make_items, session
):
    (item,) = make_items(acme["actor"], [SUGGESTED], channel="Blog", personas=["Owner Olivia"])
    page = editor_client.get(f"/curation/items/{item.id}?next=/feeds/inbox")
    html = text(page)
    assert page.status_code == 200
    assert "<title>Curate Help desk habits · Persona Planner</title>" in html
    assert '<label for="channel">Channel' in html
    assert re.search(r'<option value="Blog"\s+selected>', html)
    olivia = acme["olivia"].id
    assert re.search(rf'value="{olivia}"\s+checked>', html)
    assert "the next good slot is" in html

    bad = editor_client.post(
        f"/curation/items/{item.id}/curate",
        data={
            "choose": "1",
            "channel": "Myspace",
            "target_personas": [str(olivia)],
            "next": "/feeds/inbox",
        },
    )
    assert bad.status_code == 422
    html = text(bad)
    assert re.search(r'<small class="field-error" id="channel-error">[^<]*Myspace', html)
    assert 'aria-invalid="true"' in html

    chosen = editor_client.post(
        f"/curation/items/{item.id}/curate",
        data={"choose": "1", "channel": "LinkedIn", "next": "/feeds/inbox"},
    )
    assert chosen.status_code == 302
    assert feed_inbox.get_item(session, acme["actor"], item.id).state == "curated"
    assert "on LinkedIn" in flashes(editor_client)[-1]


def test_dismiss_button_hides_the_item(editor_client, acme, make_items, session):
    (item,) = make_items(acme["actor"], [SUGGESTED], personas=["Owner Olivia"])
    assert f'id="suggested-{item.id}"' in text(editor_client.get("/dashboard"))
    response = editor_client.post(f"/curation/items/{item.id}/dismiss", data={"next": "/dashboard"})
    assert response.status_code == 302
    assert feed_inbox.get_item(session, acme["actor"], item.id).state == "dismissed"
    assert f'id="suggested-{item.id}"' not in text(editor_client.get("/dashboard"))


def test_buttons_need_the_csrf_token(csrf_app, client, login, acme, make_items):
    (item,) = make_items(acme["actor"], [SUGGESTED])
    csrf_app.config["WTF_CSRF_ENABLED"] = False
    login(acme["editor"])
    csrf_app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/curation/items/{item.id}/curate")
    assert response.status_code == 400
    assert "form expired" in text(response)


def test_other_workspaces_items_are_404(editor_client, globex, make_items):
    (theirs,) = make_items(globex["actor"], [SUGGESTED])
    assert editor_client.post(f"/curation/items/{theirs.id}/curate").status_code == 404
    assert editor_client.get(f"/curation/items/{theirs.id}").status_code == 404
