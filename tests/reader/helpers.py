"""OPML and JSON Feed documents for the reader tests."""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr


def opml(*outlines: str, head: str = "<head><title>Mine</title></head>") -> bytes:
    """An OPML 2.0 file whose body holds `outlines` (raw XML strings)."""
    body = "".join(outlines)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<opml version="2.0">{head}<body>{body}</body></opml>'
    ).encode()


def outline(url: str, title: str = "", *children: str) -> str:
    """A feed outline (with `url`) or, with url "", a folder holding `children`."""
    attributes = f" text={quoteattr(title)}" if title else ""
    if url:
        attributes += f' type="rss" xmlUrl={quoteattr(url)}'
    if not children:
        return f"<outline{attributes}/>"
    return f"<outline{attributes}>{''.join(children)}</outline>"


def json_feed(items: list[dict], version: str = "1.1", **feed) -> bytes:
    document = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": "JSON News",
        "home_page_url": "https://json.example/",
        "items": items,
        **feed,
    }
    return json.dumps(document).encode()
