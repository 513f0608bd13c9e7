"""Turn fetched feed bytes into frozen dataclasses.

feedparser does the format work (RSS 0.9x, RSS 1.0, RSS 2.0, Atom, broken XML), and
`jsonfeed` reads JSON Feed 1.0/1.1 into feedparser's shape, so both share what follows; this
module decides what it may see and what comes out. It gets bytes wrapped in a stream,
never a str or bytes object, because feedparser opens a str that looks like a URL and
`open()`s a bytes or str that names a local file. The document is first decoded and
checked by `document.prepare`, which refuses entity bombs before feedparser runs.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from . import jsonfeed
from .document import prepare
from .errors import FeedParseError
from .sanitize import html_to_text, safe_link, sanitize_html


@dataclass(frozen=True)
class ParsedEntry:
    """One item of a feed, safe to store and render.

    `identity` is the item's key within its feed: the GUID, else the link, else
    "sha256:" + a hash of title, summary and dates. `content_hash` changes when the
    title, summary or link change, so an edited item can be noticed.
    """

    identity: str
    guid: str | None
    link: str | None  # absolute http(s) only (see sanitize.safe_link)
    title: str | None  # plain text
    author: str | None  # plain text
    published: datetime | None  # UTC aware
    updated: datetime | None  # UTC aware
    summary_html: str  # sanitised
    summary_text: str
    content_hash: str


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed document; `bozo` marks a broken but readable one."""

    title: str | None
    site_url: str | None
    entries: tuple[ParsedEntry, ...]
    bozo: bool
    bozo_message: str | None
    version: str = ""  # feedparser's name for the format: "rss20", "atom10", ...; "json11"


def parse_feed(content: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document fetched from `url`.

    Raises FeedParseError for an empty body, an HTML page, a document declaring
    entities that could expand (entity bombs), or anything without entries or a title.
    A feed with a title and no entries is valid (nothing new yet).
    """
    if jsonfeed.is_json_feed(content, content_type):  # read into feedparser's shape
        parsed = jsonfeed.read(content, url=url)
    else:
        parsed = _feedparser(content, url=url, content_type=content_type)
    bozo_message = str(parsed.get("bozo_exception") or "") or None if parsed.bozo else None
    feed = parsed.feed
    title = _plain(_get(feed, "title"), _get(feed, "title_detail"))
    entries = _entries(parsed.entries, url)
    if not entries and not title:
        reason = f": {bozo_message}" if bozo_message else ""
        raise FeedParseError(f"no feed found (no entries and no title){reason}", url=url)
    return ParsedFeed(
        title=title,
        site_url=safe_link(_get(feed, "link"), url),
        entries=entries,
        bozo=bool(parsed.bozo),
        bozo_message=bozo_message,
        version=parsed.get("version") or "",
    )


def _feedparser(content: bytes, *, url: str, content_type: str | None) -> Any:
    """RSS and Atom: decode and check the document, then let feedparser read it."""
    document = prepare(content, content_type=content_type)
    try:
        return feedparser.parse(
            io.BytesIO(document.data),
            # No content-location: feedparser would resolve GUIDs against it, so an item's
            # identity would change when its feed moves. Links are resolved below.
            response_headers={"content-type": document.content_type},
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser has no error tree of its own; keep the batch alive
        raise FeedParseError(f"feedparser failed: {exc!r}", url=url) from exc


def _entries(raw_entries: list[Mapping[str, Any]], url: str) -> tuple[ParsedEntry, ...]:
    """Convert entries, keeping the first of any that share an identity (duplicate GUIDs)."""
    entries: dict[str, ParsedEntry] = {}
    for raw in raw_entries:
        entry = _entry(raw, url)
        entries.setdefault(entry.identity, entry)
    return tuple(entries.values())


def _entry(raw: Mapping[str, Any], feed_url: str) -> ParsedEntry:
    guid = _stripped(_get(raw, "id"))
    raw_link = _stripped(_get(raw, "link"))
    joined_link = urljoin(feed_url, raw_link) if raw_link else None  # kept even if unsafe
    title = _plain(_get(raw, "title"), _get(raw, "title_detail"))
    summary_html, summary_text = _summary(raw, feed_url)
    published = _utc(_get(raw, "published_parsed"))
    updated = _utc(_get(raw, "updated_parsed"))
    identity = guid or joined_link
    if identity is None:
        dates = [d.isoformat() if d else None for d in (published, updated)]
        identity = "sha256:" + _digest([title, summary_html, *dates])
    return ParsedEntry(
        identity=identity,
        guid=guid,
        link=safe_link(joined_link),
        title=title,
        author=_plain(_get(raw, "author"), None),
        published=published,
        updated=updated,
        summary_html=summary_html,
        summary_text=summary_text,
        content_hash=_digest([title, summary_html, joined_link]),
    )


def _summary(raw: Mapping[str, Any], feed_url: str) -> tuple[str, str]:
    """Return (sanitised HTML, text) from the summary, or the first content block."""
    detail = _get(raw, "summary_detail")
    if not detail and _get(raw, "content"):
        detail = _get(raw, "content")[0]
    if not detail or not detail.get("value"):
        return "", ""
    value = detail["value"]
    if detail.get("type") == "text/plain":  # feedparser keeps type="text" markup raw
        text = " ".join(value.split())
        return html.escape(text, quote=False), text
    cleaned = sanitize_html(value, detail.get("base") or feed_url)
    return cleaned, html_to_text(cleaned)


def _plain(value: object, detail: Mapping[str, Any] | None) -> str | None:
    """Return a title-like value as one line of text, unwrapping HTML when it is HTML."""
    if not isinstance(value, str):
        return None
    if detail and detail.get("type") in ("text/html", "application/xhtml+xml"):
        value = html_to_text(value)
    return " ".join(value.split()) or None


def _get(data: Mapping[str, Any], key: str) -> Any:
    """Read a key without FeedParserDict's aliases (it answers "updated" with "published")."""
    return dict.get(data, key) if isinstance(data, dict) else data.get(key)


def _stripped(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _utc(value: time.struct_time | None) -> datetime | None:
    """feedparser's *_parsed fields are UTC struct_times; make them aware datetimes."""
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _digest(parts: list[str | None]) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()
