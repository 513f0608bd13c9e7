"""Audit pieces, keep every audit as history, and re-audit drafts when personas change.

A piece is audited against every active persona of its workspace (its targets are among
them), with its dismissed findings passed to the engine. Its title and summary are
audited with its body (each match says which `field` it is in); a title match weighs
what a body match weighs. An audit is kept only when something it depends on changed:
the title, summary, body or format, the targets, the dismissals (the `inputs_hash`) or
any persona's version (`persona_versions`). A new audit may make an owner's override
lapse (see `overrides`). A piece whose latest audit
was made with other persona versions than today's is *stale*: "re-audit pending".

When a persona's lexicon changes, every piece of the workspace that is not published is
re-audited (a published piece keeps the audit it went out with). Up to
`INLINE_REAUDIT_LIMIT` pieces, or with no task queue configured, that happens at once in
the same transaction; beyond it, with Redis, one job is queued once the transaction
commits (a job queued earlier could run before the new persona version is visible).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import Session, defer, selectinload

import nlp
from planner import queue
from planner.models import Persona, Piece, PieceAudit
from planner.services import audit as audit_service
from planner.services import lexicons as lexicon_service
from planner.services.access import Actor
from planner.services.pieces import overrides
from planner.services.pieces.summary import summarize, versions_key

log = logging.getLogger(__name__)

INLINE_REAUDIT_LIMIT = 200
REAUDIT_BATCH = 100
_DEFERRED = "planner.pieces.deferred_reaudits"
# The job, by dotted name: services sit below `planner.tasks` and never import it.
REAUDIT_JOB = "planner.tasks.reaudit_pieces"


@dataclass(frozen=True)
class AuditBasis:
    """The personas every audit of one workspace uses right now, loaded once per batch."""

    lexicons: list[nlp.PersonaLexicon]
    versions: dict[str, int]

    @property
    def active_ids(self) -> set[int]:
        return {int(key) for key in self.versions}


@dataclass(frozen=True)
class ReauditOutcome:
    audited: int
    queued: int = 0


def current_versions(session: Session, workspace_id: int) -> dict[str, int]:
    """`{persona id: version}` of the workspace's active personas: what a fresh audit uses."""
    rows = session.execute(
        select(Persona.id, Persona.version).where(
            Persona.workspace_id == workspace_id, Persona.archived_at.is_(None)
        )
    )
    return {str(persona_id): version for persona_id, version in rows}


def audit_basis(session: Session, workspace_id: int) -> AuditBasis:
    versions = current_versions(session, workspace_id)
    return AuditBasis(lexicon_service.workspace_lexicons(session, workspace_id), versions)


def text_hash(piece: Piece) -> str:
    """Fingerprint of the words a reader sees (title, summary, body) and how they are read."""
    payload = json.dumps([piece.format, piece.title, piece.summary or "", piece.body])
    return hashlib.sha256(payload.encode()).hexdigest()


