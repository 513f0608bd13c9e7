"""Workspaces with personas, channels, pieces and feed items, built through the services.

Shared by tests/mix_app and tests/curation (each conftest imports these fixtures). Feed
items go through the feeds engineer's parse and store code, as a poll stores them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import select

from planner.models import Workspace
from planner.models.feed import FeedItem
from planner.services import channels as channel_service
from planner.services.access import Actor
from planner.services.feeds import admin as feed_admin
from planner.services.feeds import parse_feed
from planner.services.feeds.store import store_entries
from planner.services.pieces import service as piece_service

# Monday 23 November 2026, noon in London (GMT, so UTC too).
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CLEAN = "Our help desk lets a small business answer customers faster."
OLIVIA = {
    "name": "Owner Olivia",
    "kind": "buyer",
    "summary": "Runs a ten-person business",
    "timezone": "Europe/London",
    "posting_windows": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "17:00"}
    ],
    "thresholds": None,
    "keywords": [{"term": "small business"}, {"term": "help desk"}],
}
# Items: (title, summary HTML). Pete (negative) scores on-premise 3, request for proposal 1;
# he warns at 2 and blocks at 5.
SUGGESTED = ("Help desk habits", "<p>A help desk keeps a small business answering customers.</p>")
WARNING = ("Hosting choices", "<p>Small business teams can also run it on-premise.</p>")
BLOCKING = (
    "RFP season",
    "<p>Send a request for proposal for an on-premise install, on-premise only, "
    "small business.</p>",
)


def rss(entries: list[tuple[str, str]], title: str) -> bytes:
    items = "".join(
        f"<item><guid isPermaLink='false'>item-{i}</guid><title>{escape(t)}</title>"
        f"<link>https://news.example/{i}</link>"
        f"<pubDate>Mon, {16 + i % 7:02d} Nov 2026 09:00:00 +0000</pubDate>"
        f"<description>{escape(summary)}</description></item>"
        for i, (t, summary) in enumerate(entries)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(title)}</title><link>https://news.example/</link>"
        f"<description>test</description>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def acme(session, make_user, actor_for, make_persona) -> dict:
    """Acme (Europe/London): owner, editor, viewer, Olivia (buyer), Pete (negative), channels."""
    owner = make_user("owner@example.com", "Acme", "owner")
    editor = make_user("ed@example.com", "Acme", "editor")
    viewer = make_user("vi@example.com", "Acme", "viewer")
    workspace = session.scalar(select(Workspace).where(Workspace.name == "Acme"))
    workspace.timezone = "Europe/London"
    session.commit()
    actor = actor_for(editor, "Acme")
    olivia = make_persona(actor, **OLIVIA)
    pete = make_persona(actor)
    blog = channel_service.create_channel(
        session, actor, {"name": "Blog", "kind": "blog", "min_gap_minutes": 240}
    )
    linkedin = channel_service.create_channel(
        session, actor, {"name": "LinkedIn", "kind": "linkedin"}
    )
    session.commit()
    return {
        "workspace": workspace,
        "owner": owner,
        "editor": editor,
        "viewer": viewer,
        "actor": actor,
        "owner_actor": actor_for(owner, "Acme"),
        "viewer_actor": actor_for(viewer, "Acme"),
        "olivia": olivia,
        "pete": pete,
        "blog": blog,
        "linkedin": linkedin,
    }


@pytest.fixture
def globex(session, make_user, actor_for, make_persona) -> dict:
    """Another workspace with its own channel, persona, curated pieces and a feed item."""
    owner = make_user("gus@example.com", "Globex", "owner")
    actor = actor_for(owner, "Globex")
    make_persona(actor, **{**OLIVIA, "name": "Globex Buyer"})
    channel_service.create_channel(session, actor, {"name": "globex-blog", "kind": "blog"})
    session.commit()
    return {"owner": owner, "actor": actor}


@pytest.fixture
def make_piece(session) -> Callable:
    def make(
        actor: Actor,
        *,
        at: datetime | None,
        origin: str = "own",
        status: str = "scheduled",
        channel: str | None = None,
        personas: tuple[str, ...] = (),
        title: str | None = None,
        body: str = CLEAN,
    ):
        piece = piece_service.create_piece(
            session,
            actor,
            {
                "title": title or f"{origin} piece at {at}",
                "body": body,
                "origin": origin,
                "status": status,
                "scheduled_at": at,
                "channel": channel,
                "target_personas": list(personas),
            },
        )
        session.commit()
        return piece

    return make


@pytest.fixture
def make_items(session) -> Callable:
    """Store items in a new feed of the workspace, audited like a poll stores them."""
    counter = iter(range(1, 10_000))

    def make(
        actor: Actor,
        entries: list[tuple[str, str]],
        *,
        channel: str | None = None,
        personas: list[str] | None = None,
        now: datetime = NOW,
    ) -> list[FeedItem]:
        number = next(counter)
        feed = feed_admin.add_feed(
            session,
            actor,
            {
                "url": f"http://127.0.0.1:9/feed-{number}.xml",
                "title": f"News {number}",
                "channel": channel,
                "personas": personas or [],
            },
            allow_private=True,
        )
        parsed = parse_feed(rss(entries, f"News {number}"), url=feed.url)
        store_entries(session, feed, parsed.entries, now)
        session.commit()
        by_title = {
            item.title: item
            for item in session.scalars(select(FeedItem).where(FeedItem.feed_id == feed.id))
        }
        return [by_title[title] for title, _ in entries]

    return make
