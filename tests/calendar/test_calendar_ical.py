"""The iCalendar feed parses back with icalendar and keeps UIDs stable."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from planner.services.calendar import build_calendar

STAMP = datetime(2026, 3, 1, 9, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def pieces(make_piece):
    return [
        make_piece(
            id=7,
            title="Five hosted tools, no install; really",
            channel="linkedin",
            content_type="video",
            origin="curated",
            persona_ids=(1, 2),
            scheduled_at=datetime(2026, 3, 3, 8, tzinfo=ZoneInfo("America/New_York")),
            status="scheduled",
            verdict="warn",
        ),
        make_piece(id=3, title="Café notes", scheduled_at=utc(2026, 3, 2, 9), status="draft"),
        make_piece(id=9, title="Someday"),
    ]


def build(pieces, **kwargs):
    options = {
        "workspace_name": "Acme content",
        "uid_domain": "planner.example",
        "url_for_piece": lambda p: f"https://planner.example/pieces/{p.id}",
        "persona_names": {1: "Sam Startup", 2: "Priya"},
        "stamp": STAMP,
    }
    return build_calendar(pieces, **{**options, **kwargs})


def events(data: bytes) -> dict[str, object]:
    return {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_one_event_per_scheduled_piece(pieces):
    data = build(pieces)
    calendar = Calendar.from_ical(data)
    assert str(calendar["x-wr-calname"]) == "Acme content"
    assert str(calendar["version"]) == "2.0"
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [
        "piece-3@planner.example",  # ordered by time
        "piece-7@planner.example",
    ]


def test_event_fields_round_trip(pieces):
    data = build(pieces)
    event = events(data)["piece-7@planner.example"]
    assert event.decoded("dtstart") == utc(2026, 3, 3, 13)
    assert b"DTSTART:20260303T130000Z" in data  # UTC, not a floating or zoned time
    assert event.decoded("dtstamp") == STAMP
    assert event.decoded("duration") == timedelta(minutes=30)
    assert str(event["summary"]) == "Five hosted tools, no install; really (linkedin)"
    assert str(event["description"]) == (
        "Content type: video (curated)\n"
        "Personas: Sam Startup, Priya\n"
        "Status: scheduled\n"
        "Audit verdict: warn"
    )
    assert [str(c) for c in event["categories"].cats] == ["video", "curated", "linkedin"]
    assert str(event["url"]) == "https://planner.example/pieces/7"
    assert str(event["status"]) == "CONFIRMED"
    draft = events(data)["piece-3@planner.example"]
    assert str(draft["summary"]) == "Café notes"
    assert str(draft["status"]) == "TENTATIVE"
    assert "Audit verdict: not audited" in str(draft["description"])


def test_a_moved_piece_keeps_its_uid(pieces):
    before = events(build(pieces))
    moved = [replace(pieces[0], scheduled_at=utc(2026, 3, 10, 12)), *pieces[1:]]
    after = events(build(moved))
    assert before.keys() == after.keys()
    assert after["piece-7@planner.example"].decoded("dtstart") == utc(2026, 3, 10, 12)
    assert after["piece-3@planner.example"].decoded("dtstart") == utc(2026, 3, 2, 9)


def test_output_is_reproducible_and_folded(pieces):
    data = build(pieces, duration_minutes=45)
    assert data == build(pieces, duration_minutes=45)
    assert b"DURATION:PT45M" in data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # RFC 5545 line length


def test_without_urls_or_persona_names(pieces):
    data = build(pieces, url_for_piece=None, persona_names=None)
    event = events(data)["piece-7@planner.example"]
    assert "url" not in event
    assert "Personas: #1, #2" in str(event["description"])


def test_empty_calendar_is_still_valid():
    calendar = Calendar.from_ical(build([]))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["prodid"]).startswith("-//Persona Planner//")
