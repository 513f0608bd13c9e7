"""A JSON Feed served over HTTP is polled, stored and audited like an RSS feed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from planner.models.feed import Feed, FeedItem
from planner.services.feeds import polling
from tests.feed_polling.helpers import Page
from tests.reader.helpers import json_feed

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_a_json_feed_is_polled_into_the_inbox(client, login, session, acme, site):
    body = json_feed(
        [
            {
                "id": "j1",
                "url": "https://json.example/1",
                "title": "Help desk tips",
                "content_html": "<p>A help desk for a small business.<script>x()</script></p>",
            }
        ]
    )
    url = site.set("/feed.json", Page(body, 200, {"Content-Type": "application/feed+json"}))
    session.add(Feed(workspace_id=acme["workspace"].id, url=url, next_poll_at=NOW))
    session.commit()
    for _ in polling.poll_due(session, NOW, allow_private=True, include_not_due=True):
        session.commit()
    feed = session.scalar(select(Feed).where(Feed.url == url))
    item = session.scalar(select(FeedItem).where(FeedItem.feed_id == feed.id))
    assert feed.title == "JSON News" and feed.last_error is None
    assert item.title == "Help desk tips" and "script" not in item.summary_html
    assert item.suggested  # audited: it speaks to Owner Olivia (help desk, small business)
    login(acme["editor"])
    assert "Help desk tips" in client.get("/feeds/inbox").get_data(as_text=True)
