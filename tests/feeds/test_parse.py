"""parse_feed on golden files and on hostile documents."""

from __future__ import annotations

import codecs
import dataclasses
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from planner.services.feeds import ParsedFeed, parse_feed
from planner.services.feeds.errors import FeedParseError

from .helpers import DATA, FeedServer, read_data

GOLDEN_FORMATS = {
    "rss091.xml": "rss091n",
    "rss092.xml": "rss092",
    "rss10.rdf": "rss10",
    "rss20.xml": "rss20",
    "atom10.xml": "atom10",
}


def as_json(feed: ParsedFeed) -> dict:
    def default(value: object) -> str:
        assert isinstance(value, datetime)
        return value.isoformat()

    return json.loads(json.dumps(dataclasses.asdict(feed), default=default))


@pytest.mark.parametrize(("name", "version"), GOLDEN_FORMATS.items())
def test_formats_match_their_golden_results(name: str, version: str) -> None:
    """Set UPDATE_GOLDEN=1 to rewrite the .expected.json files after a deliberate change."""
    feed = parse_feed(read_data(name), url=f"https://feeds.example/{name}")
    assert feed.version == version
    assert not feed.bozo
    golden = DATA / f"{Path(name).stem}.expected.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(json.dumps(as_json(feed), indent=2, ensure_ascii=False) + "\n")
    assert as_json(feed) == json.loads(golden.read_text())


def test_rss20_fields() -> None:
    feed = parse_feed(read_data("rss20.xml"), url="https://feeds.example/rss")
    assert (feed.title, feed.site_url) == ("Small Business Marketing", "https://blog.example/")
    first = feed.entries[0]
    assert (first.identity, first.guid, first.author) == ("post-101", "post-101", "Sam Writer")
    assert first.published == datetime(2024, 3, 5, 13, 0, tzinfo=UTC)
    assert first.updated is None  # feedparser's "updated falls back to published" is not used
    assert "<strong>fairly</strong>" in first.summary_html
    assert 'href="https://feeds.example/pricing#more"' in first.summary_html  # relative link
    assert first.summary_text == "Pricing a project fairly. Read more"


def test_rss091_legacy_encoding_is_decoded() -> None:
    feed = parse_feed(read_data("rss091.xml"), url="http://cafe.example/rss")
    assert feed.title == "Café Weekly"
    assert [e.title for e in feed.entries] == ["Opening hours", "Crème brûlée"]


def test_atom_bases_types_and_dates() -> None:
    feed = parse_feed(read_data("atom10.xml"), url="https://atom.example/feed.atom")
    relative, text, xhtml = feed.entries
    assert feed.title == "Atom Notes"  # type="html" title becomes text
    assert relative.link == "https://atom.example/blog/relative-links"  # xml:base
    assert 'href="https://atom.example/blog/images/"' in relative.summary_html
    assert relative.published == datetime(2024, 3, 5, 8, 0, tzinfo=UTC)
    assert relative.updated == datetime(2024, 3, 6, 9, 0, tzinfo=UTC)
    assert text.title == "Text is not markup: <b>"
    assert text.summary_html == "Use &lt;script&gt; tags carefully."  # type="text" is escaped
    assert xhtml.title == "An XHTML title"
    assert xhtml.summary_html == "<p>Inline <strong>XHTML</strong>.</p>"


def test_utf16_document_parses() -> None:
    data = codecs.BOM_UTF16_LE + read_data("rss20.xml").decode().replace(
        'encoding="UTF-8"', 'encoding="UTF-16"'
    ).encode("utf-16-le")
    assert len(parse_feed(data, url="https://feeds.example/rss").entries) == 2


def test_http_charset_is_used_for_legacy_bytes() -> None:
    data = '<rss version="2.0"><channel><title>Caf\u00e9</title></channel></rss>'.encode("cp1252")
    feed = parse_feed(data, url="https://x.example/", content_type="text/xml; charset=windows-1252")
    assert feed.title == "Café"