def _inputs_hash(piece: Piece, targets: list[int], dismissed: list[list[object]]) -> str:
    payload = json.dumps(
        [piece.format, piece.title, piece.summary or "", piece.body, targets, dismissed],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def latest_audit(session: Session, piece_id: int) -> PieceAudit | None:
    query = select(PieceAudit).where(PieceAudit.piece_id == piece_id)
    return session.scalar(query.order_by(PieceAudit.id.desc()).limit(1))


def audit_history(session: Session, piece_id: int) -> list[PieceAudit]:
    """Every audit of a piece, newest first (the result JSON stays in the database)."""
    query = (
        select(PieceAudit)
        .where(PieceAudit.piece_id == piece_id)
        .options(defer(PieceAudit.result))
        .order_by(PieceAudit.id.desc())
    )
    return list(session.scalars(query))


def _latest_ids(piece_ids: Iterable[int]) -> Select[int]:
    return (
        select(func.max(PieceAudit.id))
        .where(PieceAudit.piece_id.in_(list(piece_ids)))
        .group_by(PieceAudit.piece_id)
    )


def latest_audits(
    session: Session, piece_ids: Iterable[int], *, with_result: bool = True
) -> dict[int, PieceAudit]:
    """The latest audit of each piece, in one query (lists: `with_result=False`)."""
    ids = list(piece_ids)
    if not ids:
        return {}
    query = select(PieceAudit).where(PieceAudit.id.in_(_latest_ids(ids)))
    if not with_result:
        query = query.options(defer(PieceAudit.result))
    rows = session.scalars(query)
    return {audit.piece_id: audit for audit in rows}


def latest_versions(session: Session, piece_ids: Iterable[int]) -> dict[int, dict]:
    """Each piece's latest `persona_versions`, without loading result JSON (page lists)."""
    ids = list(piece_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(PieceAudit.piece_id, PieceAudit.persona_versions).where(
            PieceAudit.id.in_(_latest_ids(ids))
        )
    )
    return {piece_id: versions for piece_id, versions in rows}


def history_counts(session: Session, piece_ids: Iterable[int]) -> dict[int, int]:
    ids = list(piece_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(PieceAudit.piece_id, func.count(PieceAudit.id))
        .where(PieceAudit.piece_id.in_(ids))
        .group_by(PieceAudit.piece_id)
    )
    return {piece_id: count for piece_id, count in rows}


def count_stale(session: Session, workspace_id: int) -> int:
    """How many unpublished pieces wait for a re-audit, counted from an index.

    Each piece keeps its latest audit's `audit_versions_key`; the fresh ones are those
    with today's key (`ix_piece_ws_audit_key`), the rest are stale or never audited.
    """
    current = versions_key(current_versions(session, workspace_id))
    fresh = session.scalar(
        select(func.count(Piece.id)).where(
            Piece.workspace_id == workspace_id,
            Piece.audit_versions_key == current,
            Piece.status != "published",
        )
    )
    return count_unpublished(session, workspace_id) - (fresh or 0)


def is_stale(piece: Piece, audited_versions: dict | None, basis_versions: dict[str, int]) -> bool:
    """Whether the piece waits for a re-audit: never for a published piece (it keeps its own)."""
    if piece.status == "published":
        return False
    return audited_versions is None or audited_versions != basis_versions


def audit_piece(
    session: Session,
    piece: Piece,
    *,
    trigger: str = "save",
    basis: AuditBasis | None = None,
) -> PieceAudit | None:
    """Audit the piece if anything its audit depends on changed; return the new audit.

    Returns None when the latest audit still holds, so saving an unchanged piece (or one
    whose channel or time alone changed) keeps its history short.
    """
    basis = basis or audit_basis(session, piece.workspace_id)
    active = basis.active_ids
    targets = sorted(p.id for p in piece.target_personas if p.id in active)
    dismissed = sorted(d.key for d in piece.dismissals)
    inputs = _inputs_hash(piece, targets, [list(key) for key in dismissed])
    latest = latest_audit(session, piece.id) if piece.id is not None else None
    if (
        latest is not None
        and latest.inputs_hash == inputs
        and latest.persona_versions == basis.versions
    ):
        return None
    result = audit_service.audit_lexicons(
        piece.body,
        piece.format,
        basis.lexicons,
        target_ids=targets,
        dismissed=dismissed,
        title=piece.title,
        summary=piece.summary or None,
    )
    stored = audit_service.compact_for_storage(result.to_dict())
    audit = PieceAudit(
        piece=piece,
        trigger=trigger,
        verdict=result.verdict,
        result=stored,
        summary=summarize(stored),
        persona_versions=dict(basis.versions),
        text_hash=text_hash(piece),
        inputs_hash=inputs,
    )
    piece.verdict = result.verdict
    piece.audit_versions_key = versions_key(basis.versions)
    session.add(audit)
    session.flush()
    overrides.reconcile(piece, stored)
    return audit


def preview(
    session: Session,
    actor: Actor,
    piece: Piece,
    text: str,
    fmt: str,
    target_ids: list[int],
    *,
    title: str | None = None,
    summary: str | None = None,
) -> nlp.AuditResult:
    """Audit unsaved text as the piece would be audited: with the piece's dismissals."""
    dismissed = [d.key for d in piece.dismissals]
    return audit_service.audit_text(
        session,
        actor,
        text,
        fmt,
        target_ids=target_ids,
        dismissed=dismissed,
        title=title,
        summary=summary,
    )


def _unpublished(workspace_id: int) -> Select[Piece]:
    return select(Piece).where(Piece.workspace_id == workspace_id, Piece.status != "published")


def count_unpublished(session: Session, workspace_id: int) -> int:
    query = select(func.count()).select_from(_unpublished(workspace_id).subquery())
    return session.scalar(query) or 0


def reaudit_batch(
    session: Session,
    workspace_id: int,
    *,
    after_id: int = 0,
    limit: int = REAUDIT_BATCH,
    trigger: str = "persona_change",
) -> tuple[int, int | None]:
    """Re-audit up to `limit` unpublished pieces with ids above `after_id`.

    Returns how many got a new audit and the last id looked at (None when none was left),
    so a job can commit between batches and resume where it stopped.
    """
    pieces = list(
        session.scalars(
            _unpublished(workspace_id)
            .where(Piece.id > after_id)
            .options(selectinload(Piece.target_personas), selectinload(Piece.dismissals))
            .order_by(Piece.id)
            .limit(limit)
        )
    )
    if not pieces:
        return 0, None
    basis = audit_basis(session, workspace_id)
    audited = sum(
        audit_piece(session, piece, trigger=trigger, basis=basis) is not None for piece in pieces
    )
    return audited, pieces[-1].id


def reaudit_workspace(session: Session, workspace_id: int, trigger: str = "persona_change") -> int:
    """Re-audit every unpublished piece of the workspace now; returns how many changed."""
    total = 0
    after: int | None = 0
    while after is not None:
        audited, after = reaudit_batch(session, workspace_id, after_id=after, trigger=trigger)
        total += audited
    return total


def queue_available() -> bool:
    """Whether a task queue (Redis) is configured; without one, big re-audits run inline."""
    return queue.redis_url() is not None


def _reaudit_or_queue(
    session: Session, workspace_id: int, persona_id: int | None, trigger: str
) -> ReauditOutcome:
    pending = count_unpublished(session, workspace_id)
    if pending > INLINE_REAUDIT_LIMIT and queue_available():
        session.info.setdefault(_DEFERRED, set()).add((workspace_id, persona_id))
        return ReauditOutcome(audited=0, queued=pending)
    return ReauditOutcome(audited=reaudit_workspace(session, workspace_id, trigger))


def reaudit_for_persona(session: Session, persona: Persona) -> ReauditOutcome:
    """Bring the workspace's drafts up to date after `persona`'s lexicon changed."""
    return _reaudit_or_queue(session, persona.workspace_id, persona.id, "persona_change")


def persona_lexicon_changed(session: Session, persona: Persona) -> None:
    """The personas domain's lexicon listener (wired in `planner.hooks`): re-audit drafts."""
    reaudit_for_persona(session, persona)


def reaudit_stale(session: Session, actor: Actor) -> ReauditOutcome:
    """Re-audit the workspace's stale drafts (e.g. after a persona was added or archived)."""
    actor.require("editor", "re-audit pieces")
    return _reaudit_or_queue(session, actor.workspace_id, None, "reaudit")


@event.listens_for(Session, "after_commit")
def _queue_deferred(session: Session) -> None:
    pending = session.info.pop(_DEFERRED, None)
    if not pending:
        return
    for workspace_id, persona_id in sorted(pending, key=lambda p: (p[0], p[1] or 0)):
        try:
            queue.enqueue(REAUDIT_JOB, workspace_id, persona_id)
        except Exception:  # the pieces stay stale, shown as "re-audit pending"
            log.exception("could not queue the re-audit of workspace %s", workspace_id)


@event.listens_for(Session, "after_rollback")
def _forget_deferred(session: Session) -> None:
    session.info.pop(_DEFERRED, None)
