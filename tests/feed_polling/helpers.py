"""A local feed site whose pages tests change between polls, and the entries they serve."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

BUYER = {
    "name": "Small Business Sam",
    "kind": "buyer",
    "summary": "Owner of a ten-person firm",
    "thresholds": {},
    "keywords": [{"term": "small business"}, {"term": "invoice"}],
}


@dataclass
class Entry:
    guid: str
    title: str
    summary: str = ""
    link: str | None = None
    published: datetime = field(default_factory=lambda: datetime(2026, 11, 1, 9, tzinfo=UTC))


def rss(
    entries: list[Entry], title: str = "Test feed", site: str = "https://example.com/"
) -> bytes:
    """An RSS 2.0 document; summaries are HTML, escaped into the XML as real feeds do."""
    items = []
    for e in entries:
        link = f"<link>{escape(e.link)}</link>" if e.link else ""
        items.append(
            f"<item><guid isPermaLink='false'>{escape(e.guid)}</guid>"
            f"<title>{escape(e.title)}</title>{link}"
            f"<pubDate>{format_datetime(e.published)}</pubDate>"
            f"<description>{escape(e.summary)}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(title)}</title><link>{escape(site)}</link>"
        f"<description>test</description>{''.join(items)}</channel></rss>"
    ).encode()


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 when the request's If-None-Match equals it
    delay: float = 0.0


class FeedSite:
    """A threaded HTTP server with pages set per test; `hits[path]` counts requests."""

    def __init__(self) -> None:
        self.pages: dict[str, Page | Callable[[BaseHTTPRequestHandler], None]] = {}
        self.hits: Counter[str] = Counter()
        self.request_headers: dict[str, list[dict[str, str]]] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set(self, path: str, page: Page | Callable) -> str:
        self.pages[path] = page
        return self.url(path)

    def feed(self, path: str, entries: list[Entry], *, etag: str | None = None, **kw) -> str:
        headers = {"Content-Type": "application/rss+xml; charset=utf-8"}
        if etag:
            headers["ETag"] = etag
        return self.set(path, Page(rss(entries, **kw), 200, headers, etag))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(site: FeedSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            with site.lock:
                site.hits[self.path] += 1
                site.request_headers.setdefault(self.path, []).append(dict(self.headers.items()))
            page = site.pages.get(self.path) or Page(b"not found", 404)
            if callable(page):
                page(self)
                return
            if page.delay:
                time.sleep(page.delay)
            if page.etag and self.headers.get("If-None-Match") == page.etag:
                self.send_response(304)
                self.send_header("ETag", page.etag)
                self.end_headers()
                return
            self.send_response(page.status)
            for name, value in {"Content-Length": str(len(page.body)), **page.headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


SAM_ENTRY = Entry(
    "a", "Cash flow for a small business", "<p>Send every invoice on time.</p>",
    "https://example.com/a",
)  # fmt: skip


PETE_ENTRY = Entry(
    "b", "Why we stay in-house", "<p>Install it on-premise, then the RFP.</p>",
    "https://example.com/b",
)  # fmt: skip


def later(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)