def test_bozo_feed_with_entries_is_kept() -> None:
    feed = parse_feed(read_data("bozo.xml"), url="https://broken.example/rss")
    assert feed.bozo is True
    assert feed.bozo_message
    assert [e.guid for e in feed.entries] == ["broken-1", "broken-2"]


def test_feed_with_title_and_no_entries_is_valid() -> None:
    data = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    feed = parse_feed(data, url="https://quiet.example/rss")
    assert (feed.title, feed.entries) == ("Quiet", ())


@pytest.mark.parametrize("body", [b"", b"   \n\t ", b"\xef\xbb\xbf  "])
def test_empty_body_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="empty"):
        parse_feed(body, url="https://x.example/feed")


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", None, "application/xml"])
def test_html_page_is_a_parse_error(content_type: str | None) -> None:
    with pytest.raises(FeedParseError, match="HTML page"):
        parse_feed(read_data("html_page.html"), url="https://x.example/", content_type=content_type)


def test_html_fragment_served_as_html_is_a_parse_error() -> None:
    body = b"<!-- cms --><p>Sorry, <html> mode is off</p>"
    with pytest.raises(FeedParseError):
        parse_feed(body, url="https://x.example/", content_type="text/html")


def test_text_that_is_not_a_feed_is_a_parse_error() -> None:
    with pytest.raises(FeedParseError, match="no feed found"):
        parse_feed(b"just some words", url="https://x.example/")


def test_bytes_naming_a_local_file_are_not_opened(tmp_path: Path) -> None:
    """feedparser open()s bytes that name a file; parse_feed hands it a stream."""
    secret = tmp_path / "secret.xml"
    secret.write_text('<rss version="2.0"><channel><title>LOCAL SECRET</title></channel></rss>')
    with pytest.raises(FeedParseError):
        parse_feed(str(secret).encode(), url="https://x.example/")


def test_bytes_that_look_like_a_url_are_not_fetched(feed_server: FeedServer) -> None:
    url = feed_server.reply("/feed", read_data("rss20.xml"))
    with pytest.raises(FeedParseError):
        parse_feed(url.encode(), url="https://x.example/")
    assert feed_server.requests == []


# --- entity bombs -------------------------------------------------------------------


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(FeedParseError, match="entity expansion"):
        parse_feed(read_data("entity_bomb.xml"), url="https://x.example/")
    assert time.perf_counter() - started < 0.1


def quadratic_blowup(size: int) -> str:
    """One flat entity used many times: feedparser would expand it size * size times."""
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{"A" * size}">\n]>\n'
        f'<rss version="2.0"><channel><title>t</title><item><title>{"&a;" * size}</title>'
        "</item></channel></rss>"
    )


def test_quadratic_blowup_is_refused_quickly() -> None:
    document = quadratic_blowup(200_000).encode()  # 40 GB if expanded
    started = time.perf_counter()
    with pytest.raises(FeedParseError, match="entity expansion"):
        parse_feed(document, url="https://x.example/")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-7"])
def test_entity_bomb_in_another_encoding_is_refused(encoding: str) -> None:
    text = read_data("entity_bomb.xml").decode()
    text = text.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
    data = text.encode(encoding)
    if encoding == "utf-7":
        data = data.replace(b"<!ENTITY", b"+ADw-!ENTITY")  # hide the ASCII bytes
    with pytest.raises(FeedParseError, match="entity expansion"):
        parse_feed(data, url="https://x.example/")


@pytest.mark.parametrize(
    "declaration",
    [
        '<!ENTITY ext SYSTEM "file:///etc/passwd">',
        "<!ENTITY % param \"<!ENTITY x 'y'>\">",
        '<!ENTITY long "more than eight characters">',
        '<!ENTITY nested "&amp;&amp;">',
    ],
)
def test_unsafe_entity_declarations_are_refused(declaration: str) -> None:
    data = f'<!DOCTYPE rss [\n{declaration}\n]><rss version="2.0"><channel><title>t</title>'
    with pytest.raises(FeedParseError, match="entity expansion"):
        parse_feed((data + "</channel></rss>").encode(), url="https://x.example/")


