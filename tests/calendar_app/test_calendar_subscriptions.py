"""iCalendar subscriptions: secret links, RFC 5545 output, stable UIDs, filters, revocation."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from planner.services.calendar import service as calendar_service
from planner.services.personas import service as persona_service
from tests.calendar_app.helpers import london


@pytest.fixture
def owner_client(client, login, acme):
    login(acme["owner"])
    return client


def create_link(client, **fields) -> str:
    response = client.post("/calendar/subscriptions", data={"name": "Team", **fields})
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    url = re.search(r'<code id="new-feed-url">([^<]+)</code>', html).group(1)
    assert url.startswith("http://localhost/calendar/ical/") and url.endswith(".ics")
    return url.removeprefix("http://localhost")


def fetch(app, path: str) -> Calendar:
    """Fetch as a calendar app would: no session cookie."""
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_feed_parses_and_moved_piece_keeps_its_uid(
    owner_client, app, session, acme, monday, make_piece
):
    first = make_piece(london(monday, "07:30"), title="First")
    second = make_piece(london(monday, "08:00", 1), title="Second", target_personas=[])
    path = create_link(owner_client)
    calendar = fetch(app, path)
    assert str(calendar["version"]) == "2.0"
    found = events(calendar)
    uid = f"piece-{first.id}@localhost"
    assert set(found) == {uid, f"piece-{second.id}@localhost"}
    assert found[uid].decoded("dtstart") == london(monday, "07:30")
    assert str(found[uid]["summary"]) == "First (blog)"
    assert "Owner Olivia" in str(found[uid]["description"])

    calendar_service.reschedule(session, acme["actor"], first.id, london(monday, "08:30", 2))
    session.commit()
    moved = events(fetch(app, path))
    assert set(moved) == set(found)
    assert moved[uid].decoded("dtstart") == london(monday, "08:30", 2)


def test_persona_and_channel_filters(owner_client, app, session, acme, monday, make_piece):
    mine = make_piece(london(monday, "07:30"), title="Olivia's")
    nobody = make_piece(london(monday, "08:00", 1), title="Nobody's", target_personas=[])
    off_blog = make_piece(london(monday, "08:00", 2), title="No channel", channel=None)
    by_persona = create_link(owner_client, persona=acme["olivia"].id)
    by_channel = create_link(owner_client, channel=acme["blog"].id)
    assert set(events(fetch(app, by_persona))) == {
        f"piece-{mine.id}@localhost",
        f"piece-{off_blog.id}@localhost",
    }
    assert set(events(fetch(app, by_channel))) == {
        f"piece-{mine.id}@localhost",
        f"piece-{nobody.id}@localhost",
    }


def test_revoked_and_unknown_links_are_404(owner_client, app, session, acme):
    path = create_link(owner_client)
    assert app.test_client().get(path).status_code == 200
    page = owner_client.get("/calendar/subscriptions").get_data(as_text=True)
    feed_id = re.search(r"/calendar/subscriptions/(\d+)/revoke", page).group(1)
    assert owner_client.post(f"/calendar/subscriptions/{feed_id}/revoke").status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get("/calendar/ical/not-a-secret.ics").status_code == 404
    page = owner_client.get("/calendar/subscriptions").get_data(as_text=True)
    assert "revoked" in page and path.split("/")[-1] not in page  # the secret is never shown again


def test_only_owners_manage_links(client, login, acme):
    login(acme["editor"])
    assert client.get("/calendar/subscriptions").status_code == 403
    assert client.post("/calendar/subscriptions", data={"name": "x"}).status_code == 403
    assert 'href="/calendar/subscriptions"' not in client.get("/calendar/").get_data(as_text=True)


def test_bad_input_is_shown_next_to_the_field(owner_client, globex):
    response = owner_client.post(
        "/calendar/subscriptions", data={"name": " ", "channel": "abc", "persona": "999999"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and 'id="channel-error"' in html
    assert 'id="persona-error"' in html and "new-feed-url" not in html


def test_a_persona_a_live_link_filters_on_is_archived(owner_client, session, acme):
    create_link(owner_client, persona=acme["pete"].id)
    outcome = persona_service.remove_persona(session, acme["owner_actor"], acme["pete"])
    assert outcome == "archived"
