"""The demo workspace's dashboard shows a real mix: a few demo items are curated, once."""

from __future__ import annotations

from sqlalchemy import func, select

from planner.models import Piece
from planner.models.feed import FeedItem
from planner.services import demo
from planner.services.access import Actor
from planner.services.mix import service as mix_service


def test_demo_load_curates_three_items_and_stays_idempotent(session):
    login = demo.load_demo(session)
    session.commit()
    demo.load_demo(session)
    session.commit()
    curated = session.scalars(select(Piece).where(Piece.origin == "curated")).all()
    assert len(curated) == 3
    assert session.scalar(select(func.count()).where(FeedItem.state == "curated")) == 3
    assert {p.channel.name for p in curated} == {"linkedin"}
    assert all(p.status == "scheduled" and p.verdict == "pass" for p in curated)
    workspace_id = curated[0].workspace_id
    actor = Actor(user_id=None, workspace_id=workspace_id, role="owner")
    result = mix_service.workspace_mix(session, actor)
    assert result.curated == 3 and result.own > 0 and result.status != "no_content"
    assert login.email == demo.DEMO_EMAIL
