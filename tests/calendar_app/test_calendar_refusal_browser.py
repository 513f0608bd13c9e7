"""A move the server refuses (the piece was published meanwhile) is said, and undone."""

from __future__ import annotations

import pytest

from planner.services.pieces import service as piece_service
from tests.calendar_app.helpers import future_monday, london
from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser


@pytest.fixture
def last_week(acme, make_piece):
    """Two pieces planned last week, still marked scheduled when the page loads."""
    monday = future_monday(-1)
    pieces = {
        "dialog": make_piece(london(monday, "07:30", 1), title="Went out Tuesday"),
        "drag": make_piece(london(monday, "07:30", 2), title="Went out Wednesday"),
    }
    return monday, pieces


def publish(session, acme, piece) -> None:
    piece_service.update_piece(session, acme["actor"], piece, {"status": "published"})
    session.commit()


def test_the_dialog_says_why_a_published_piece_did_not_move(page, session, acme, last_week):
    monday, pieces = last_week
    piece = pieces["dialog"]
    sign_in_browser(page, "ed@example.com")
    page.goto(f"/calendar/week?date={monday.isoformat()}")
    event = page.locator(".fc-event", has_text="Went out Tuesday")
    event.wait_for()
    event.click()
    dialog = page.get_by_role("dialog")
    field = dialog.get_by_label("New time for Went out Tuesday")
    field.wait_for()  # the dialog's form is fetched on click; publishing first would win the race
    publish(session, acme, piece)  # someone else, meanwhile

    field.fill(f"{monday.isoformat()}T08:00")
    dialog.get_by_role("button", name="Reschedule Went out Tuesday").click()
    page.wait_for_selector("#calendar-status.calendar-status-error")
    assert "is published" in page.locator("#calendar-status").inner_text()
    assert "is published" in dialog.locator(".cal-reschedule-form .field-error").inner_text()
    session.expire_all()
    assert piece_service.get_piece(session, acme["actor"], piece.id).scheduled_at == london(
        monday, "07:30", 1
    )
    dialog.get_by_role("button", name="Close").click()
    page.locator(".fc-event", has_text="Went out Tuesday").click()
    dialog = page.get_by_role("dialog")
    dialog.locator("text=Published: its time is history.").wait_for()
    assert dialog.get_by_label("New time for Went out Tuesday").count() == 0


def test_a_refused_drag_puts_the_event_back(page, session, acme, last_week):
    monday, pieces = last_week
    sign_in_browser(page, "ed@example.com")
    page.goto(f"/calendar/week?date={monday.isoformat()}")
    event = page.locator(".fc-event", has_text="Went out Wednesday")
    event.wait_for()
    assert "fc-event-draggable" in event.get_attribute("class")
    slot = page.locator("td.fc-timegrid-slot-lane[data-time='07:30:00']")
    before = event.bounding_box()
    offset = before["y"] - slot.bounding_box()["y"]  # the status line may push the grid down
    publish(session, acme, pieces["drag"])

    friday = monday.fromordinal(monday.toordinal() + 4).isoformat()
    column = page.locator(f"td.fc-timegrid-col[data-date='{friday}']").bounding_box()
    lane = page.locator("td.fc-timegrid-slot-lane[data-time='08:00:00']").bounding_box()
    page.mouse.move(before["x"] + 10, before["y"] + 5)
    page.mouse.down()
    page.mouse.move(before["x"] + 30, before["y"] + 30, steps=5)
    page.mouse.move(column["x"] + 20, lane["y"] + 5, steps=15)
    page.mouse.up()
    page.wait_for_selector("#calendar-status.calendar-status-error")
    assert "is published" in page.locator("#calendar-status").inner_text()
    # Redrawn from the server as it now is: published, so no longer offered for dragging.
    redrawn = page.locator(".fc-event:not(.fc-event-draggable)", has_text="Went out Wednesday")
    redrawn.wait_for()
    after = redrawn.bounding_box()
    assert abs(after["x"] - before["x"]) < 2
    assert abs(after["y"] - slot.bounding_box()["y"] - offset) < 2
    session.expire_all()
    kept = piece_service.get_piece(session, acme["actor"], pieces["drag"].id)
    assert kept.scheduled_at == london(monday, "07:30", 2)
