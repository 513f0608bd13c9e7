"""Drafts: the list of pieces with their verdicts, and the editor with its live audit.

The editor follows the live-audit contract of `planner/web/audit_preview.py`; for a saved
piece its textarea posts to `pieces.preview`, which audits with the piece's dismissals so
the live verdict is the one saving would give.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from planner.errors import AuthRequired, PayloadTooLarge, PlannerError, ValidationError
from planner.extensions import db
from planner.models import (
    PIECE_FORMATS,
    PIECE_ORIGINS,
    PIECE_STATUSES,
    VERDICTS,
    Piece,
)
from planner.services import accounts, clock
from planner.services import audit as audit_service
from planner.services import channels as channel_service
from planner.services.personas import service as persona_service
from planner.services.personas.schema import CONTENT_TYPES
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import input as piece_input
from planner.services.pieces import review as piece_review
from planner.services.pieces import service as piece_service
from planner.web.guards import actor, member_required

bp = Blueprint("pieces", __name__, url_prefix="/pieces")
PAGE_SIZE = 50
FILTERS = ("verdict", "status", "persona", "channel", "content_type")
FORM_FIELDS = ("title", "format", "content_type", "origin", "source_url", "channel", "status")


@bp.app_template_filter("piece_time")
def piece_time(value: datetime | None, zone: str = "UTC") -> str:
    """A stored UTC time in the workspace's zone, as an editor reads it."""
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y, %H:%M")


def _zone() -> str:
    return accounts.workspace_zone(db.session, actor())


