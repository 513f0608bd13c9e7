"""JSON Feed 1.0 and 1.1 read alongside RSS and Atom, with the same sanitising and limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from planner.services.feeds import FeedParseError, parse_feed
from tests.reader.helpers import json_feed

pytestmark = pytest.mark.nodb
URL = "https://json.example/feed.json"


def test_json_feed_1_1_items_authors_dates_links():
    content = json_feed(
        [
            {
                "id": "post-1",
                "url": "https://json.example/posts/1",
                "title": "Pricing for a small business",
                "content_html": "<p>Pricing <strong>fairly</strong>. <a href='/more'>More</a></p>",
                "date_published": "2026-11-20T10:00:00+01:00",
                "date_modified": "2026-11-21T08:30:00Z",
                "authors": [
                    {"name": "Ann Writer"},
                    {"name": "Bo Editor", "url": "https://b.example"},
                ],
            },
            {
                "id": 42,
                "external_url": "https://elsewhere.example/story",
                "content_text": "A linked story.",
            },
        ]
    )
    feed = parse_feed(content, url=URL, content_type="application/feed+json")
    assert (feed.title, feed.site_url, feed.version) == (
        "JSON News",
        "https://json.example/",
        "json11",
    )
    first, second = feed.entries
    assert first.identity == first.guid == "post-1"
    assert first.link == "https://json.example/posts/1"
    assert first.author == "Ann Writer, Bo Editor"
    assert first.published == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert first.updated == datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
    assert "<strong>fairly</strong>" in first.summary_html
    assert 'href="https://json.example/more"' in first.summary_html  # resolved, not into us
    assert first.summary_text == "Pricing fairly. More"
    assert second.identity == "42"  # a numeric id is read as text
    assert second.link == "https://elsewhere.example/story"  # external_url when no url
    assert second.summary_text == "A linked story."


def test_json_feed_1_0_author_and_summary_detected_by_version_key():
    content = json_feed(
        [
            {
                "id": "a",
                "url": "https://json.example/a",
                "title": "Old style",
                "summary": "Short <b>plain</b> summary",
                "content_html": "<p>Long body</p>",
                "author": {"name": "Cy"},
            }
        ],
        version="1",
    )
    # No JSON content type: the document's version key says what it is.
    feed = parse_feed(content, url=URL, content_type="text/plain")
    (entry,) = feed.entries
    assert feed.version == "json10"
    assert entry.author == "Cy"
    # The summary is plain text, so it is escaped, and preferred to the content as in RSS.
    assert entry.summary_html == "Short &lt;b&gt;plain&lt;/b&gt; summary"
    assert entry.summary_text == "Short <b>plain</b> summary"


def test_hostile_json_feed_is_sanitised_like_rss():
    content = json_feed(
        [
            {
                "id": "x",
                "url": "javascript:alert(1)",
                "title": "<img src=x onerror=alert(1)>Title",
                "content_html": "<p onclick='x()'>Hi<script>alert(1)</script>"
                "<img src='https://tracker.example/p.gif'><a href='javascript:alert(2)'>a</a></p>",
            },
            {"id": "y", "content_text": "<script>alert(3)</script> & more"},
        ]
    )
    hostile, text = parse_feed(content, url=URL, content_type="application/json").entries
    assert hostile.link is None  # not http(s)
    assert "script" not in hostile.summary_html and "onclick" not in hostile.summary_html
    assert "<img" not in hostile.summary_html and "javascript" not in hostile.summary_html
    assert text.summary_html == "&lt;script&gt;alert(3)&lt;/script&gt; &amp; more"


def test_json_feed_without_ids_or_dates_uses_the_same_identity_rule():
    content = json_feed(
        [
            {"url": "https://json.example/p", "title": "No id", "date_published": "not a date"},
            {"title": "Neither id nor url", "content_text": "text"},
            {"id": "dup", "title": "First"},
            {"id": "dup", "title": "Second"},
            "not an item",
        ]
    )
    entries = parse_feed(content, url=URL, content_type="application/feed+json").entries
    assert entries[0].identity == "https://json.example/p" and entries[0].published is None
    assert entries[1].identity.startswith("sha256:")
    assert [e.title for e in entries[2:]] == ["First"]  # duplicate ids: the first is kept


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "malformed JSON Feed"),
        (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}', "`items` must be a list"),
        (b'{"title": "no version", "items": []}', "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "no feed found"),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "title": "\xff", "items": []}',
            "malformed",
        ),
    ],
)
def test_bad_json_feeds_are_clear_feed_errors(content, message):
    with pytest.raises(FeedParseError, match=message):
        parse_feed(content, url=URL, content_type="application/feed+json")


def test_xml_served_as_json_is_still_read_as_xml():
    rss = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
        b"<item><guid>g</guid><title>RSS item</title></item></channel></rss>"
    )
    feed = parse_feed(rss, url=URL, content_type="application/json")
    assert feed.version == "rss20" and feed.entries[0].title == "RSS item"


def test_a_json_feed_with_a_title_and_no_items_is_valid():
    feed = parse_feed(
        json.dumps(
            {"version": "https://jsonfeed.org/version/1", "title": "Empty", "items": []}
        ).encode(),
        url=URL,
    )
    assert feed.title == "Empty" and feed.entries == ()
