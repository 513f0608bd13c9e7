"""Importing results through the service: bad rows, idempotency, matching, saved mappings."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.errors import PermissionDenied, ValidationError
from planner.models import EngagementRow, EngagementSource
from planner.services.engagement import imports, results
from planner.services.pieces import service as piece_service

ROWS = [
    ["2026-03-03T09:05:00-05:00", "LinkedIn", "https://acme.test/a", "Post A", "1000", "10", "40"],
    ["2026-03-04 10:00", "LinkedIn", "", "Post B", "800", "8", "30"],
    ["2026-03-05 11:00", "Blog", "", "Post C", "500", "", "5"],
    ["2026-03-06 12:00", "Blog", "", "Post D", "", "", ""],
    ["2026-03-07 13:00", "Blog", "", "Post E", "300", "1", "2"],
    ["next tuesday", "Blog", "", "Post F", "300", "1", "2"],  # line 7
    ["2026-03-09 13:00", "Blog", "", "Post G", "-5", "1", "2"],  # line 8
]


def _rows(session):
    return list(session.scalars(sa.select(EngagementRow).order_by(EngagementRow.line)))


def test_a_bad_time_on_line_7_imports_the_rest_and_names_line_7(session, zoned, engagement_csv):
    result = imports.import_file(session, zoned["actor"], engagement_csv(ROWS), "Buffer")
    session.commit()
    assert [(e.line, e.message) for e in result.errors] == [
        (
            7,
            "published time 'next tuesday' is not a date and time "
            "(e.g. 2026-03-04T09:15:00+01:00 or 03/04/2026 9:15 AM)",
        ),
        (8, "impressions '-5' is negative"),
    ]
    assert (result.imported, result.unchanged, result.unmatched) == (5, 0, 5)
    stored = _rows(session)
    assert [r.line for r in stored] == [2, 3, 4, 5, 6]
    assert stored[1].published_at.isoformat() == "2026-03-04T15:00:00+00:00"  # New York 10:00
    assert (stored[3].impressions, stored[3].engagements) == (None, None)


def test_the_same_file_twice_imports_once_and_a_changed_count_updates(
    session, zoned, engagement_csv
):
    text = engagement_csv(ROWS[:3])
    imports.import_file(session, zoned["actor"], text, "Buffer")
    again = imports.import_file(session, zoned["actor"], text, "Buffer")
    session.commit()
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    assert session.scalar(sa.select(sa.func.count()).select_from(EngagementRow)) == 3

    grown = [list(r) for r in ROWS[:3]]
    grown[0][4] = "1500"  # the post kept gathering impressions
    later = imports.import_file(session, zoned["actor"], engagement_csv(grown), "Buffer")
    session.commit()
    assert (later.imported, later.updated, later.unchanged) == (0, 1, 2)
    assert [r.impressions for r in _rows(session)] == [1500, 800, 500]
    # Another source holds its own rows.
    other = imports.import_file(session, zoned["actor"], text, "LinkedIn analytics")
    assert other.imported == 3


def test_rows_match_by_url_then_piece_id_then_title_and_day(
    session, zoned, make_piece, engagement_csv
):
    by_url = make_piece(
        title="Launch post",
        url="https://Acme.test/blog/launch/",
        status="published",
        scheduled_at="2026-03-01T09:00:00-05:00",
    )
    by_id = make_piece(title="Webinar recap")
    by_title = make_piece(
        title="Spring  Checklist", status="scheduled", scheduled_at="2026-03-10T23:30:00-05:00"
    )
    rows = [
        # Same address: case, trailing slash and utm_* do not matter; the title does not either.
        [
            "2026-03-01 09:00",
            "LinkedIn",
            "https://acme.test/blog/launch?utm_source=li",
            "x",
            "",
            "",
            "",
            "",
        ],
        ["2026-03-02 09:00", "LinkedIn", "", "Something else", "", "", "", str(by_id.id)],
        # 23:30 in New York on 10 March is 11 March in UTC: the day is the workspace's.
        ["2026-03-11T04:45:00Z", "Blog", "", " spring checklist ", "", "", "", ""],
        ["2026-03-12 09:00", "Blog", "", "Spring checklist", "", "", "", ""],  # another day
        ["2026-03-12 09:00", "Blog", "", "Unknown", "", "", "", "999999"],  # no such piece
    ]
    headers = [
        "published_at",
        "channel",
        "url",
        "title",
        "impressions",
        "clicks",
        "engagements",
        "piece_id",
    ]
    result = imports.import_file(session, zoned["actor"], engagement_csv(rows, headers))
    session.commit()
    assert (result.matched, result.unmatched) == (3, 2)
    assert [r.piece_id for r in _rows(session)] == [by_url.id, by_id.id, by_title.id, None, None]


def test_unmatched_rows_are_kept_listed_and_matched_once_the_piece_has_its_url(
    session, zoned, make_piece, engagement_csv
):
    piece = make_piece(title="Pricing page story")
    rows = [
        ["2026-03-03 09:00", "Blog", "https://acme.test/pricing-story", "Pricing", "10", "", "1"]
    ]
    imports.import_file(session, zoned["actor"], engagement_csv(rows), "Buffer")
    session.commit()
    listed, total = results.list_unmatched(session, zoned["viewer_actor"])
    assert total == 1 and listed[0][0].url == "https://acme.test/pricing-story"
    assert listed[0][1] == "Buffer"

    piece_service.update_piece(
        session, zoned["actor"], piece, {"url": "https://acme.test/pricing-story/"}
    )
    assert results.rematch(session, zoned["actor"]) == 1
    session.commit()
    assert results.list_unmatched(session, zoned["actor"])[1] == 0
    assert _rows(session)[0].piece_id == piece.id
    # Re-importing matches too, and counts it as a change to the row.
    again = imports.import_file(session, zoned["actor"], engagement_csv(rows), "Buffer")
    assert (again.matched, again.unchanged) == (1, 1)


def test_a_mapping_is_needed_once_then_saved_for_the_source(session, zoned, engagement_csv):
    headers = ["Date", "Network", "Post", "Views", "Likes", "Replies"]
    rows = [["03/04/2026 9:15 AM", "LinkedIn", "Hello", "1,200", "30", "4"]]
    text = engagement_csv(rows, headers)
    with pytest.raises(ValidationError, match="Map the file's columns first") as caught:
        imports.import_file(session, zoned["actor"], text, "LinkedIn export")
    assert "published_at=Date" in caught.value.details["suggested"]
    session.rollback()

    prepared = imports.prepare(session, zoned["actor"], text, "LinkedIn export")
    assert prepared.mapping is None and prepared.suggested["impressions"] == "Views"
    mapping = {**prepared.suggested, "comments": "Replies"}
    first = imports.import_file(session, zoned["actor"], text, "LinkedIn export", mapping)
    session.commit()
    assert first.imported == 1
    row = _rows(session)[0]
    assert (row.impressions, row.engagements) == (1200, 34)
    assert row.published_at.isoformat() == "2026-03-04T14:15:00+00:00"

    # The next export of this source needs no mapping: the saved one is used.
    later = engagement_csv([["03/05/2026 8:00 AM", "LinkedIn", "Next", "90", "1", "0"]], headers)
    prepared = imports.prepare(session, zoned["actor"], later, "LinkedIn export")
    assert prepared.origin == "saved"
    assert imports.import_file(session, zoned["actor"], later, "LinkedIn export").imported == 1
    saved = session.scalar(sa.select(EngagementSource.mapping))
    assert saved["comments"] == "Replies" and saved["timezone"] == "America/New_York"


def test_channels_take_the_workspace_spelling_and_duplicate_posts_are_reported(
    session, zoned, engagement_csv
):
    from planner.services import channels as channel_service

    channel_service.create_channel(
        session, zoned["actor"], {"name": "LinkedIn", "kind": "linkedin"}
    )
    rows = [ROWS[0], [*ROWS[0][:1], "linkedin", *ROWS[0][2:]]]
    rows[0] = [ROWS[0][0], "LINKEDIN", *ROWS[0][2:]]
    result = imports.import_file(session, zoned["actor"], engagement_csv(rows))
    assert [r.channel for r in _rows(session)] == ["LinkedIn"]
    assert [(e.line, e.message) for e in result.errors] == [(3, "the same post as line 2; skipped")]


def test_viewers_cannot_import_and_workspaces_do_not_see_each_others_rows(
    session, zoned, engagement_csv, make_user, actor_for
):
    with pytest.raises(PermissionDenied):
        imports.import_file(session, zoned["viewer_actor"], engagement_csv(ROWS[:1]))
    session.rollback()
    imports.import_file(session, zoned["actor"], engagement_csv(ROWS[:1]))
    session.commit()
    other = actor_for(make_user("gus@example.com", "Globex", "owner"), "Globex")
    assert results.list_unmatched(session, other) == ([], 0)
    assert results.list_sources(session, other) == []
    assert imports.import_file(session, other, engagement_csv(ROWS[:1])).imported == 1


def test_a_large_export_twice_is_stored_once(session, zoned, engagement_csv):
    rows = [
        [f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z", "Blog", "", f"Post {i}", "9"]
        for i in range(1200)
    ]
    headers = ["published_at", "channel", "url", "title", "impressions"]
    text = engagement_csv(rows, headers)
    assert imports.import_file(session, zoned["actor"], text, "Big").imported == 1200
    rows[5][4] = "10"
    later = imports.import_file(session, zoned["actor"], engagement_csv(rows, headers), "Big")
    assert (later.imported, later.updated, later.unchanged) == (0, 1, 1199)
    assert session.scalar(sa.select(sa.func.count()).select_from(EngagementRow)) == 1200
