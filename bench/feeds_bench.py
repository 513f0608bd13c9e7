"""Benchmark feed polling end to end against feedparser's own parse time, its floor.

Run from the repository root:  .venv/bin/python bench/feeds_bench.py [--quick]

A threaded HTTP server on 127.0.0.1 serves 500 generated RSS feeds of 50 entries each
(`--quick`: 50 feeds). The poller (`poll_due`: fetch threads, then parse, store and audit
against the demo personas on one SQLite session, committing per feed) runs twice:

1. first poll: every entry is new, so every one is parsed, stored and audited;
2. second poll: half the feeds answer 304 to the conditional GET, the other half have 5
   new entries (and a new ETag).

It prints wall time and items/s for both passes, where the time went (fetch wait, parse,
audit, store), and feedparser's parse time of the same 500 documents in this same run as
the floor, with the ratio. The database is a temporary SQLite file with the migrations
applied. Figures vary with the machine; read them as ratios.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20261123
START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

# Vocabulary that touches the demo personas (buyers and negatives) among ordinary words.
TOPICS = [
    "small business", "shared inbox", "help desk", "response time", "customer email",
    "knowledge base", "online shop", "busy season", "canned response", "self-service",
    "on-premise", "request for proposal", "enterprise", "procurement process",
    "security questionnaire", "lifetime deal", "discount code", "flash sale", "coupon",
    "custom development", "unlimited revisions", "consultant", "managed service",
    "pricing page", "newsletter", "onboarding", "roadmap", "hiring", "remote work",
    "cash flow", "invoicing", "analytics", "product launch", "team rituals",
]  # fmt: skip
OPENERS = [
    "How {a} teams handle {b}", "Why {a} beats {b} this quarter", "{a}: a field guide",
    "Five lessons on {a} from a year of {b}", "What we learned about {a}",
    "The quiet cost of {a}", "{a} without the {b} headache", "Ask the editor: {a} or {b}?",
]  # fmt: skip
SENTENCES = [
    "Most teams we spoke to started with {a} and only later noticed {b}.",
    "The numbers are plain: {a} took twice as long as anyone planned.",
    "If you run a {a}, the first step is to write down what {b} costs you each week.",
    "Readers asked whether {a} still makes sense when {b} is on the table.",
    "We compared three approaches to {a}, from spreadsheets to a full {b} rollout.",
    "A founder told us that {a} changed how she thinks about {b}.",
    "None of this needs a big budget; it needs a habit and a shared view of {a}.",
    "The short version: measure {a}, then decide about {b}.",
]  # fmt: skip
WORDS = [
    "team", "customer", "week", "month", "plan", "result", "story", "change", "budget", "tool",
    "habit", "process", "price", "report", "guide", "review", "update", "answer", "question",
    "feature", "workflow", "partner", "signal", "growth",
]  # fmt: skip


def entry_xml(rng: random.Random, feed_no: int, entry_no: int) -> str:
    a, b = rng.sample(TOPICS, 2)
    title = rng.choice(OPENERS).format(a=a, b=b)
    title = title[0].upper() + title[1:]
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        sentences = [rng.choice(SENTENCES).format(a=rng.choice(TOPICS), b=rng.choice(TOPICS))]
        sentences += [" ".join(rng.choices(WORDS, k=rng.randint(6, 12))).capitalize() + "."]
        paragraphs.append(" ".join(sentences))
    link = f"https://news{feed_no}.example.com/posts/{entry_no}"
    summary = (
        "".join(
            f"<p>{p}{' <em>Read on.</em>' if i == 0 else ''}</p>" for i, p in enumerate(paragraphs)
        )
        + f'<p><a href="{link}#more">Continue reading</a></p>'
    )
    published = START + timedelta(hours=entry_no * 7 + feed_no % 7)
    return (
        f"<item><title>{escape(title)}</title><link>{link}</link>"
        f"<guid isPermaLink='true'>{link}</guid><pubDate>{format_datetime(published)}</pubDate>"
        f"<description>{escape(summary)}</description></item>"
    )


def feed_xml(feed_no: int, entry_numbers: range) -> bytes:
    rng = random.Random(SEED * 1000 + feed_no)
    entries = {n: entry_xml(random.Random(rng.random() + n), feed_no, n) for n in entry_numbers}
    items = "".join(entries[n] for n in reversed(entry_numbers))
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Newsroom {feed_no}</title><link>https://news{feed_no}.example.com/</link>"
        f"<description>Generated feed {feed_no}</description>{items}</channel></rss>"
    ).encode()


class FeedServer:
    """Serve `pages[path] = (body, etag)`, answering 304 to a matching If-None-Match."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str]] = {}
        self.hits = 0
        self.not_modified = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                server.hits += 1
                body, etag = server.pages[self.path]
                if self.headers.get("If-None-Match") == etag:
                    server.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


