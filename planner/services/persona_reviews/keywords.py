"""What a persona's keywords matched in a period: counts, dead keywords, flagged pieces.

Read from the stored audits, never by auditing again. A 5,000-piece workspace holds
~15 KB or more of audit JSON per piece (parsing it all took 3.5 s), so pieces are counted
from the small stored summary (`PieceAudit.summary`, whose persona entries carry `terms`);
the full result is loaded only for audits stored before summaries had `terms` in which
this persona scored, and for the feed items whose match counts say a persona of its kind
did (`FeedItem.buyer_matches`, `negative_matches`). Each piece counts once, by its latest
audit made in the period. Dismissed matches do not count, as in the audit's own score.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from planner.models import FeedItem, Persona, Piece, PieceAudit, piece_persona
from planner.services.pieces.summary import term_counts

CHUNK = 500
FLAGGED_ROWS = 50
NEGATIVE_FLAGS = ("warn", "block")


@dataclass
class KeywordCount:
    term: str
    pieces: int = 0
    items: int = 0
    matches: int = 0

    @property
    def texts(self) -> int:
        return self.pieces + self.items


@dataclass(frozen=True)
class FlaggedPiece:
    id: int
    title: str
    status: str
    level: str  # warn | block, or "missed" for a buyer persona a target piece never speaks to
    score: float


@dataclass
class KeywordEvidence:
    """The period's keyword counts (every current keyword, most matched first)."""

    counts: list[KeywordCount]
    pieces_read: int
    items_read: int
    flagged: list[FlaggedPiece] = field(default_factory=list)
    flagged_total: int = 0

    @property
    def dead(self) -> list[str]:
        """Current keywords that matched nothing in the period's drafts and feed items."""
        return [c.term for c in self.counts if c.matches == 0]

    @property
    def matched(self) -> list[KeywordCount]:
        return [c for c in self.counts if c.matches > 0]


def _entry(personas: Iterable[dict[str, Any]], persona_id: int) -> dict[str, Any] | None:
    for entry in personas or ():
        if str(entry.get("id")) == str(persona_id):
            return entry
    return None


def _add(counts: dict[str, KeywordCount], terms: dict[str, int], *, item: bool) -> None:
    for term, n in terms.items():
        found = counts.get(term)
        if found is not None and n:
            found.matches += n
            if item:
                found.items += 1
            else:
                found.pieces += 1


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _latest_audits(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> list[tuple[int, int, dict | None]]:
    """(audit id, piece id, summary) of each piece's latest audit made in the period."""
    latest = (
        select(func.max(PieceAudit.id))
        .join(Piece, Piece.id == PieceAudit.piece_id)
        .where(
            Piece.workspace_id == workspace_id,
            PieceAudit.created_at >= since,
            PieceAudit.created_at <= until,
        )
        .group_by(PieceAudit.piece_id)
    )
    rows = session.execute(
        select(PieceAudit.id, PieceAudit.piece_id, PieceAudit.summary).where(
            PieceAudit.id.in_(latest)
        )
    )
    return [(row.id, row.piece_id, row.summary) for row in rows]


def keyword_evidence(
    session: Session, persona: Persona, since: datetime, until: datetime
) -> KeywordEvidence:
    """Count the persona's keyword matches in pieces audited and feed items seen in the period."""
    counts = {k.term: KeywordCount(k.term) for k in persona.keywords}
    audits = _latest_audits(session, persona.workspace_id, since, until)
    scored: list[int] = []  # older audits whose summary has no `terms` but says it scored
    flags: dict[int, tuple[str, float]] = {}  # piece id -> (level, score)
    missed: dict[int, float] = {}  # buyer persona: pieces where it scored nothing
    for audit_id, piece_id, summary in audits:
        entry = _entry((summary or {}).get("personas") or (), persona.id)
        if entry is not None and "terms" in entry:
            _add(counts, entry["terms"], item=False)
        elif summary is None or (entry is not None and (entry.get("score") or 0) > 0):
            scored.append(audit_id)
        if entry is None:
            continue
        level = str(entry.get("level"))
        if persona.kind == "negative" and level in NEGATIVE_FLAGS:
            flags[piece_id] = (level, float(entry.get("score") or 0))
        elif persona.kind == "buyer" and level == "none":
            missed[piece_id] = 0.0
    if missed:  # a buyer persona "warns" only on the pieces that target it
        targeted = _targeting(session, persona.id, list(missed))
        flags.update({pid: ("missed", 0.0) for pid in targeted})
    for chunk in _chunks(scored):
        rows = session.execute(select(PieceAudit.result).where(PieceAudit.id.in_(chunk))).scalars()
        for result in rows:
            entry = _entry((result or {}).get("personas") or (), persona.id)
            _add(counts, term_counts(entry or {}), item=False)
    items_read = _item_counts(session, persona, since, until, counts)
    ordered = sorted(counts.values(), key=lambda c: (-c.matches, -c.texts, c.term.casefold()))
    flagged = _flagged_pieces(session, flags)
    return KeywordEvidence(
        ordered, len(audits), items_read, flagged[:FLAGGED_ROWS], flagged_total=len(flagged)
    )


def _targeting(session: Session, persona_id: int, piece_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(piece_ids):
        found.update(
            session.scalars(
                select(piece_persona.c.piece_id).where(
                    piece_persona.c.persona_id == persona_id,
                    piece_persona.c.piece_id.in_(chunk),
                )
            )
        )
    return found


def _item_counts(
    session: Session,
    persona: Persona,
    since: datetime,
    until: datetime,
    counts: dict[str, KeywordCount],
) -> int:
    """Add feed items' matches to `counts`; return how many items the period brought."""
    seen = or_(
        FeedItem.first_seen_at.between(since, until), FeedItem.changed_at.between(since, until)
    )
    where = (FeedItem.workspace_id == persona.workspace_id, seen)
    total = session.scalar(select(func.count()).select_from(FeedItem).where(*where)) or 0
    kind_count = FeedItem.negative_matches if persona.kind == "negative" else FeedItem.buyer_matches
    ids = list(session.scalars(select(FeedItem.id).where(*where, kind_count > 0)))
    for chunk in _chunks(ids):
        for audit in session.scalars(select(FeedItem.audit).where(FeedItem.id.in_(chunk))):
            entry = _entry((audit or {}).get("personas") or (), persona.id)
            _add(counts, term_counts(entry or {}), item=True)
    return total


def _flagged_pieces(session: Session, flags: dict[int, tuple[str, float]]) -> list[FlaggedPiece]:
    """The flagged pieces, blocks first, then by score and title."""
    pieces: list[FlaggedPiece] = []
    for chunk in _chunks(list(flags)):
        rows = session.execute(
            select(Piece.id, Piece.title, Piece.status).where(Piece.id.in_(chunk))
        )
        for row in rows:
            level, score = flags[row.id]
            pieces.append(FlaggedPiece(row.id, row.title, row.status, level, score))
    order = {"block": 0, "warn": 1, "missed": 2}
    return sorted(pieces, key=lambda p: (order.get(p.level, 3), -p.score, p.title, p.id))
