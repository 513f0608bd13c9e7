"""An editor imports results through the mapping and preview, reads the heat map, applies a
suggested window and finds it on the calendar's week view (issue 14)."""

from __future__ import annotations

import pytest

from planner.models import Piece
from tests.best_times.history import planted_history
from tests.helpers import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.once]


def test_import_heat_map_apply_and_week_view(page, session, acme, buyer):
    results = planted_history(buyer.timezone)
    pieces = [
        Piece(
            workspace_id=buyer.workspace_id,
            title=f"Post {n}",
            status="published",
            scheduled_at=r.published_at,
            target_personas=[buyer],
        )
        for n, r in enumerate(results)
    ]
    session.add_all(pieces)
    session.commit()
    # An export with its own header names: mapped once, with the piece id chosen by hand.
    lines = ["Date,Network,Post,Views,Likes"] + [
        f"{r.published_at.isoformat()},LinkedIn,{piece.id},{r.impressions},{r.engagements}"
        for r, piece in zip(results, pieces, strict=True)
    ]
    csv = ("\n".join(lines) + "\n").encode()
    sign_in_browser(page, "ed@example.com")

    page.goto("/engagement/import")
    page.locator("#engagement-source").fill("Scheduler export")
    page.locator("#engagement-file").set_input_files(
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name="Preview", exact=True).click()
    page.locator("#preview-heading").wait_for()
    page.locator("#map-published_at").select_option("Date")
    page.locator("#map-piece_id").select_option("Post")
    page.locator("#map-impressions").select_option("Views")
    page.locator("#map-engagements").select_option("Likes")
    page.get_by_role("button", name="Update the preview").click()
    assert page.locator("table.engagement-preview").get_by_text("Post 0").count() == 1
    page.get_by_role("button", name="Import 300 rows").click()
    assert "300 matched a piece" in page.locator("#result-heading + p").inner_text()

    page.goto(f"/personas/{buyer.id}")
    heat_map = page.locator("#best-times svg.heat-map-svg")  # loaded into the page by htmx
    heat_map.wait_for()
    assert heat_map.locator("rect.heat-cell").count() == 168
    assert heat_map.locator("rect.heat-current").count() == 5  # Mon-Fri 08:00-09:00
    page.get_by_role("link", name="Apply Tue 09:00–11:00").click()

    after = page.locator("#windows-after").inner_text()
    assert "Mon Tue Wed Thu Fri 08:00–09:00" in after and "Tue 09:00–11:00" in after
    page.get_by_role("button", name="Save windows").click()
    page.get_by_text("Saved Buyer Bea's posting windows.").wait_for()

    page.goto(f"/calendar/week?persona={buyer.id}")
    note = page.locator(".cal-windows-note").inner_text()
    assert "Tue 09:00–11:00" in note
    page.locator("#calendar .fc-view-harness").wait_for()
    monday = page.locator("#calendar .fc-timegrid-col.fc-day-mon .fc-bg-event").first
    tuesday = page.locator("#calendar .fc-timegrid-col.fc-day-tue .fc-bg-event").first
    monday.wait_for()
    # Shaded: Monday 08:00-09:00 and Tuesday 08:00-11:00 (the old window and the new one).
    assert tuesday.bounding_box()["height"] > 2.5 * monday.bounding_box()["height"]