class Timers:
    """Wrap a module function to add up the time spent in it (main thread only)."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}

    def wrap(self, module, name: str, label: str) -> None:
        real = getattr(module, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                self.totals[label] = self.totals.get(label, 0.0) + time.perf_counter() - start

        setattr(module, name, timed)

    def take(self) -> dict[str, float]:
        totals, self.totals = self.totals, {}
        return totals


def feedparser_floor(documents: list[bytes]) -> tuple[float, float]:
    """Seconds feedparser takes to parse the documents: as parse.py calls it, and by default."""
    import feedparser

    start = time.perf_counter()
    for doc in documents:
        feedparser.parse(io.BytesIO(doc), sanitize_html=False, resolve_relative_uris=False)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for doc in documents:
        feedparser.parse(io.BytesIO(doc))
    default = time.perf_counter() - start
    return ours, default


def run_pass(session, label: str, now: datetime, timers: Timers, poll_due) -> dict:
    start = time.perf_counter()
    new = statuses = 0
    counts: dict[str, int] = {}
    for outcome in poll_due(session, now, allow_private=True, include_not_due=True):
        session.commit()
        new += outcome.new_items
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        statuses += 1
    wall = time.perf_counter() - start
    spent = timers.take()
    if "store" in spent:  # store_entries includes the audits it runs; show them apart
        spent["store"] -= spent.get("audit", 0.0)
    print(
        f"\n{label}: {statuses} feeds in {wall:.2f} s, {new} new items, {new / wall:,.0f} items/s"
    )
    print("  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    rest = wall - sum(spent.values())
    parts = [f"{k} {v:.2f} s" for k, v in spent.items()] + [f"fetch wait + other {rest:.2f} s"]
    print("  time: " + ", ".join(parts))
    return {"wall": wall, "new": new, "spent": spent}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 feeds instead of 500")
    args = parser.parse_args()
    n_feeds, n_entries = (50 if args.quick else 500), 50

    tmp = tempfile.TemporaryDirectory(prefix="feeds-bench-")
    os.environ.setdefault("SECRET_KEY", "bench")
    from flask_migrate import upgrade

    from planner import create_app
    from planner.extensions import db
    from planner.models.feed import Feed
    from planner.services import demo
    from planner.services.feeds import polling, store

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp.name}/bench.sqlite3",
            "SECRET_KEY": "bench",
            "FEED_ALLOW_PRIVATE": True,
        }
    )
    server = FeedServer()
    print(f"Generating {n_feeds} feeds x {n_entries} entries ...")
    first_docs = []
    for i in range(n_feeds):
        body = feed_xml(i, range(n_entries))
        first_docs.append(body)
        server.pages[f"/feed/{i}.xml"] = (body, f'"{i}-v1"')
    size = sum(map(len, first_docs)) / len(first_docs) / 1024
    print(f"  average document {size:.0f} KB")

    timers = Timers()
    timers.wrap(polling, "parse_feed", "parse")
    timers.wrap(store, "apply_audit", "audit")
    timers.wrap(polling, "store_entries", "store")
    with app.app_context():
        upgrade()
        demo.load_demo(db.session)
        db.session.commit()
        from planner.models import Workspace

        workspace = db.session.query(Workspace).filter_by(name=demo.DEMO_WORKSPACE).one()
        for i in range(n_feeds):
            url = server.url(f"/feed/{i}.xml")
            db.session.add(Feed(workspace_id=workspace.id, url=url, next_poll_at=START))
        db.session.commit()

        import nlp

        # Load spaCy before timing, as a running poller has it loaded.
        _pipeline = nlp.default_engine().nlp
        timers.take()  # drop what loading the demo (its sample feeds) spent
        now = datetime.now(UTC)
        first = run_pass(db.session, "First poll (all new)", now, timers, polling.poll_due)

        second_docs = []
        for i in range(n_feeds):
            if i % 2:
                body = feed_xml(i, range(n_entries + 5))
                server.pages[f"/feed/{i}.xml"] = (body, f'"{i}-v2"')
                second_docs.append(body)
        hits_before, nm_before = server.hits, server.not_modified
        second = run_pass(
            db.session, "Second poll (half 304, half +5)", now + timedelta(hours=2), timers,
            polling.poll_due,
        )  # fmt: skip
        print(
            f"  server: {server.hits - hits_before} requests, {server.not_modified - nm_before} 304"
        )

    floor_ours, floor_default = feedparser_floor(first_docs)
    floor2_ours, _ = feedparser_floor(second_docs)
    items1 = n_feeds * n_entries
    print("\nFloor: feedparser parsing the same documents, no network, no database")
    print(
        f"  first-poll documents: {floor_ours:.2f} s ({items1 / floor_ours:,.0f} entries/s) "
        f"with parse.py's options; {floor_default:.2f} s with feedparser's defaults"
    )
    print(f"  second-poll changed documents: {floor2_ours:.2f} s")
    print("\nRatios (poll wall / feedparser floor with parse.py's options):")
    print(f"  first poll:  {first['wall'] / floor_ours:.2f}x")
    print(f"  second poll: {second['wall'] / max(floor2_ours, 1e-9):.2f}x")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
