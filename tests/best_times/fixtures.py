"""Stored engagement histories: one published piece per result, targeting the persona."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from planner.models import EngagementRow, EngagementSource, Piece
from tests.best_times.history import Planted, planted_history


@pytest.fixture
def buyer(make_persona, acme):
    """Bea, a buyer persona in New York reading Mon-Fri 08:00-09:00."""
    return make_persona(
        acme["owner_actor"],
        name="Buyer Bea",
        kind="buyer",
        thresholds=None,
        posting_windows=[
            {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "09:00"}
        ],
        keywords=[{"term": "small business"}],
    )


@pytest.fixture
def plant_history(session) -> Callable:
    """Store a generated history for a persona: pieces targeting it and their results."""

    def plant(persona, *, posts: int = 300, peak: Planted = Planted(), channel=None, **kw):
        source = (
            session.query(EngagementSource)
            .filter_by(workspace_id=persona.workspace_id, name="generated")
            .one_or_none()
        )
        if source is None:
            source = EngagementSource(workspace_id=persona.workspace_id, name="generated")
            session.add(source)
            session.flush()
        results = planted_history(persona.timezone, posts=posts, peak=peak, **kw)
        pieces = [
            Piece(
                workspace_id=persona.workspace_id,
                title=f"Post {n}",
                status="published",
                scheduled_at=r.published_at,
                target_personas=[persona],
            )
            for n, r in enumerate(results)
        ]
        session.add_all(pieces)
        session.flush()
        session.add_all(
            EngagementRow(
                workspace_id=persona.workspace_id,
                source_id=source.id,
                row_key=f"{persona.id}-{channel}-{n}",
                line=n + 2,
                published_at=r.published_at,
                channel=channel,
                piece_id=piece.id,
                impressions=r.impressions,
                engagements=r.engagements,
            )
            for n, (r, piece) in enumerate(zip(results, pieces, strict=True))
        )
        session.commit()
        return results

    return plant
