"""A workspace with personas, pieces and feed items whose verdicts a persona change can move."""

from __future__ import annotations

from sqlalchemy import func, select

from planner.models import Feed, FeedItem, Persona, Piece, PieceAudit
from planner.services import audit as audit_service
from planner.services import lexicons as lexicon_service
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import service as piece_service

SOON = "2026-12-01T09:00:00+01:00"
FREE = "Start your free plan today: our help desk suits a small business."
CLEAN = "Our help desk lets a small business answer customers faster."
ONPREM = "Our help desk also runs on-premise for small business teams."


def add_piece(session, actor, title: str, body: str, **fields) -> Piece:
    piece = piece_service.create_piece(session, actor, {"title": title, "body": body, **fields})
    session.commit()
    return piece


def add_item(session, workspace_id: int, title: str, summary: str) -> FeedItem:
    """A feed item stored and audited as the poller stores one."""
    feed = session.scalar(select(Feed).where(Feed.workspace_id == workspace_id))
    if feed is None:
        feed = Feed(workspace_id=workspace_id, url="https://news.example/feed", title="News")
        session.add(feed)
        session.flush()
    result = audit_service.audit_lexicons(
        summary,
        "html",
        lexicon_service.workspace_lexicons(session, workspace_id),
        title=title,
    )
    item = FeedItem(
        feed_id=feed.id,
        workspace_id=workspace_id,
        identity=title,
        title=title,
        summary_html=summary,
        summary_text=summary,
        content_hash=title,
        audit=result.to_dict(),
        verdict=result.verdict,
        persona_versions=piece_audits.current_versions(session, workspace_id),
    )
    session.add(item)
    session.commit()
    return item


def snapshot(session) -> dict:
    """What a preview must leave alone: persona versions, audits, verdicts."""
    return {
        "personas": sorted(
            session.execute(select(Persona.id, Persona.version, Persona.revision)).all()
        ),
        "audits": session.scalar(select(func.count(PieceAudit.id))),
        "pieces": sorted(session.execute(select(Piece.id, Piece.verdict, Piece.version)).all()),
        "items": sorted(session.execute(select(FeedItem.id, FeedItem.verdict)).all()),
    }
