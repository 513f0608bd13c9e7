"""Drafts: the list of pieces with their verdicts, and the editor with its live audit.

The editor follows the live-audit contract of `planner/web/audit_preview.py`; for a saved
piece its textarea posts to `pieces.preview`, which audits with the piece's dismissals so
the live verdict is the one saving would give.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from planner.errors import (
    AuthRequired,
    Conflict,
    PayloadTooLarge,
    PermissionDenied,
    PlannerError,
    ValidationError,
)
from planner.extensions import db
from planner.models import (
    PIECE_FORMATS,
    PIECE_ORIGINS,
    PIECE_STATUSES,
    VERDICTS,
    Piece,
)
from planner.services import accounts
from planner.services import audit as audit_service
from planner.services import channels as channel_service
from planner.services.personas import service as persona_service
from planner.services.personas.schema import CONTENT_TYPES
from planner.services.pieces import assignees as piece_assignees
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import comments as piece_comments
from planner.services.pieces import input as piece_input
from planner.services.pieces import review as piece_review
from planner.services.pieces import service as piece_service
from planner.services.pieces import states as piece_states
from planner.services.versions import StaleVersion
from planner.web import audit_marks, piece_form, stale
from planner.web.guards import actor, member_required

bp = Blueprint("pieces", __name__, url_prefix="/pieces")
PAGE_SIZE = 50
FILTERS = ("verdict", "status", "persona", "channel", "content_type")
# The columns a person can sort the drafts page by; each shows the value it sorts by.
PAGE_SORTS = ("title", "scheduled", "updated")


@bp.app_template_filter("piece_time")
def piece_time(value: datetime | None, zone: str = "UTC") -> str:
    """A stored UTC time in the workspace's zone, as an editor reads it."""
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y, %H:%M")


def _zone() -> str:
    return accounts.workspace_zone(db.session, actor())


def list_args() -> tuple[dict[str, str], dict[str, str], piece_service.PieceFilters, str]:
    """The drafts list's filters and sort from the query; bad values are errors, not a 500."""
    args = {key: request.args.get(key, "").strip() for key in FILTERS}
    errors: dict[str, str] = {}
    try:
        filters = piece_service.parse_filters(db.session, actor(), args)
    except ValidationError as error:
        errors, filters = error.details, piece_service.PieceFilters()
    sort = request.args.get("sort", "").strip() or piece_service.DEFAULT_SORT
    if sort.removeprefix("-") not in PAGE_SORTS:
        errors["sort"] = f"sort by {', '.join(PAGE_SORTS)} (a leading '-' reverses)"
        sort = piece_service.DEFAULT_SORT
    return args, errors, filters, sort


@bp.get("/")
@member_required
def index():
    args, errors, filters, sort = list_args()
    raw_page = request.args.get("page", "1")
    page = max(1, int(raw_page)) if raw_page.isdecimal() else 1
    rows, total = piece_service.list_pieces(
        db.session,
        actor(),
        filters,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        sort=sort,
        brief=True,
    )
    states = piece_review.review_states(db.session, actor().workspace_id, rows, with_result=False)
    return render_template(
        "pieces/index.html",
        rows=rows,
        states=states,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        args=args,
        sort=sort,
        page_args={**{k: v for k, v in args.items() if v}, "sort": sort},
        errors=errors,
        filtered=any(args.values()),
        stale_count=piece_service.count_stale(db.session, actor()),
        personas=persona_service.list_personas(db.session, actor()),
        channels=channel_service.list_channels(db.session, actor()),
        verdicts=VERDICTS,
        statuses=PIECE_STATUSES,
        content_types=CONTENT_TYPES,
    ), (422 if errors else 200)


def _history(piece: Piece | None) -> list[tuple[datetime, str, object]]:
    """Audits and events (overrides, lapses, publishing) in one list, newest first."""
    if piece is None:
        return []
    audits = [(a.created_at, "audit", a) for a in piece_audits.audit_history(db.session, piece.id)]
    events = [(e.created_at, "event", e) for e in piece.events]
    return sorted(audits + events, key=lambda row: (row[0], row[1] == "event"), reverse=True)


