"""The agenda shows one week a page, from Monday, and pages on by weeks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta


def test_agenda_pages_by_week(client, login, shop, make_piece):
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    for weeks, title in ((0, "Post one"), (1, "Post two"), (2, "Post three")):
        day = monday + timedelta(weeks=weeks, days=2)
        make_piece(title=title, scheduled_at=datetime.combine(day, time(12), UTC).isoformat())
    login(shop["editor"])

    html = client.get("/calendar/agenda").get_data(as_text=True)
    assert "Post one" in html and "Post two" not in html

    # A long range still shows a week; "Later" goes on from where the page ends.
    wide = f"from={monday.isoformat()}&to={(monday + timedelta(days=27)).isoformat()}"
    html = client.get(f"/calendar/agenda?{wide}").get_data(as_text=True)
    assert "Post one" in html and "Post two" not in html
    nxt = monday + timedelta(days=7)
    later = f"from={nxt.isoformat()}&amp;to={(nxt + timedelta(days=6)).isoformat()}"
    assert (
        f'href="/calendar/agenda?{later}" role="button" class="secondary outline small" rel="next"'
        in html
    )
    html = client.get(f"/calendar/agenda?{later.replace('&amp;', '&')}").get_data(as_text=True)
    assert "Post two" in html and "Post one" not in html
    assert "Post three" not in html
