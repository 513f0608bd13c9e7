"""The publishing gate on blocked pieces, the owner's override, and dismissed findings.

The rule: a piece whose latest verdict is `block` cannot move to `scheduled` or
`published`, unless an owner's override is in force (see `overrides`: it approves the
blocking matches it was given on and lapses when an audit finds a new one).

A dismissal says "this match is fine here" for one wording of one keyword of one persona;
see `FindingDismissal`. It changes the audit's inputs, so the piece is re-audited at once.
A published piece's audit is history: it takes no new dismissals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import Conflict, NotFound, ValidationError
from planner.models import FindingDismissal, Persona, Piece, PieceAudit, PieceEvent
from planner.services.access import MAX_ID, Actor
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import overrides
from planner.services.pieces.overrides import clean_reason

GATED_STATUSES = ("scheduled", "published")


@dataclass(frozen=True)
class ReviewState:
    """What the editor and the API show about a piece's audit."""

    latest: PieceAudit | None
    stale: bool
    history_count: int
    override_active: bool


def review_states(
    session: Session, workspace_id: int, pieces: list[Piece], *, with_result: bool = True
) -> dict[int, ReviewState]:
    """The review state of many pieces of one workspace, in a handful of queries.

    Without `with_result`, the audits' result JSON stays in the database (lists show
    `PieceAudit.summary`); reading `latest.result` then costs a query per audit.
    """
    ids = [piece.id for piece in pieces]
    latest = piece_audits.latest_audits(session, ids, with_result=with_result)
    counts = piece_audits.history_counts(session, ids)
    current = piece_audits.current_versions(session, workspace_id)
    states = {}
    for piece in pieces:
        audit = latest.get(piece.id)
        audited = audit.persona_versions if audit is not None else None
        states[piece.id] = ReviewState(
            latest=audit,
            stale=piece_audits.is_stale(piece, audited, current),
            history_count=counts.get(piece.id, 0),
            override_active=overrides.in_force(piece),
        )
    return states


def review_state(session: Session, piece: Piece) -> ReviewState:
    return review_states(session, piece.workspace_id, [piece])[piece.id]


def check_gate(
    session: Session,
    piece: Piece,
    *,
    moved: bool,
    text_changed: bool,
    lapse: PieceEvent | None = None,
) -> None:
    """Refuse a save that would leave a blocked, un-overridden piece scheduled or published.

    Only a save that moves the piece into those states, or changes its text while it is
    in them, is refused: fixing a typo in the title of a piece that a persona change has
    since blocked still saves (the calendar check flags it). `lapse` is the override that
    this very save made lapse, so the message can name the new words.
    """
    if piece.status not in GATED_STATUSES or not (moved or text_changed):
        return
    latest = piece_audits.latest_audit(session, piece.id)
    if latest is None or latest.verdict != "block" or overrides.in_force(piece):
        return
    if lapse is not None:
        message = f"{lapse.message} So this piece cannot be {piece.status} as it is."
    else:
        message = f"This piece is blocked by its audit, so it cannot be {piece.status}."
    raise ValidationError(
        f"{message} Rework the marked words, dismiss findings that do not apply, or ask "
        "an owner to override.",
        {"status": f"blocked by the audit; cannot be {piece.status} without an override"},
    )


def override(session: Session, actor: Actor, piece: Piece, reason: Any) -> Piece:
    """Let an owner approve a blocked piece for scheduling, recording who, when and why."""
    actor.require("owner", "override a blocked audit")
    text = clean_reason(reason)
    latest = piece_audits.latest_audit(session, piece.id)
    if latest is None or latest.verdict != "block":
        verdict = latest.verdict if latest else "not audited"
        raise Conflict(f"Only a blocked piece needs an override; this one is {verdict}.")
    overrides.give(session, actor, piece, latest.result, text)
    return piece


def override_in_save(session: Session, actor: Actor, piece: Piece, reason: Any) -> None:
    """An override sent with a save (editor, API): given only if the new audit blocks."""
    if reason is None or (isinstance(reason, str) and not reason.strip()):
        return
    actor.require("owner", "override a blocked audit")
    text = clean_reason(reason, "override_reason")
    latest = piece_audits.latest_audit(session, piece.id)
    if latest is not None and latest.verdict == "block":
        overrides.give(session, actor, piece, latest.result, text)


def _published_audit(piece: Piece) -> None:
    if piece.status == "published":
        raise Conflict(
            f"“{piece.title}” is published: its audit is history and takes no dismissals. "
            "An owner can unpublish it first."
        )


