"""In Chromium: a comment added in the editor shows in the calendar's piece dialog, and a
new API token is copied with its button."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import sign_in_browser

pytestmark = pytest.mark.browser


def test_comment_from_the_editor_shows_in_the_calendar_dialog(page, acme, make_piece, api):
    when = (datetime.now(UTC) + timedelta(days=2)).replace(hour=3, minute=0, second=0)
    piece = make_piece(title="Launch post", status="scheduled", scheduled_at=when)
    api("PATCH", f"/pieces/{piece.id}", json={"assignee": "vi@example.com"})
    sign_in_browser(page, "ed@example.com")
    page.goto(f"/pieces/{piece.id}")
    page.get_by_label("Add a comment").fill("Ask legal about the price line")
    page.get_by_role("button", name="Add comment").click()
    page.wait_for_selector("text=Comment added.")
    comments = page.locator("#comments")
    assert "Ask legal about the price line" in comments.inner_text()
    assert "ed@example.com" in comments.inner_text()

    tokyo_day = (when + timedelta(hours=9)).date()  # the workspace's zone, UTC+9
    page.goto(f"/calendar/week?date={tokyo_day.isoformat()}")
    event = page.locator(".fc-event", has_text="Launch post")
    event.click()
    dialog = page.get_by_role("dialog")
    dialog.locator(".cal-conversation").wait_for()
    text = dialog.locator(".cal-conversation").inner_text()
    assert "Ask legal about the price line" in text and "ed@example.com" in text
    assert "Assignee: vi@example.com" in text


@pytest.mark.once  # the clipboard is the browser's, whatever the database
def test_copy_button_puts_the_new_token_on_the_clipboard(page, acme):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in_browser(page, "owner@example.com")
    page.goto("/settings/tokens")
    page.get_by_label("Token name").fill("CI")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text()
    page.bring_to_front()  # Chromium writes the clipboard only from the focused page
    page.get_by_role("button", name="Copy token").click()
    page.wait_for_selector("text=Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == secret
