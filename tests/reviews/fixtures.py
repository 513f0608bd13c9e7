"""Review fixtures: Pete with a keyword nothing uses, and feed items with stored audits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from planner.models import Feed, FeedItem, utcnow
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona
from tests.helpers import persona_doc

DEAD_WORD = "procurement portal"


@pytest.fixture
def pete_with_dead_word(session, acme):
    """Pete with a third keyword, "procurement portal", that no text below contains."""
    keywords = persona_doc()["keywords"] + [{"term": DEAD_WORD}]
    persona_service.update_persona(
        session, acme["owner_actor"], acme["pete"], validate_persona(persona_doc(keywords=keywords))
    )
    session.commit()
    return acme["pete"]


@pytest.fixture
def feed_item(session, acme) -> Callable:
    """Store a feed item whose stored audit gives Pete `terms` (term -> matches)."""
    feed = Feed(workspace_id=acme["pete"].workspace_id, url="https://example.com/feed.xml")
    session.add(feed)
    session.flush()

    def make(terms: dict[str, int], seen: datetime | None = None) -> FeedItem:
        pete = acme["pete"]
        matches = [
            {"term": term, "text": term, "dismissed": False}
            for term, count in terms.items()
            for _ in range(count)
        ]
        audit = {
            "verdict": "warn",
            "personas": [
                {"id": pete.id, "name": pete.name, "kind": "negative", "score": 2.0,
                 "level": "warn", "matches": matches},
            ],
        }  # fmt: skip
        item = FeedItem(
            feed_id=feed.id,
            workspace_id=pete.workspace_id,
            identity=f"item-{len(terms)}-{sorted(terms)}",
            content_hash="x",
            title="An item",
            audit=audit,
            verdict="warn",
            negative_matches=1 if matches else 0,
            first_seen_at=seen or utcnow(),
        )
        session.add(item)
        session.commit()
        return item

    return make