def test_flat_character_entities_are_allowed() -> None:
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n<!ENTITY co "(c)">\n]>'
        '<rss version="2.0"><channel><title>A&nbsp;B &co;</title></channel></rss>'
    )
    assert parse_feed(data.encode(), url="https://x.example/").title == "A B (c)"


# --- identity, duplicates, edits ------------------------------------------------------


def test_items_without_guid_use_link_then_a_hash() -> None:
    feed = parse_feed(read_data("no_guid.xml"), url="https://noguid.example/rss")
    linked, bare = feed.entries
    assert (linked.guid, linked.identity) == (None, "https://noguid.example/posts/linked")
    assert linked.link == "https://noguid.example/posts/linked"
    assert bare.identity.startswith("sha256:") and len(bare.identity) == 71
    again = parse_feed(read_data("no_guid.xml"), url="https://noguid.example/rss")
    assert again.entries[1].identity == bare.identity  # stable across polls


def test_hash_identity_changes_with_the_content() -> None:
    data = read_data("no_guid.xml")
    edited = data.replace(b"Identity comes from a hash.", b"Edited.")
    first = parse_feed(data, url="https://x.example/").entries[1]
    second = parse_feed(edited, url="https://x.example/").entries[1]
    assert first.identity != second.identity


def test_guid_identity_does_not_depend_on_the_feed_url() -> None:
    data = read_data("duplicate_guid.xml")
    assert parse_feed(data, url="https://a.example/").entries[0].identity == "same"
    assert parse_feed(data, url="https://b.example/x/").entries[0].identity == "same"


def test_duplicate_guids_keep_the_first_entry() -> None:
    feed = parse_feed(read_data("duplicate_guid.xml"), url="https://dup.example/rss")
    assert [(e.identity, e.title) for e in feed.entries] == [
        ("same", "First copy"),
        ("other", "Other"),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"<title>Other</title>", b"<title>Other, edited</title>"),
        (b"<link>https://dup.example/3</link>", b"<link>https://dup.example/3b</link>"),
        (b"<title>Other</title>", b"<title>Other</title><description>new</description>"),
    ],
)
def test_content_hash_notices_edits(old: bytes, new: bytes) -> None:
    data = read_data("duplicate_guid.xml")
    before = parse_feed(data, url="https://dup.example/rss").entries[1]
    after = parse_feed(data.replace(old, new), url="https://dup.example/rss").entries[1]
    assert before.identity == after.identity
    assert before.content_hash != after.content_hash


def test_content_hash_is_stable_without_edits() -> None:
    data = read_data("rss20.xml")
    first = parse_feed(data, url="https://x.example/")
    assert [e.content_hash for e in first.entries] == [
        e.content_hash for e in parse_feed(data, url="https://x.example/").entries
    ]


# --- hostile content ------------------------------------------------------------------


HOSTILE_NEEDLES = (
    "<script", "alert", "onerror", "onclick", "onload", "onmouseover", "style", "javascript",
    "vbscript", "data:", "<iframe", "<svg", "<img", "target=",
)  # fmt: skip


def test_hostile_markup_does_not_survive() -> None:
    feed = parse_feed(read_data("hostile.xml"), url="https://hostile.example/rss")
    assert feed.site_url is None  # javascript: channel link
    rendered = " ".join(e.summary_html for e in feed.entries).lower()
    for needle in HOSTILE_NEEDLES:
        assert needle not in rendered, needle
    assert 'href="https://ok.example/"' in rendered
    assert rendered.count('rel="noopener noreferrer nofollow"') == rendered.count("<a ")
    assert [e.link for e in feed.entries] == [None, None]  # javascript: item links
    assert "alert" not in feed.entries[0].summary_text


def test_every_golden_file_is_used() -> None:
    names = {p.name for p in DATA.iterdir() if not p.name.endswith(".expected.json")}
    assert names == {
        *GOLDEN_FORMATS,
        "bozo.xml",
        "duplicate_guid.xml",
        "entity_bomb.xml",
        "hostile.xml",
        "html_page.html",
        "no_guid.xml",
    }
