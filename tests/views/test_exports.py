"""CSV downloads of the drafts list and of a calendar range, as a spreadsheet reads them."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from tests.views.helpers import csv_rows


def _monday_ahead(weeks: int = 3):
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def _at(day, hhmm: str) -> str:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=UTC).isoformat()


def test_drafts_csv_keeps_text_intact_and_defuses_formulas(client, login, shop, make_piece):
    make_piece(title='Café, "quoted" — ünïcode ✓')
    make_piece(title='=HYPERLINK("http://evil.example","click")')
    make_piece(title="-2+3 price cut", status="idea")
    login(shop["editor"])
    page = client.get("/pieces/?sort=title").get_data(as_text=True)
    assert 'href="/pieces/export.csv?sort=title"' in page

    header, *rows = csv_rows(client.get("/pieces/export.csv?sort=title"))
    assert header[:4] == ["id", "title", "verdict", "status"]
    titles = [row[1] for row in rows]
    assert titles == [
        "'-2+3 price cut",
        '\'=HYPERLINK("http://evil.example","click")',
        'Café, "quoted" — ünïcode ✓',
    ]
    assert all(len(row) == len(header) for row in rows)

    ideas = csv_rows(client.get("/pieces/export.csv?status=idea"))
    assert [row[1] for row in ideas[1:]] == ["'-2+3 price cut"]
    assert client.get("/pieces/export.csv?status=lost").status_code == 422


def test_calendar_csv_exports_the_range_with_findings(client, login, shop, make_piece):
    monday = _monday_ahead()
    olivia = ["Owner Olivia"]
    make_piece(title="In window", scheduled_at=_at(monday, "13:30"), target_personas=olivia)
    make_piece(
        title="Late, on Tuesday",
        scheduled_at=_at(monday + timedelta(days=1), "20:00"),
        target_personas=olivia,
    )
    make_piece(title="Next month", scheduled_at=_at(monday + timedelta(days=40), "13:30"))
    login(shop["editor"])
    last = monday + timedelta(days=6)
    query = f"from={monday.isoformat()}&to={last.isoformat()}"

    agenda = client.get(f"/calendar/agenda?{query}").get_data(as_text=True)
    assert f'href="/calendar/export.csv?{query}"' in agenda.replace("&amp;", "&")

    response = client.get(f"/calendar/export.csv?{query}")
    header, *rows = csv_rows(response)
    assert (
        f"calendar-{monday.isoformat()}-to-{last.isoformat()}.csv"
        in (response.headers["Content-Disposition"])
    )
    assert [row[2] for row in rows] == ["In window", "Late, on Tuesday"]
    assert rows[0][0] == f"{monday.isoformat()} 13:30"
    late = rows[1][header.index("findings")]
    assert "outside Owner Olivia's windows" in late and "move it to" in late
    assert client.get("/calendar/export.csv?from=2026-02-30").status_code == 422


def test_month_and_week_pages_link_the_export_of_their_range(client, login, shop):
    login(shop["editor"])
    month = client.get("/calendar/").get_data(as_text=True)
    week = client.get("/calendar/week").get_data(as_text=True)
    for page in (month, week):
        assert 'id="calendar-export"' in page and "/calendar/export.csv?from=" in page
