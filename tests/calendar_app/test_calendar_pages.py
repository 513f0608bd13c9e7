"""Calendar pages: grid, agenda, events feed, findings panel, and moving pieces."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from planner.services.pieces import service as piece_service
from tests.calendar_app.helpers import future_monday, london


def agenda_url(monday, **filters) -> str:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    last = (monday + timedelta(days=6)).isoformat()
    return f"/calendar/agenda?from={monday.isoformat()}&to={last}" + (f"&{query}" if query else "")


def test_grid_pages_render(client, login, acme):
    login(acme["editor"])
    for path, view in (("/calendar/", "dayGridMonth"), ("/calendar/week", "timeGridWeek")):
        html = client.get(path).get_data(as_text=True)
        assert "<title>" in html and "<h1>Editorial calendar</h1>" in html
        assert f'data-initial-view="{view}"' in html and 'data-editable="true"' in html
        assert 'data-timezone="Europe/London"' in html
        assert "vendor/fullcalendar.min.js" in html and "cdn" not in html.lower()
        assert 'href="/calendar/agenda"' in html  # the no-JavaScript fallback


def test_agenda_shows_pieces_findings_and_forms(client, login, acme, monday, make_piece):
    make_piece(london(monday, "07:30"), title="On time")
    late = make_piece(london(monday, "14:00", 1), title="Late post")
    login(acme["editor"])
    html = client.get(agenda_url(monday)).get_data(as_text=True)
    assert "On time" in html and "Late post" in html
    row = html[html.index(f'id="piece-{late.id}"') :]
    row = row[: row.index("</article>")]
    assert "Posting window" in row and "outside Owner Olivia" in row
    assert f'id="reschedule-{late.id}"' in row and 'type="datetime-local"' in row
    assert f'value="{(monday + timedelta(days=1)).isoformat()}T14:00"' in row
    assert "Apply suggested slot" in row
    assert f'<label for="reschedule-{late.id}">' in row


def test_viewer_reads_but_cannot_move(client, login, session, acme, monday, make_piece):
    piece = make_piece(london(monday, "14:00"))
    login(acme["viewer"])
    html = client.get(agenda_url(monday)).get_data(as_text=True)
    assert "Posting window" in html and 'name="scheduled_at"' not in html
    response = client.post(
        f"/calendar/pieces/{piece.id}/reschedule",
        json={"scheduled_at": "2030-01-07T08:00"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    response = client.post(
        f"/calendar/pieces/{piece.id}/reschedule", data={"scheduled_at": "2030-01-07T08:00"}
    )
    assert response.status_code == 403
    assert client.post(f"/calendar/pieces/{piece.id}/apply-suggested").status_code == 403
    session.expire_all()
    moved = piece_service.get_piece(session, acme["actor"], piece.id)
    assert moved.scheduled_at == london(monday, "14:00")


def test_events_feed_uses_wall_clock_and_shows_windows(client, login, acme, monday, make_piece):
    late = make_piece(london(monday, "14:00"), title="Late post")
    login(acme["editor"])
    start, end = (
        f"{monday.isoformat()}T00:00:00",
        f"{(monday + timedelta(days=7)).isoformat()}T00:00:00",
    )
    events = client.get(f"/calendar/events.json?start={start}&end={end}").get_json()
    assert len(events) == 1
    event = events[0]
    assert event["id"] == str(late.id) and event["start"] == f"{monday.isoformat()}T14:00:00"
    assert event["extendedProps"]["findings"][0]["rule"] == "posting_window"
    assert event["extendedProps"]["findings"][0]["suggested_wall"] == (
        f"{(monday + timedelta(days=1)).isoformat()}T07:00:00"
    )
    olivia = acme["olivia"].id
    month_end = f"{(monday + timedelta(days=35)).isoformat()}T00:00:00"
    month = client.get(f"/calendar/events.json?start={start}&end={month_end}&persona={olivia}")
    assert [e for e in month.get_json() if e.get("display") == "background"] == []
    events = client.get(
        f"/calendar/events.json?start={start}&end={end}&persona={olivia}"
    ).get_json()
    windows = [e for e in events if e.get("display") == "background"]
    assert [(w["start"][-8:], w["end"][-8:]) for w in windows] == [("07:00:00", "09:00:00")] * 5
    assert (
        client.get(
            f"/calendar/events.json?start={start}&end={end}&persona={olivia + 99}"
        ).status_code
        == 200
    )


def test_filters_narrow_pieces_not_the_rules(client, login, acme, monday, make_piece):
    nobody = make_piece(london(monday, "07:30"), title="Nobody's", target_personas=[])
    olivia = make_piece(london(monday, "08:00"), title="Olivia's")
    login(acme["editor"])
    html = client.get(agenda_url(monday, persona=acme["olivia"].id)).get_data(as_text=True)
    assert f'id="piece-{olivia.id}"' in html and f'id="piece-{nobody.id}"' not in html
    # The clash is found though the filter hides the earlier post.
    assert "Channel clash" in html
    html = client.get(agenda_url(monday, status="draft")).get_data(as_text=True)
    assert "No scheduled pieces in this range match these filters" in html
    response = client.get(agenda_url(monday, type="hologram"))
    assert response.status_code == 400
    assert "is not one of the choices" in response.get_data(as_text=True)


@pytest.fixture
def editor_client(client, login, acme):
    login(acme["editor"])
    return client


def test_reschedule_by_json_with_csrf_header(editor_client, csrf_app, monday, make_piece):
    client = editor_client
    piece = make_piece(london(monday, "14:00"))
    page = client.get(agenda_url(monday)).get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    url = f"/calendar/pieces/{piece.id}/reschedule"
    wall = f"{(monday + timedelta(days=1)).isoformat()}T08:00:00"
    assert client.post(url, json={"scheduled_at": wall}).status_code == 400  # no CSRF header
    response = client.post(url, json={"scheduled_at": wall}, headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["piece"]["wall"] == wall and body["message"].startswith("Moved")
    start, end = (
        f"{monday.isoformat()}T00:00:00",
        f"{(monday + timedelta(days=7)).isoformat()}T00:00:00",
    )
    panel = client.get(f"/calendar/findings?start={start}&end={end}").get_data(as_text=True)
    assert "Posting window" not in panel


def test_bad_time_is_shown_next_to_the_field(client, login, acme, monday, make_piece):
    piece = make_piece(london(monday, "14:00"))
    login(acme["editor"])
    url = f"/calendar/pieces/{piece.id}/reschedule?from={monday.isoformat()}"
    response = client.post(url, data={"scheduled_at": "next tuesday"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'id="reschedule-{piece.id}-error"[^>]*>([^<]+)<', html)
    assert error and "not a date and time" in error.group(1)
    assert 'aria-invalid="true"' in html
    response = client.post(url, json={"scheduled_at": ""}, headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {"scheduled_at": "is required"}


def test_form_reschedule_and_apply_suggested_slot(client, login, session, acme, monday, make_piece):
    piece = make_piece(london(monday, "08:00"))
    login(acme["editor"])
    target = f"{monday.isoformat()}T14:00"
    response = client.post(
        f"/calendar/pieces/{piece.id}/reschedule?from={monday.isoformat()}",
        data={"scheduled_at": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"from={monday.isoformat()}#piece-{piece.id}")
    session.expire_all()
    assert piece_service.get_piece(session, acme["actor"], piece.id).scheduled_at == london(
        monday, "14:00"
    )
    response = client.post(f"/calendar/pieces/{piece.id}/apply-suggested")
    assert response.status_code == 302
    session.expire_all()
    assert piece_service.get_piece(session, acme["actor"], piece.id).scheduled_at == london(
        monday, "07:00", 1
    )


def test_other_workspaces_pieces_cannot_be_moved(client, login, acme, globex):
    login(acme["editor"])
    url = f"/calendar/pieces/{globex['piece'].id}/reschedule"
    assert client.post(url, json={"scheduled_at": "2030-01-07T08:00"}).status_code == 404
    assert client.get(f"/calendar/pieces/{globex['piece'].id}/card").status_code == 404


def test_piece_card(client, login, acme, monday, make_piece):
    piece = make_piece(london(monday, "14:00"), title="Late post")
    login(acme["editor"])
    html = client.get(f"/calendar/pieces/{piece.id}/card").get_data(as_text=True)
    assert "Late post" in html and "Posting window" in html and "Suggested:" in html
    assert f'action="/calendar/pieces/{piece.id}/apply-suggested"' in html


def test_an_archived_piece_leaves_the_calendar(client, login, session, acme, monday, make_piece):
    piece = make_piece(london(monday, "10:00"), title="Shelved post")
    login(acme["editor"])
    assert "Shelved post" in client.get(agenda_url(monday)).get_data(as_text=True)
    piece_service.update_piece(session, acme["actor"], piece, {"status": "archived"})
    session.commit()
    assert "Shelved post" not in client.get(agenda_url(monday)).get_data(as_text=True)


def test_an_unscheduled_piece_has_a_card_too(client, login, acme, monday, make_piece):
    piece = make_piece(None, title="No time yet", status="draft")
    login(acme["editor"])
    response = client.get(f"/calendar/pieces/{piece.id}/card")
    assert response.status_code == 200
    assert "No time yet" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["start=yesterday&end=2030-01-01", "start=2030-01-01T00:00&end=2031-01-01T00:00"]
)
def test_bad_ranges_are_json_errors(client, login, acme, query):
    login(acme["editor"])
    response = client.get(f"/calendar/events.json?{query}", headers={"Accept": "application/json"})
    assert response.status_code == 422
    assert "error" in response.get_json()


def test_apply_suggested_slot_only_with_a_finding_that_has_one(
    client, login, acme, monday, make_piece
):
    fine = make_piece(london(monday, "07:30"), title="On time")
    late = make_piece(london(monday, "14:00", 1), title="Late post")
    login(acme["editor"])
    card = client.get(f"/calendar/pieces/{fine.id}/card").get_data(as_text=True)
    assert "No findings: this slot works." in card
    assert "Apply suggested slot" not in card and "/apply-suggested" not in card
    html = client.get(agenda_url(monday)).get_data(as_text=True)
    row = html[html.index(f'id="piece-{fine.id}"') :]
    row = row[: row.index("</article>")]
    assert "No findings" in row and "Apply suggested slot" not in row
    assert f'id="reschedule-{fine.id}"' in row  # it can still be moved by hand
    late_card = client.get(f"/calendar/pieces/{late.id}/card").get_data(as_text=True)
    assert "Suggested:" in late_card and "Apply suggested slot" in late_card


@pytest.fixture
def published(acme, make_piece):
    """A piece that went out last Monday at 07:30."""
    last_monday = future_monday(-1)
    piece = make_piece(london(last_monday, "07:30"), title="Went out", status="published")
    return piece, last_monday


def test_a_published_piece_offers_no_move(client, login, acme, published):
    piece, last_monday = published
    login(acme["editor"])
    for html in (
        client.get(agenda_url(last_monday)).get_data(as_text=True),
        client.get(f"/calendar/pieces/{piece.id}/card").get_data(as_text=True),
    ):
        row = html[html.index(f'id="piece-{piece.id}"') :]
        row = row[: row.index("</article>")]
        assert "Published: its time is history." in row
        assert 'name="scheduled_at"' not in row and "Apply suggested slot" not in row
        assert "Reschedule" not in row


def test_moving_a_published_piece_is_refused_with_its_message(
    client, login, session, acme, published
):
    piece, last_monday = published
    login(acme["editor"])
    url = f"/calendar/pieces/{piece.id}/reschedule?from={last_monday.isoformat()}"
    wall = f"{last_monday.isoformat()}T08:00"
    response = client.post(url, data={"scheduled_at": wall})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "is published" in html and 'class="flash flash-error"' in html
    response = client.post(
        f"/calendar/pieces/{piece.id}/reschedule",
        json={"scheduled_at": wall},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    assert "is published" in response.get_json()["error"]["message"]
    assert client.post(f"/calendar/pieces/{piece.id}/apply-suggested").status_code == 409
    session.expire_all()
    kept = piece_service.get_piece(session, acme["actor"], piece.id)
    assert kept.scheduled_at == london(last_monday, "07:30") and kept.status == "published"