@bp.get("/")
@member_required
def index():
    args = {key: request.args.get(key, "").strip() for key in FILTERS}
    errors: dict[str, str] = {}
    try:
        filters = piece_service.parse_filters(db.session, actor(), args)
    except ValidationError as error:
        errors, filters = error.details, piece_service.PieceFilters()
    raw_page = request.args.get("page", "1")
    page = max(1, int(raw_page)) if raw_page.isdigit() else 1
    rows, total = piece_service.list_pieces(
        db.session, actor(), filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    states = piece_review.review_states(db.session, actor().workspace_id, rows)
    return render_template(
        "pieces/index.html",
        rows=rows,
        states=states,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        args=args,
        errors=errors,
        filtered=any(args.values()),
        stale_count=piece_service.count_stale(db.session, actor()),
        personas=persona_service.list_personas(db.session, actor()),
        channels=channel_service.list_channels(db.session, actor()),
        verdicts=VERDICTS,
        statuses=PIECE_STATUSES,
        content_types=CONTENT_TYPES,
    ), (422 if errors else 200)


def _form_document(form: MultiDict, zone: str) -> tuple[dict, dict[str, str]]:
    """Turn the editor's form into a piece document; a time error is kept for display."""
    document = {key: form.get(key, "") for key in FORM_FIELDS}
    # Browsers send textarea line breaks as CRLF; the live audit sees LF, so offsets agree.
    document["body"] = form.get("body", "").replace("\r\n", "\n")
    targets: list[int | str] = []
    for raw in form.getlist("target_personas"):
        targets.append(int(raw) if raw.strip().isdigit() else raw)
    document["target_personas"] = targets
    try:
        document["scheduled_at"] = clock.parse_optional_moment(form.get("scheduled_at"), zone)
        return document, {}
    except ValidationError as error:
        document.pop("scheduled_at")
        return document, dict(error.details)


def _form_values(piece: Piece | None, zone: str) -> dict:
    if piece is None:
        return {**piece_input.DEFAULTS, "title": "", "targets": set(), "scheduled_at": ""}
    return {
        "title": piece.title,
        "body": piece.body,
        "format": piece.format,
        "content_type": piece.content_type,
        "origin": piece.origin,
        "source_url": piece.source_url or "",
        "channel": piece.channel.name if piece.channel else "",
        "status": piece.status,
        "scheduled_at": piece_input.local_value(piece.scheduled_at, zone),
        "targets": {p.id for p in piece.target_personas},
    }


def _render_editor(piece: Piece | None, values: dict, errors: dict, status: int = 200):
    zone = _zone()
    state = piece_review.review_state(db.session, piece) if piece is not None else None
    saved = state.latest.result if state and state.latest else None
    unchanged = piece is not None and (values.get("body"), values.get("format")) == (
        piece.body,
        piece.format,
    )
    if unchanged:
        audit, source = saved, piece.body
    else:  # show what was typed, audited as it stands
        audit, source = _try_audit(piece, values), values.get("body", "")
    active = persona_service.list_personas(db.session, actor())
    chosen = [p for p in (piece.target_personas if piece else []) if p.kind != "buyer"]
    return render_template(
        "pieces/editor.html",
        piece=piece,
        values=values,
        errors=errors,
        zone=zone,
        state=state,
        saved=saved,
        audit=audit,
        audit_source=source,
        history=piece_audits.audit_history(db.session, piece.id) if piece else [],
        persona_names=persona_service.persona_names(db.session, actor().workspace_id),
        matches=piece_review.dismissable_matches(saved),
        target_choices=[p for p in active if p.kind == "buyer"] + chosen,
        channels=channel_service.list_channels(db.session, actor()),
        formats=PIECE_FORMATS,
        content_types=CONTENT_TYPES,
        origins=PIECE_ORIGINS,
        statuses=PIECE_STATUSES,
    ), status


def _try_audit(piece: Piece | None, values: dict) -> dict | None:
    text = values.get("body", "")
    if not text.strip():
        return None
    targets = [t for t in values.get("targets", ()) if isinstance(t, int)]
    try:
        if piece is not None:
            result = piece_audits.preview(
                db.session, actor(), piece, text, values.get("format"), targets
            )
        else:
            result = audit_service.audit_text(
                db.session, actor(), text, values.get("format"), target_ids=targets
            )
    except PlannerError:
        return None
    return result.to_dict()


def _values_from_form(document: dict, form: MultiDict) -> dict:
    values = {key: document.get(key, "") for key in (*FORM_FIELDS, "body")}
    values["scheduled_at"] = form.get("scheduled_at", "")
    values["targets"] = set(document["target_personas"])
    return values


def _save(piece: Piece | None):
    document, errors = _form_document(request.form, _zone())
    values = _values_from_form(document, request.form)
    try:
        if errors:  # collect the other fields' errors too, without saving anything
            piece_input.validate_piece(db.session, actor().workspace_id, document, current=piece)
            raise ValidationError("Check the scheduled time.", errors)
        if piece is None:
            piece = piece_service.create_piece(db.session, actor(), document)
        else:
            piece_service.update_piece(db.session, actor(), piece, document)
    except (ValidationError, PayloadTooLarge) as error:
        db.session.rollback()
        if piece is not None:
            db.session.refresh(piece)
        return _render_editor(piece, values, {**(error.details or {}), **errors}, error.status)
    db.session.commit()
    flash(f"Saved “{piece.title}”. Verdict: {piece.verdict}.", "success")
    return redirect(url_for("pieces.edit", piece_id=piece.id))


@bp.route("/new", methods=["GET", "POST"])
@member_required
def create():
    actor().require("editor", "create pieces")
    if request.method == "POST":
        return _save(None)
    return _render_editor(None, _form_values(None, _zone()), {})


@bp.route("/<int:piece_id>", methods=["GET", "POST"])
@member_required
def edit(piece_id: int):
    piece = piece_service.get_piece(db.session, actor(), piece_id)
    if request.method == "POST":
        actor().require("editor", "edit pieces")
        return _save(piece)
    return _render_editor(piece, _form_values(piece, _zone()), {})


@bp.post("/<int:piece_id>/preview")
def preview(piece_id: int):
    """The live audit for a saved piece: `audit/_preview.html`, with its dismissals applied."""
    audit, source, errors, status = None, "", {}, 200
    try:
        if actor() is None:
            raise AuthRequired("You were signed out. Sign in again to see the audit.")
        piece = piece_service.get_piece(db.session, actor(), piece_id)
        source, fmt = request.form.get("text", ""), request.form.get("format", "plain")
        targets = [int(v) for v in request.form.getlist("target_personas") if v.isdigit()]
        if source.strip():
            result = piece_audits.preview(db.session, actor(), piece, source, fmt, targets)
            audit = result.to_dict()
    except RequestEntityTooLarge:
        errors, status = {"text": "The text is too long to audit."}, 413
    except PlannerError as error:
        db.session.rollback()
        errors, status = dict(error.details or {"text": error.message}), error.status
        if isinstance(error, PayloadTooLarge | AuthRequired) or not errors:
            errors = {"text": error.message}
    return render_template(
        "audit/_preview.html", audit=audit, audit_source=source, audit_errors=errors
    ), status


@bp.post("/<int:piece_id>/delete")
@member_required
def delete(piece_id: int):
    piece = piece_service.get_piece(db.session, actor(), piece_id)
    title = piece.title
    piece_service.delete_piece(db.session, actor(), piece)
    db.session.commit()
    flash(f"Deleted “{title}” and its audit history.", "info")
    return redirect(url_for("pieces.index"))


@bp.post("/<int:piece_id>/dismissals")
@member_required
def dismiss(piece_id: int):
    piece = piece_service.get_piece(db.session, actor(), piece_id)
    data = {key: request.form.get(key, "") for key in ("persona", "term", "text", "reason")}
    try:
        piece_review.dismiss(db.session, actor(), piece, data)
    except ValidationError as error:
        db.session.rollback()
        db.session.refresh(piece)
        details = error.details or {}
        flash(f"Not dismissed: {details.get('reason') or error.message}.", "error")
        return redirect(url_for("pieces.edit", piece_id=piece.id, _anchor="review"))
    db.session.commit()
    flash(f"Dismissed “{data['text']}”. Verdict now: {piece.verdict}.", "success")
    return redirect(url_for("pieces.edit", piece_id=piece.id, _anchor="review"))


@bp.post("/<int:piece_id>/dismissals/<int:dismissal_id>/undo")
@member_required
def undo_dismissal(piece_id: int, dismissal_id: int):
    piece = piece_service.get_piece(db.session, actor(), piece_id)
    piece_review.undo_dismissal(db.session, actor(), piece, dismissal_id)
    db.session.commit()
    flash(f"The match counts again. Verdict now: {piece.verdict}.", "info")
    return redirect(url_for("pieces.edit", piece_id=piece.id, _anchor="review"))


@bp.post("/<int:piece_id>/override")
@member_required
def override(piece_id: int):
    piece = piece_service.get_piece(db.session, actor(), piece_id)
    try:
        piece_review.override(db.session, actor(), piece, request.form.get("reason", ""))
    except ValidationError as error:
        db.session.rollback()
        db.session.refresh(piece)
        return _render_editor(
            piece, _form_values(piece, _zone()), {"override_reason": error.details["reason"]}, 422
        )
    db.session.commit()
    flash("Override recorded: this text may now be scheduled.", "success")
    return redirect(url_for("pieces.edit", piece_id=piece.id, _anchor="review"))


@bp.post("/reaudit")
@member_required
def reaudit():
    outcome = piece_audits.reaudit_stale(db.session, actor())
    db.session.commit()
    if outcome.queued:
        flash(f"Re-auditing {outcome.queued} pieces in the background.", "info")
    else:
        flash(f"Re-audited {outcome.audited} piece{'s' if outcome.audited != 1 else ''}.", "info")
    return redirect(url_for("pieces.index"))
