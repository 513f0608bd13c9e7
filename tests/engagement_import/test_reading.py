"""Reading an export without a database: file checks, times, counts, suggested mappings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import ValidationError
from planner.services.engagement.mapping import check_mapping, suggest_mapping
from planner.services.engagement.matching import normalize_url
from planner.services.engagement.reading import (
    MAX_CSV_BYTES,
    RowError,
    UnreadableFile,
    parse_count,
    parse_time,
    read_rows,
    read_table,
)

NY = "America/New_York"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-03T09:00:00-05:00", datetime(2026, 3, 3, 14, 0, tzinfo=UTC)),
        ("2026-03-03T14:00:00Z", datetime(2026, 3, 3, 14, 0, tzinfo=UTC)),
        ("2026-03-03 09:00", datetime(2026, 3, 3, 14, 0, tzinfo=UTC)),  # naive: New York
        ("2026-07-03 09:00", datetime(2026, 7, 3, 13, 0, tzinfo=UTC)),  # summer time
        ("03/04/2026 9:15 AM", datetime(2026, 3, 4, 14, 15, tzinfo=UTC)),  # month first
        ("03/04/2026 9:15 PM", datetime(2026, 3, 5, 2, 15, tzinfo=UTC)),
        ("Mar 4, 2026 9:15 AM", datetime(2026, 3, 4, 14, 15, tzinfo=UTC)),
        ("Wed, 04 Mar 2026 14:15:00 +0000", datetime(2026, 3, 4, 14, 15, tzinfo=UTC)),
    ],
)
def test_times_with_and_without_offset(text, expected):
    assert parse_time(text, NY) == expected


def test_day_first_dates_when_the_mapping_says_so():
    assert parse_time("03/04/2026 09:15", "UTC", "dmy") == datetime(2026, 4, 3, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("yesterday", "is not a date and time"),
        ("2026-03-04", "is not a date and time"),  # no time of day
        ("13/45/2026 09:00", "is not a date and time"),
        ("2026-03-08 02:30", "does not exist"),  # skipped by the clocks in New York
        ("", "has no published time"),
    ],
)
def test_bad_times_say_why(text, words):
    with pytest.raises(ValueError, match=words):
        parse_time(text, NY)


def test_counts_are_whole_non_negative_numbers_and_formulas_are_not_numbers():
    assert parse_count("1,234", "clicks") == 1234
    assert parse_count("12.0", "clicks") == 12
    assert parse_count(" ", "clicks") is None
    for bad, words in (
        ("-3", "negative"),
        ("12.5", "whole"),
        ("=1+2", "whole"),
        ("9" * 12, "large"),
    ):
        with pytest.raises(ValueError, match=words):
            parse_count(bad, "clicks")


@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_any_stored_count_reads_back(number):
    assert parse_count(str(number), "impressions") == number
    assert parse_count(f"{number:,}", "impressions") == number


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        ("published_at,title\n2026-03-04 09:00,Caf\xe9\n".encode("latin-1"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"published_at,title\n", "no rows"),
        (b"2026-03-04 09:00,Hello,10\n2026-03-05 09:00,Again,12\n", "looks like data"),
        (b"x" * (MAX_CSV_BYTES + 1), "at most 10 MB"),
    ],
)
def test_unreadable_files_say_why(content, words):
    with pytest.raises(UnreadableFile, match=words):
        read_table(content)


def test_utf8_with_bom_semicolons_and_quoted_line_breaks_keep_their_line_numbers():
    text = '\ufeffpublished_at;title\n2026-03-04 09:00;"Two\nlines"\n2026-03-05 09:00;Next\n'
    table = read_table(text.encode("utf-8"))
    assert table.headers == ["published_at", "title"]
    assert [line for line, _ in table.records] == [2, 4]
    assert table.records[0][1]["title"] == "Two\nlines"


def test_suggested_mapping_reads_common_export_headers_and_counts_nothing_twice():
    buffer_like = ["Date", "Network", "Link", "Post", "Impressions", "Likes", "Comments", "Shares"]
    assert suggest_mapping(buffer_like, NY) == {
        "published_at": "Date",
        "channel": "Network",
        "url": "Link",
        "title": "Post",
        "impressions": "Impressions",
        "reactions": "Likes",
        "comments": "Comments",
        "shares": "Shares",
        "timezone": NY,
        "date_order": "mdy",
    }
    with_total = suggest_mapping(["Post time", "Reach", "Engagements", "Likes"], "UTC")
    assert with_total["published_at"] == "Post time"
    assert with_total["reach"] == "Reach"
    assert with_total["engagements"] == "Engagements"
    assert "reactions" not in with_total


def test_a_mapping_must_name_the_published_time_and_real_columns():
    with pytest.raises(ValidationError) as caught:
        check_mapping({"title": "Nope", "colour": "x", "timezone": "Mars/Base"}, ["Date", "Post"])
    assert set(caught.value.details) == {"title", "colour", "published_at", "timezone"}


def test_a_row_with_an_overlong_url_is_refused_not_cut():
    mapping = {"published_at": "published_at", "url": "url", "timezone": "UTC"}
    table = read_table(f"published_at,url\n2026-03-04T09:00:00Z,https://a.test/{'x' * 2000}\n")
    [problem] = read_rows(table, mapping)
    assert problem == RowError(2, "url is longer than 2,000 characters")


def test_urls_agree_across_case_trailing_slash_and_tracking_parameters():
    a = normalize_url("HTTPS://Example.COM/blog/Post/?utm_source=x&utm_medium=y&ref=1#top")
    assert a == normalize_url("https://example.com/blog/Post?ref=1")
    assert a != normalize_url("https://example.com/blog/post?ref=1")  # paths keep their case
