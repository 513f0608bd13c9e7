"""Piece endpoints: drafts and scheduled posts, their latest audit, dismissals, overrides."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request, url_for

from planner.api import bp, etag, json_body
from planner.api.pieces_openapi import DEFAULT_LIMIT, INCLUDES, MAX_LIMIT
from planner.errors import ValidationError
from planner.extensions import db
from planner.models import FindingDismissal, Piece, PieceEvent
from planner.services.pieces import review as piece_review
from planner.services.pieces import service as piece_service
from planner.services.pieces.review import ReviewState
from planner.services.pieces.summary import summarize


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def dismissal_json(d: FindingDismissal) -> dict[str, Any]:
    return {
        "id": d.id,
        "persona_id": d.persona_id,
        "persona": d.persona.name,
        "term": d.term,
        "text": d.matched_text,
        "reason": d.reason,
        "dismissed_by": d.user.email if d.user else None,
        "dismissed_at": _iso(d.dismissed_at),
    }


def event_json(event: PieceEvent) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "message": event.message,
        "by": event.user.email if event.user else None,
        "at": _iso(event.created_at),
    }


def audit_summary(state: ReviewState) -> dict[str, Any] | None:
    audit = state.latest
    if audit is None:
        return None
    return audit.summary if audit.summary is not None else summarize(audit.result)


def piece_json(piece: Piece, state: ReviewState, *, full_audit: bool = True) -> dict[str, Any]:
    """A piece document; lists leave out `audit` (the stored result) unless asked for it."""
    override = None
    if piece.override_at is not None:
        override = {
            "reason": piece.override_reason,
            "by": piece.overrider.email if piece.overrider else None,
            "at": _iso(piece.override_at),
            "active": state.override_active,
            "approved": [
                {"persona_id": key[0], "term": key[1], "text": key[2]}
                for key in piece.override_matches or []
            ],
        }
    document = {
        "id": piece.id,
        "version": piece.version,
        "title": piece.title,
        "summary": piece.summary or "",
        "body": piece.body,
        "format": piece.format,
        "content_type": piece.content_type,
        "origin": piece.origin,
        "source_url": piece.source_url,
        "url": piece.url,
        "channel": piece.channel.name if piece.channel else None,
        "target_personas": [p.name for p in piece.target_personas],
        "status": piece.status,
        "scheduled_at": _iso(piece.scheduled_at),
        "assignee": piece.assignee.email if piece.assignee else None,
        "audit_summary": audit_summary(state),
        "audit_stale": state.stale,
        "audit_history_count": state.history_count,
        "override": override,
        "dismissals": [dismissal_json(d) for d in piece.dismissals],
        "events": [event_json(e) for e in piece.events],
        "created_at": _iso(piece.created_at),
        "updated_at": _iso(piece.updated_at),
    }
    if full_audit:
        document["audit"] = state.latest.result if state.latest else None
    return document


def _one(piece: Piece) -> dict[str, Any]:
    return piece_json(piece, piece_review.review_state(db.session, piece))


def _page_arg(name: str, default: int, upper: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdecimal() or not 0 <= int(raw) <= upper:
        raise ValidationError(f"Check '{name}'.", {name: f"a whole number from 0 to {upper}"})
    return int(raw)


def _includes() -> set[str]:
    """`?include=audit`: lists send audit summaries unless the full audit is asked for."""
    asked = {part.strip() for part in request.args.get("include", "").split(",") if part.strip()}
    unknown = asked - INCLUDES
    if unknown:
        raise ValidationError(
            "Check 'include'.", {"include": f"may name only {', '.join(sorted(INCLUDES))}"}
        )
    return asked


@bp.get("/pieces")
def list_pieces():
    filters = piece_service.parse_filters(db.session, g.actor, request.args)
    limit = _page_arg("limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _page_arg("offset", 0, 10**9)
    sort = piece_service.parse_sort(request.args.get("sort"))
    full = "audit" in _includes()
    rows, total = piece_service.list_pieces(
        db.session, g.actor, filters, limit=limit, offset=offset, sort=sort
    )
    states = piece_review.review_states(db.session, g.actor.workspace_id, rows, with_result=full)
    return jsonify(
        {
            "pieces": [piece_json(p, states[p.id], full_audit=full) for p in rows],
            "total": total,
            "limit": limit,
            "offset": offset,
        }
    )


@bp.post("/pieces")
def create_piece():
    piece = piece_service.create_piece(db.session, g.actor, json_body())
    db.session.commit()
    response = etag.tagged(jsonify(_one(piece)), piece.id, piece.version)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_piece", piece_id=piece.id)
    return response


@bp.get("/pieces/<piece_id>")
def get_piece(piece_id):
    piece = piece_service.get_piece(db.session, g.actor, piece_id)
    return etag.tagged(jsonify(_one(piece)), piece.id, piece.version)


@bp.patch("/pieces/<piece_id>")
def patch_piece(piece_id):
    piece = piece_service.get_piece(db.session, g.actor, piece_id)
    changes = json_body()
    expect = etag.expectation(piece.id, changes, "version")
    with etag.precondition(expect):
        piece_service.update_piece(
            db.session, g.actor, piece, changes, expected_version=expect.version
        )
    db.session.commit()
    return etag.tagged(jsonify(_one(piece)), piece.id, piece.version)


@bp.delete("/pieces/<piece_id>")
def delete_piece(piece_id):
    piece = piece_service.get_piece(db.session, g.actor, piece_id)
    piece_service.delete_piece(db.session, g.actor, piece)
    db.session.commit()
    return jsonify({"id": int(piece_id), "deleted": True})


@bp.post("/pieces/<piece_id>/dismissals")
def dismiss_finding(piece_id):
    piece = piece_service.get_piece(db.session, g.actor, piece_id)
    dismissal = piece_review.dismiss(db.session, g.actor, piece, json_body())
    db.session.commit()
    response = jsonify({"dismissal": dismissal_json(dismissal), "piece": _one(piece)})
    response.status_code = 201
    return response


@bp.delete("/pieces/<piece_id>/dismissals/<dismissal_id>")
def undo_dismissal(piece_id, dismissal_id):
    piece = piece_service.get_piece(db.session, g.actor, piece_id)
    piece_review.undo_dismissal(db.session, g.actor, piece, dismissal_id)
    db.session.commit()
    return jsonify(_one(piece))


@bp.post("/pieces/<piece_id>/override")
def override_block(piece_id):
    piece = piece_service.get_piece(db.session, g.actor, piece_id)
    piece_review.override(db.session, g.actor, piece, json_body().get("reason"))
    db.session.commit()
    return jsonify(_one(piece))
