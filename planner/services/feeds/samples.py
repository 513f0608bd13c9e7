"""Demo feeds: sample documents shipped in `planner/demo/feeds/`, imported without a network.

`flask demo load` must work offline, so the demo does not subscribe to real feeds. Each
sample file becomes a feed whose URL is the file's name, paused as a "demo sample" (there
is nothing to poll), and its entries go through the same parse, store and audit code a
poll uses. Loading twice changes nothing (feeds are matched by URL, items by identity).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from planner.models import utcnow
from planner.models.feed import PAUSED_INDEFINITELY, Feed
from planner.services.access import Actor, scoped

from .parse import parse_feed
from .store import LexiconSource, store_entries

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "demo" / "feeds"
DEMO_REASON = "demo sample: items imported from a file, not polled"


def load_demo(session: Session, actor: Actor) -> list[Feed]:
    """One paused demo feed per sample file, with its items audited (idempotent)."""
    now = utcnow()
    feeds = []
    lexicons = LexiconSource(session, actor.workspace_id)
    for path in sorted(SAMPLES_DIR.glob("*.xml")):
        parsed = parse_feed(path.read_bytes(), url=path.name, content_type="application/xml")
        feed = session.scalar(scoped(Feed, actor.workspace_id).where(Feed.url == path.name))
        if feed is None:
            feed = Feed(workspace_id=actor.workspace_id, url=path.name, title=parsed.title or "")
            session.add(feed)
        feed.site_url = parsed.site_url
        feed.paused_until = PAUSED_INDEFINITELY
        feed.pause_reason = DEMO_REASON
        feed.last_status = "paused"
        feed.last_polled_at = feed.last_polled_at or now
        session.flush()
        store_entries(session, feed, parsed.entries, now, lexicons)
        feeds.append(feed)
    return feeds
