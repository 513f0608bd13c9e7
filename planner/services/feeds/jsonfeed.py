"""Read JSON Feed 1.0 and 1.1 (https://jsonfeed.org) into the shape feedparser returns.

`parse.parse_feed` then treats a JSON Feed like RSS or Atom: the same identity rule, the
same sanitising of HTML (nh3), escaping of plain text, link checks and duplicate handling.
This module only maps fields: `content_html` is HTML, `content_text` and `summary` are
plain text, `url` (else `external_url`) is the link, `authors` (1.1) or `author` (1.0) the
author, `date_published`/`date_modified` RFC 3339 dates. Sizes are bounded by the fetcher
(`fetch.MAX_BYTES`), as for XML feeds.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from .errors import FeedParseError

JSON_TYPES = frozenset({"application/feed+json", "application/json"})
VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
_VERSION_MARK = b"jsonfeed.org/version/"
_VERSION_NAMES = {"1": "json10", "1.1": "json11"}
_UTF8_BOM = b"\xef\xbb\xbf"
_FIRST_CHAR = re.compile(rb"\s*(.)", re.S)


def is_json_feed(content: bytes, content_type: str | None) -> bool:
    """Whether the body is JSON sent as a JSON type, or JSON naming a JSON Feed version.

    A body that starts with "<" is XML whatever the server says (servers mislabel feeds).
    """
    body = content[len(_UTF8_BOM) :] if content.startswith(_UTF8_BOM) else content
    first = _FIRST_CHAR.match(body[:4096])
    if first is None or first.group(1) != b"{":
        return False
    mime = (content_type or "").partition(";")[0].strip().lower()
    return mime in JSON_TYPES or _VERSION_MARK in body


def read(content: bytes, *, url: str) -> feedparser.FeedParserDict:
    """Parse a JSON Feed document; malformed JSON or a non-feed is a FeedParseError."""
    try:
        document = json.loads(content)
    except RecursionError as exc:
        raise FeedParseError("malformed JSON Feed: nested too deeply", url=url) from exc
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, huge integers
        raise FeedParseError(f"malformed JSON Feed: {exc}", url=url) from exc
    if not isinstance(document, dict):
        raise FeedParseError("malformed JSON Feed: the document is not an object", url=url)
    version = document.get("version")
    if not isinstance(version, str) or not version.startswith(VERSION_PREFIXES):
        raise FeedParseError(
            "not a JSON Feed: no version https://jsonfeed.org/version/1 or /1.1", url=url
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedParseError("malformed JSON Feed: `items` must be a list", url=url)
    number = version.rstrip("/").rsplit("/", 1)[-1]
    home = _text(document.get("home_page_url"))
    return feedparser.FeedParserDict(
        bozo=False,
        version=_VERSION_NAMES.get(number, "json"),
        feed={
            "title": _text(document.get("title")),
            "title_detail": {"type": "text/plain"},
            "link": home,
        },
        entries=[_entry(item, home or url) for item in items if isinstance(item, dict)],
    )


def _entry(item: Mapping[str, Any], base: str) -> dict[str, Any]:
    raw_id = item.get("id")
    usable = isinstance(raw_id, str | int) and not isinstance(raw_id, bool)
    identity = str(raw_id) if usable else None
    link = _text(item.get("url")) or _text(item.get("external_url"))
    entry: dict[str, Any] = {
        "id": identity,
        "link": link,
        "title": _text(item.get("title")),
        "title_detail": {"type": "text/plain"},
        "author": _authors(item),
        "published_parsed": _date(item.get("date_published")),
        "updated_parsed": _date(item.get("date_modified")),
    }
    item_base = link if link and link.startswith(("http://", "https://")) else base
    summary = _text(item.get("summary"))
    if summary:
        entry["summary_detail"] = {"type": "text/plain", "value": summary}
    html, text = _text(item.get("content_html")), _text(item.get("content_text"))
    if html:
        entry["content"] = [{"type": "text/html", "value": html, "base": item_base}]
    elif text:
        entry["content"] = [{"type": "text/plain", "value": text}]
    return entry


def _authors(item: Mapping[str, Any]) -> str | None:
    """1.1's `authors` list, else 1.0's `author`; names only (avatars are not fetched)."""
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")]
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n) or None


def _date(value: object) -> time.struct_time | None:
    """An RFC 3339 date as a UTC struct_time, like feedparser's *_parsed fields."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).timetuple()
    except OverflowError:  # year 1 or 9999 pushed out of range by its offset
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
