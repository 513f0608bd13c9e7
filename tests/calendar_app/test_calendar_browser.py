"""An editor moves a piece out of its persona's window, sees the warning, applies the fix."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planner.services.pieces import service as piece_service
from tests.calendar_app.helpers import london
from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser


def test_reschedule_from_the_agenda_then_apply_the_suggestion(page, acme, monday, make_piece):
    piece = make_piece(london(monday, "07:30"), title="Launch post")
    sign_in_browser(page, "ed@example.com")
    page.get_by_role("link", name="Calendar").first.click()
    page.get_by_role("link", name="Agenda list").click()
    page.get_by_label("From").fill(monday.isoformat())
    page.get_by_label("To", exact=True).fill((monday + timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Apply filters").click()

    row = page.locator(f"#piece-{piece.id}")
    assert "No findings" in row.inner_text()
    row.get_by_label("New time for Launch post").fill(f"{monday.isoformat()}T14:00")
    row.get_by_role("button", name="Reschedule Launch post").click()

    page.wait_for_selector("text=Moved 'Launch post'")
    row = page.locator(f"#piece-{piece.id}")
    assert "14:00" in row.locator("header time").inner_text()
    warning = row.locator("[data-rule=posting_window]")
    assert "outside Owner Olivia's windows" in warning.inner_text()
    assert "Suggested: Tue" in warning.inner_text() and "07:00" in warning.inner_text()

    panel = page.locator("aside.cal-findings-panel")
    panel.locator("[data-rule=posting_window]").get_by_role(
        "button", name="Apply suggested slot"
    ).click()
    page.wait_for_selector("text=Moved 'Launch post'")
    row = page.locator(f"#piece-{piece.id}")
    assert "07:00" in row.locator("header time").inner_text()
    assert row.locator("[data-rule=posting_window]").count() == 0
    assert page.locator("aside [data-rule=posting_window]").count() == 0
    day = (monday + timedelta(days=1)).day
    assert f"Tuesday {day} " in row.locator("xpath=..").locator("h2").inner_text()


def test_week_grid_dialog_moves_a_piece_and_the_panel_follows(page, acme, monday, make_piece):
    piece = make_piece(london(monday, "08:00", 2), title="Grid post")
    sign_in_browser(page, "ed@example.com")
    page.goto(f"/calendar/week?persona={acme['olivia'].id}&date={monday.isoformat()}")
    event = page.locator(".fc-event", has_text="Grid post")
    event.wait_for()
    assert page.locator(".fc-bg-event").count() == 5  # Olivia's windows, Mon-Fri
    assert page.locator("#cal-findings-panel [data-rule=posting_window]").count() == 0

    event.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("New time for Grid post").fill(f"{monday.isoformat()}T18:00")
    dialog.get_by_role("button", name="Reschedule Grid post").click()
    page.wait_for_selector("#calendar-status:has-text('Moved')")
    warning = page.locator("#cal-findings-panel [data-rule=posting_window]")
    warning.wait_for()
    assert "outside Owner Olivia's windows" in warning.inner_text()
    dialog.locator("h2:has-text('18:00')").wait_for()
    dialog.get_by_role("button", name="Close").click()

    warning.get_by_role("button", name="Apply suggested slot").click()
    page.wait_for_selector("#cal-findings-panel:not(:has([data-rule=posting_window]))")
    moved = page.locator(".fc-event", has_text="Grid post")
    moved.click()
    dialog = page.get_by_role("dialog")
    heading = dialog.locator("h2").inner_text()
    assert heading.startswith("Tue ") and "07:00" in heading
    assert dialog.locator(f"#piece-{piece.id} [data-rule]").count() == 0


def test_drag_a_piece_to_another_day_and_time(page, session, acme, monday, make_piece):
    piece = make_piece(london(monday, "07:30", 1), title="Drag me")
    sign_in_browser(page, "ed@example.com")
    page.goto(f"/calendar/week?date={monday.isoformat()}")
    event = page.locator(".fc-event", has_text="Drag me")
    event.wait_for()
    box = event.bounding_box()
    thursday = (monday + timedelta(days=3)).isoformat()
    column = page.locator(f"td.fc-timegrid-col[data-date='{thursday}']").bounding_box()
    lane = page.locator("td.fc-timegrid-slot-lane[data-time='08:00:00']").bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 30, box["y"] + 30, steps=5)
    page.mouse.move(column["x"] + 20, lane["y"] + 5, steps=15)
    page.mouse.up()
    page.wait_for_selector("#calendar-status:has-text('Moved')")
    assert "Thu" in page.locator("#calendar-status").inner_text()
    session.expire_all()
    moved = piece_service.get_piece(session, acme["actor"], piece.id)
    assert moved.scheduled_at == london(monday, "08:00", 3)
