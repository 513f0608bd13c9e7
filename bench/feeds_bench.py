"""Benchmark feed polling side by side with lemon24/reader, and against feedparser alone.

Run from the repository root:  .venv/bin/python bench/feeds_bench.py [--quick]

A threaded HTTP server on 127.0.0.1 serves 500 generated RSS feeds of 50 entries each
(`--quick`: 50 feeds). In the same run, on the same served documents:

1. reader (`reader.update_feeds(workers=8)`, its own SQLite file) fetches, parses and
   stores them; the planner (`poll_due`: 8 fetch threads, parsing and auditing in a pool
   of worker processes, one per core, storing on one SQLite session, committing per
   feed) polls them, auditing every item against the demo personas. Both pools are
   warm, as in a running server: spaCy and the worker processes are loaded first.
2. second pass: half the feeds answer 304 to the conditional GET, the other half have 5
   new entries (and a new ETag); reader updates again, the planner polls again.

Each round starts both from an empty store (reader: a new SQLite file; the planner: its
items deleted and its file vacuumed), both in WAL mode, as reader keeps its own file; who
goes first alternates. It prints wall time and items/s for each, the planner's first-poll
items/s over reader's (target: >= 1.0 x, the median over `--rounds`), whether every item
was audited, and feedparser's own parse time of the same documents as the floor.
`--processes 0` parses and audits in this process instead, for comparison. Figures vary
with the machine (worker processes only help when a core is free); read them as ratios.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import statistics
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


def run_pass(session, label: str, now: datetime, poll_due, processes: int) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    new = statuses = 0
    counts: dict[str, int] = {}
    polls = poll_due(session, now, allow_private=True, include_not_due=True, processes=processes)
    for outcome in polls:
        session.commit()
        new += outcome.new_items
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        statuses += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"\nplanner, {label}: {statuses} feeds in {wall:.2f} s, {new} new items, "
          f"{new / wall:,.0f} items/s; this process's CPU {cpu:.2f} s")  # fmt: skip
    print("  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return {"wall": wall, "new": new}


def reader_pass(feed_reader, label: str) -> dict:
    """One `update_feeds(workers=8)` of lemon24/reader, counting the entries it added."""
    before = feed_reader.get_entry_counts().total
    start, cpu = time.perf_counter(), time.process_time()
    feed_reader.update_feeds(workers=8, scheduled=False)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    new = feed_reader.get_entry_counts().total - before
    print(
        f"\nreader, {label}: {wall:.2f} s, {new} new entries, {new / wall:,.0f} entries/s; "
        f"CPU {cpu:.2f} s"
    )
    return {"wall": wall, "new": new}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 feeds instead of 500")
    parser.add_argument(
        "--rounds", type=int, default=3, help="first polls of each, alternating (median kept)"
    )
    parser.add_argument(
        "--processes", type=int, default=None, help="worker processes (0: parse in-process)"
    )
    args = parser.parse_args()
    n_feeds, n_entries = (50 if args.quick else 500), 50

    tmp = tempfile.TemporaryDirectory(prefix="feeds-bench-")
    logging.getLogger("reader").setLevel(logging.ERROR)
    os.environ.setdefault("SECRET_KEY", "bench")
    from flask_migrate import upgrade
    from reader import make_reader
    from sqlalchemy import delete, func, select, text, update

    from planner import create_app
    from planner.extensions import db
    from planner.models.feed import Feed, FeedItem
    from planner.services import demo
    from planner.services.audit import warm_up
    from planner.services.feeds import polling, workers

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
    urls = [server.url(f"/feed/{i}.xml") for i in range(n_feeds)]

    def fresh_reader(round_no: int):
        made = make_reader(f"{tmp.name}/reader-{round_no}.sqlite")
        for url in urls:
            made.add_feed(url)
        return made

    processes = workers.default_processes() if args.processes is None else args.processes
    with app.app_context():
        upgrade()
        # reader keeps its SQLite file in WAL mode; the planner's file gets the same.
        db.session.execute(text("PRAGMA journal_mode=WAL"))
        db.session.commit()
        demo.load_demo(db.session)
        db.session.commit()
        from planner.models import Workspace

        workspace = db.session.query(Workspace).filter_by(name=demo.DEMO_WORKSPACE).one()
        for url in urls:
            db.session.add(Feed(workspace_id=workspace.id, url=url, next_poll_at=START))
        db.session.commit()
        # A running server has spaCy and its worker processes loaded: load them before timing.
        warm_up()
        if processes:
            workers.warm_up(processes)
        print(f"  planner: {polling.FETCH_THREADS} fetch threads, {processes} worker processes")

        ratios: list[float] = []
        bench_items = FeedItem.feed_id.in_(select(Feed.id).where(Feed.url.in_(urls)))
        for round_no in range(max(1, args.rounds)):
            # Both start empty each round; who goes first alternates, so drift in the
            # machine's load (it may be shared) falls on both alike.
            db.session.execute(delete(FeedItem).where(bench_items))
            db.session.execute(
                update(Feed)
                .where(Feed.url.in_(urls))
                .values(body_hash=None, etag=None, last_modified=None)
            )
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                # As reader gets a new file each round: no free pages left by the last one.
                conn.exec_driver_sql("VACUUM")
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            feed_reader = fresh_reader(round_no)
            now = datetime.now(UTC)
            label = f"round {round_no + 1}, first poll (all new)"
            if round_no % 2:
                first = run_pass(db.session, label, now, polling.poll_due, processes)
                reader_first = reader_pass(feed_reader, label)
            else:
                reader_first = reader_pass(feed_reader, label)
                first = run_pass(db.session, label, now, polling.poll_due, processes)
            total, audited = db.session.execute(
                select(func.count(FeedItem.id), func.count(FeedItem.verdict)).where(bench_items)
            ).one()
            print(f"  planner stored {total} items, {audited} of them audited")
            ratio = (first["new"] / first["wall"]) / (reader_first["new"] / reader_first["wall"])
            ratios.append(ratio)
            print(f"  planner items/s over reader's: {ratio:.2f} x")
            if round_no < args.rounds - 1:
                feed_reader.close()

        second_docs = []
        for i in range(n_feeds):
            if i % 2:
                body = feed_xml(i, range(n_entries + 5))
                server.pages[f"/feed/{i}.xml"] = (body, f'"{i}-v2"')
                second_docs.append(body)
        reader_second = reader_pass(feed_reader, "second update (half 304, half +5)")
        hits_before, nm_before = server.hits, server.not_modified
        second = run_pass(
            db.session, "second poll (half 304, half +5)", now + timedelta(hours=2),
            polling.poll_due, processes,
        )  # fmt: skip
        print(
            f"  server: {server.hits - hits_before} requests, {server.not_modified - nm_before} 304"
        )
    feed_reader.close()

    floor_ours, floor_default = feedparser_floor(first_docs)
    floor2_ours, _ = feedparser_floor(second_docs)
    items1 = n_feeds * n_entries
    print("\nFloor: feedparser parsing the same documents, no network, no database")
    print(
        f"  first-poll documents: {floor_ours:.2f} s ({items1 / floor_ours:,.0f} entries/s) "
        f"with parse.py's options; {floor_default:.2f} s with feedparser's defaults"
    )
    print(f"  second-poll changed documents: {floor2_ours:.2f} s")
    print("\nRatios")
    print(
        f"  first poll, planner items/s over reader's (target >= 1.0 x): "
        f"median {statistics.median(ratios):.2f} x over {len(ratios)} rounds "
        f"({', '.join(f'{r:.2f}' for r in ratios)}); every item audited: "
        f"{audited == total == items1}"
    )
    print(
        f"  second poll, planner wall over reader's: "
        f"{second['wall'] / max(reader_second['wall'], 1e-9):.2f} x"
    )
    print(f"  first poll wall over the feedparser floor: {first['wall'] / floor_ours:.2f} x")
    print(f"  second poll wall over its floor: {second['wall'] / max(floor2_ours, 1e-9):.2f} x")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
