"""Stored audits are O(keywords), not O(text): matches are capped per term and counted.

A 75 KB keyword-dense piece stored 952 KB of audit JSON per save.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from planner.models import PieceAudit
from planner.models.feed import Feed, FeedItem
from planner.services import audit as audit_service
from planner.services import lexicons as lexicon_service
from planner.services.feeds import polling
from planner.services.pieces import service as piece_service
from tests.feed_polling.helpers import Entry

SENTENCE = (
    "Our on-premise install suits every small business: one invoice, "
    "no request for proposal, and on premise support. "
)
CAP = audit_service.STORED_MATCHES_PER_TERM


def _dense(size: int) -> str:
    return SENTENCE * (size // len(SENTENCE) + 1)


def _full_audit(session, editor, text: str, fmt: str = "markdown", title=None) -> dict:
    lexicons = lexicon_service.workspace_lexicons(session, editor.workspace_id, None)
    return audit_service.audit_lexicons(text, fmt, lexicons, title=title).to_dict()


def _check_compacted(stored: dict, full: dict) -> None:
    """Same verdict and scores; per term at most CAP (plus one per other wording)."""
    assert stored["verdict"] == full["verdict"]
    by_id = {p["id"]: p for p in full["personas"]}
    for persona in stored["personas"]:
        original = by_id[persona["id"]]
        assert (persona["score"], persona["level"]) == (original["score"], original["level"])
        omitted = persona.get("omitted", {})
        assert len(persona["matches"]) + sum(omitted.values()) == len(original["matches"])
        for term in {m["term"] for m in original["matches"]}:
            kept = [m for m in persona["matches"] if m["term"] == term]
            wordings = {m["text"].casefold() for m in kept}
            assert len(kept) <= CAP + len(wordings)
            assert len(kept) + omitted.get(term, 0) == sum(
                1 for m in original["matches"] if m["term"] == term
            )
        assert persona["matches"] == sorted(persona["matches"], key=lambda m: m["start"])
    positioned = [f for f in full["findings"] if f["start"] is not None]
    assert len(stored["findings"]) + stored.get("omitted_findings", 0) == len(full["findings"])
    assert len(stored["findings"]) < len(positioned)


def test_a_keyword_dense_piece_stores_a_bounded_audit(session, editor):
    body = _dense(75_000)
    piece = piece_service.create_piece(
        session, editor, {"title": "Dense", "body": body, "format": "markdown"}
    )
    session.commit()
    stored = session.scalar(select(PieceAudit.result).where(PieceAudit.piece_id == piece.id))
    full = _full_audit(session, editor, body, title="Dense")
    _check_compacted(stored, full)
    pete = next(p for p in stored["personas"] if p["name"] == "Enterprise Procurement Pete")
    assert pete["omitted"]["on-premise"] > 1000
    # Both wordings of the keyword are kept: overrides and dismissals key on the wording.
    assert {m["text"].casefold() for m in pete["matches"]} >= {"on-premise", "on premise"}
    full_size, stored_size = len(json.dumps(full)), len(json.dumps(stored))
    print(f"audit JSON for a {len(body):,}-char piece: {full_size:,} -> {stored_size:,} bytes")
    assert stored_size < 40_000 < full_size


def test_stored_size_does_not_grow_with_the_text(session, editor):
    sizes = []
    for size in (20_000, 80_000):
        piece = piece_service.create_piece(
            session, editor, {"title": f"Dense {size}", "body": _dense(size), "format": "markdown"}
        )
        session.commit()
        result = session.scalar(select(PieceAudit.result).where(PieceAudit.piece_id == piece.id))
        sizes.append(len(json.dumps(result)))
    assert sizes[1] < sizes[0] * 1.1


def test_a_feed_items_stored_audit_is_compacted(session, editor, site):
    summary = f"<p>{_dense(6_000)}</p>"
    url = site.feed("/dense.xml", [Entry("d", "Dense post", summary, "https://example.com/d")])
    feed = Feed(workspace_id=editor.workspace_id, url=url)
    session.add(feed)
    session.commit()
    outcome = polling.poll_feed(session, feed.id, allow_private=True)
    session.commit()
    assert outcome.new_items == 1
    item = session.scalar(select(FeedItem))
    full = _full_audit(session, editor, item.summary_html, "html", title=item.title)
    _check_compacted(item.audit, full)
    assert item.verdict == full["verdict"] == "block"