def _render_editor(
    piece: Piece | None,
    values: dict,
    errors: dict,
    status: int = 200,
    *,
    version: int | None = None,
    stale_notice: stale.StaleNotice | None = None,
):
    zone = _zone()
    state = piece_review.review_state(db.session, piece) if piece is not None else None
    saved = state.latest.result if state and state.latest else None
    typed = tuple(values.get(key, "") for key in ("title", "summary", "body", "format"))
    unchanged = piece is not None and typed == (
        piece.title,
        piece.summary or "",
        piece.body,
        piece.format,
    )
    # Unchanged: the stored audit; else what was typed, audited as it stands.
    audit = saved if unchanged else _try_audit(piece, values)
    active = persona_service.list_personas(db.session, actor())
    chosen = [p for p in (piece.target_personas if piece else []) if p.kind != "buyer"]
    current = piece.status if piece else None
    moves = piece_states.moves_from(current, actor()) if current else []
    return render_template(
        "pieces/editor.html",
        piece=piece,
        values=values,
        errors=errors,
        zone=zone,
        state=state,
        saved=saved,
        audit=audit,
        audit_source=values.get("body", ""),
        audit_sources=audit_marks.sources(
            values.get("body", ""), values.get("title", ""), values.get("summary", "")
        ),
        history=_history(piece),
        history_count=state.history_count if state else 0,
        persona_names=persona_service.persona_names(db.session, actor().workspace_id),
        matches=piece_review.dismissable_matches(saved),
        target_choices=[p for p in active if p.kind == "buyer"] + chosen,
        channels=channel_service.list_channels(db.session, actor()),
        formats=PIECE_FORMATS,
        content_types=CONTENT_TYPES,
        origins=PIECE_ORIGINS,
        statuses=[current, *(m.target for m in moves)] if current else list(PIECE_STATUSES),
        published=current == "published",
        version=version if version is not None else (piece.version if piece else None),
        stale=stale_notice,
        members=piece_assignees.members(db.session, actor().workspace_id),
        comments=piece_comments.list_comments(db.session, piece) if piece else [],
    ), status


def _try_audit(piece: Piece | None, values: dict) -> dict | None:
    text, title, summary = values.get("body", ""), values.get("title", ""), values.get("summary")
    if not (text.strip() or title.strip() or (summary or "").strip()):
        return None
    targets = [t for t in values.get("targets", ()) if isinstance(t, int)]
    try:
        if piece is not None:
            result = piece_audits.preview(
                db.session,
                actor(),
                piece,
                text,
                values.get("format"),
                targets,
                title=title,
                summary=summary,
            )
        else:
            result = audit_service.audit_text(
                db.session,
                actor(),
                text,
                values.get("format"),
                target_ids=targets,
                title=title,
                summary=summary,
            )
    except PlannerError:
        return None
    return result.to_dict()


STALE_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "body": "Text",
    "format": "Format",
    "content_type": "Content type",
    "origin": "Origin",
    "source_url": "Source URL",
    "url": "Published URL",
    "channel": "Channel",
    "targets": "Target personas",
    "status": "Status",
    "scheduled_at": "Scheduled for",
    "assignee": "Assignee",
}


def _stale_editor(piece: Piece, values: dict, error: StaleVersion):
    """Someone saved since this form was opened: show both versions, apply nothing."""
    db.session.rollback()
    db.session.refresh(piece)
    names = persona_service.persona_names(db.session, actor().workspace_id)
    theirs, yours = piece_form.form_values(piece, _zone()), dict(values)
    emails = {str(u.id): u.email for u in piece_assignees.members(db.session, piece.workspace_id)}
    for shown in (theirs, yours):
        shown["targets"] = {names.get(t, str(t)) for t in shown.get("targets", ())}
        shown["assignee"] = emails.get(str(shown.get("assignee") or ""), "nobody")
    notice = stale.notice(error, _zone(), STALE_LABELS, theirs, yours)
    return _render_editor(piece, values, {}, 409, version=piece.version, stale_notice=notice)


