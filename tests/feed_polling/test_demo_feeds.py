"""The demo's sample feeds: imported offline through the polling code path, idempotently."""

from __future__ import annotations

from sqlalchemy import func, select

from planner.models.feed import Feed, FeedItem
from planner.services.feeds import polling
from planner.services.feeds.samples import DEMO_REASON, SAMPLES_DIR


def test_demo_load_imports_sample_feeds_paused_and_audited(runner, session, client, login):
    outputs = []
    for _ in range(2):  # idempotent
        result = runner.invoke(args=["demo", "load"])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    password = outputs[0].split("demo@example.com / ")[1].split()[0]
    feeds = list(session.scalars(select(Feed).order_by(Feed.url)))
    assert [f.url for f in feeds] == sorted(p.name for p in SAMPLES_DIR.glob("*.xml"))
    assert all(f.pause_reason == DEMO_REASON and f.is_paused() for f in feeds)
    items = list(session.scalars(select(FeedItem)))
    assert len(items) == session.scalar(select(func.count(func.distinct(FeedItem.identity))))
    assert len(items) >= 10 and all(i.audit is not None for i in items)
    assert any(i.suggested for i in items) and any(i.verdict == "block" for i in items)
    assert polling.due_feed_ids(session, feeds[0].created_at) == []  # nothing to poll
    login("demo@example.com", password)
    inbox = client.get("/feeds/inbox").get_data(as_text=True)
    assert "Taming the shared inbox" in inbox and "Running an RFP" not in inbox
    page = client.get("/feeds/").get_data(as_text=True)
    assert "Paused" in page and "demo sample" in page
