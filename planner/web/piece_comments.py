"""Adding a comment from the piece editor (a view on the pieces blueprint).

The editor lists the comments itself (`pieces._render_editor`); this view only takes the
form, calls the comments service and returns to the editor at the comments. A refused
comment (empty, too long) shows the editor again with the text kept and the reason.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from planner.errors import ValidationError
from planner.extensions import db
from planner.services.pieces import comments as piece_comments
from planner.services.pieces import service as piece_service
from planner.web import piece_form
from planner.web.guards import actor, member_required
from planner.web.pieces import _render_editor, _zone, bp


@bp.post("/<int:piece_id>/comments")
@member_required
def add_comment(piece_id: int):
    piece = piece_service.get_piece(db.session, actor(), piece_id)
    text = request.form.get("body", "")
    try:
        piece_comments.add_comment(db.session, actor(), piece, {"body": text})
    except ValidationError as error:
        db.session.rollback()
        values = {**piece_form.form_values(piece, _zone()), "comment": text}
        errors = {"comment": error.details.get("body") or error.message, "": error.message}
        return _render_editor(piece, values, errors, error.status)
    db.session.commit()
    flash("Comment added.", "success")
    return redirect(url_for("pieces.edit", piece_id=piece.id, _anchor="comments"))