def _save(piece: Piece | None):
    document, errors = piece_form.document_from_form(request.form, _zone())
    values = piece_form.values_after_refusal(document, request.form, piece, _zone())
    opened = stale.form_version() if piece is not None else None
    try:
        if errors:  # collect the other fields' errors too, without saving anything
            piece_input.validate_piece(db.session, actor().workspace_id, document, current=piece)
            raise ValidationError("Check the scheduled time.", errors)
        if piece is None:
            piece = piece_service.create_piece(db.session, actor(), document)
        else:
            piece_service.update_piece(
                db.session, actor(), piece, document, expected_version=opened
            )
    except StaleVersion as error:
        return _stale_editor(piece, values, error)
    except (ValidationError, PayloadTooLarge, Conflict, PermissionDenied) as error:
        db.session.rollback()
        if piece is not None:
            db.session.refresh(piece)
        details = dict(error.details) if isinstance(error.details, dict) else {}
        if not details or "status" in details or isinstance(error, Conflict | PermissionDenied):
            details[""] = error.message  # the gate and the state table explain themselves
        return _render_editor(piece, values, {**details, **errors}, error.status, version=opened)
    db.session.commit()
    flash(f"Saved “{piece.title}”. Verdict: {piece.verdict}.", "success")
    return redirect(url_for("pieces.edit", piece_id=piece.id))


@bp.route("/new", methods=["GET", "POST"])
@member_required
def create():
    actor().require("editor", "create pieces")
    if request.method == "POST":
        return _save(None)
    return _render_editor(None, piece_form.form_values(None, _zone()), {})


@bp.route("/<int:piece_id>", methods=["GET", "POST"])
@member_required
def edit(piece_id: int):
    piece = piece_service.get_piece(db.session, actor(), piece_id)
    if request.method == "POST":
        actor().require("editor", "edit pieces")
        return _save(piece)
    return _render_editor(piece, piece_form.form_values(piece, _zone()), {})


@bp.post("/<int:piece_id>/preview")
def preview(piece_id: int):
    """The live audit for a saved piece: `audit/_preview.html`, with its dismissals applied."""
    audit, source, errors, status = None, "", {}, 200
    try:
        if actor() is None:
            raise AuthRequired("You were signed out. Sign in again to see the audit.")
        piece = piece_service.get_piece(db.session, actor(), piece_id)
        source, fmt = request.form.get("text", ""), request.form.get("format", "plain")
        title, summary = request.form.get("title"), request.form.get("summary")
        targets = [int(v) for v in request.form.getlist("target_personas") if v.isdecimal()]
        if source.strip() or (title or "").strip() or (summary or "").strip():
            result = piece_audits.preview(
                db.session, actor(), piece, source, fmt, targets, title=title, summary=summary
            )
            audit = result.to_dict()
    except RequestEntityTooLarge:
        errors, status = {"text": "The text is too long to audit."}, 413
    except PlannerError as error:
        db.session.rollback()
        errors, status = dict(error.details or {"text": error.message}), error.status
        if isinstance(error, PayloadTooLarge | AuthRequired) or not errors:
            errors = {"text": error.message}
    sources = audit_marks.sources(source, request.form.get("title"), request.form.get("summary"))
    return render_template(
        "audit/_preview.html",
        audit=audit,
        audit_source=source,
        audit_sources=sources,
        audit_errors=errors,
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
    except (ValidationError, Conflict) as error:
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
            piece,
            piece_form.form_values(piece, _zone()),
            {"override": error.details["reason"]},
            422,
        )
    db.session.commit()
    flash("Override recorded: the blocking words it approves may now be scheduled.", "success")
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