def _persona(session: Session, workspace_id: int, value: Any) -> Persona:
    query = select(Persona).where(Persona.workspace_id == workspace_id)
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        in_range = 0 < value <= MAX_ID  # beyond the id column: no such persona
        persona = session.scalar(query.where(Persona.id == value)) if in_range else None
    elif isinstance(value, str) and value.strip():
        wanted = value.strip().casefold()
        persona = next((p for p in session.scalars(query) if p.name.casefold() == wanted), None)
    else:
        raise ValidationError("Name the persona.", {"persona": "is required (an id or a name)"})
    if persona is None:
        raise ValidationError("Unknown persona.", {"persona": f"no persona {value!r} here"})
    return persona


def dismiss(session: Session, actor: Actor, piece: Piece, data: Any) -> FindingDismissal:
    """Dismiss one wording of a match in the latest audit, then re-audit the piece.

    `data` is `{persona, term, text, reason}`: `persona` an id or a name, `term` the
    keyword and `text` the words matched, as in the audit JSON.
    """
    actor.require("editor", "dismiss findings")
    _published_audit(piece)
    if not isinstance(data, dict):
        raise ValidationError("Send persona, term, text and reason.", {"": "must be an object"})
    reason = clean_reason(data.get("reason"))
    persona = _persona(session, piece.workspace_id, data.get("persona"))
    term, text = data.get("term"), data.get("text")
    if not isinstance(term, str) or not term:
        raise ValidationError("Name the keyword.", {"term": "is required"})
    if not isinstance(text, str) or not text:
        raise ValidationError("Give the matched words.", {"text": "is required"})
    latest = piece_audits.latest_audit(session, piece.id)
    matches = [
        m
        for p in (latest.result.get("personas", []) if latest else [])
        if p.get("id") == persona.id
        for m in p.get("matches", [])
    ]
    key = (persona.id, term, text.casefold())
    if not any((persona.id, m["term"], m["text"].casefold()) == key for m in matches):
        raise ValidationError(
            "The latest audit has no such match to dismiss.",
            {"text": f"{text!r} is not a match of {term!r} for {persona.name} in this piece"},
        )
    if any(d.key == key for d in piece.dismissals):
        raise Conflict(f"{text!r} is already dismissed for {persona.name}.")
    dismissal = FindingDismissal(
        persona_id=persona.id,
        term=term,
        matched_text=text.casefold(),
        reason=reason,
        dismissed_by=actor.user_id,
    )
    piece.dismissals.append(dismissal)
    session.flush()
    piece_audits.audit_piece(session, piece, trigger="dismissal")
    return dismissal


def undo_dismissal(session: Session, actor: Actor, piece: Piece, dismissal_id: Any) -> None:
    """Count a dismissed wording again, and re-audit the piece."""
    actor.require("editor", "undo dismissals")
    _published_audit(piece)
    found = next((d for d in piece.dismissals if str(d.id) == str(dismissal_id)), None)
    if found is None:
        raise NotFound(f"No dismissal {dismissal_id} on this piece.")
    piece.dismissals.remove(found)
    session.flush()
    piece_audits.audit_piece(session, piece, trigger="dismissal_undone")


@dataclass(frozen=True)
class DismissableMatch:
    """One wording of a negative persona's keyword in an audit, as the editor lists them."""

    persona_id: int
    persona: str
    term: str
    text: str
    count: int
    line: int
    start: int
    suggest: str | None


def dismissable_matches(result: dict | None) -> list[DismissableMatch]:
    """Counted matches of negative personas, one entry per wording, in text order."""
    found: dict[tuple, DismissableMatch] = {}
    for persona in (result or {}).get("personas", []):
        if persona.get("kind") != "negative":
            continue
        for match in persona.get("matches", []):
            if match.get("dismissed"):
                continue
            key = (persona["id"], match["term"], match["text"].casefold())
            seen = found.get(key)
            found[key] = DismissableMatch(
                persona_id=persona["id"],
                persona=persona["name"],
                term=match["term"],
                text=match["text"] if seen is None else seen.text,
                count=1 if seen is None else seen.count + 1,
                line=match["line"] if seen is None else seen.line,
                start=match["start"] if seen is None else seen.start,
                suggest=match.get("suggest"),
            )
    return sorted(found.values(), key=lambda m: (m.start, m.persona))
