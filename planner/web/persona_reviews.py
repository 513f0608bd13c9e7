"""The persona review page on the personas blueprint: the evidence, and "Mark reviewed"."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from planner.errors import ValidationError
from planner.extensions import db
from planner.services.persona_reviews import service as review_service
from planner.web.guards import actor, member_required
from planner.web.personas import bp


def _render(page, *, note: str = "", errors: dict | None = None, status: int = 200):
    return (
        render_template(
            "personas/review.html",
            page=page,
            persona=page.persona,
            evidence=page.evidence,
            note=note,
            errors=errors or {},
        ),
        status,
    )


@bp.get("/<int:persona_id>/review")
@member_required
def review(persona_id: int):
    page = review_service.review_page(db.session, actor(), persona_id)
    db.session.rollback()  # reading only
    return _render(page)


@bp.post("/<int:persona_id>/review")
@member_required
def mark_reviewed(persona_id: int):
    note = request.form.get("note", "")
    try:
        review_service.mark_reviewed(db.session, actor(), persona_id, note)
    except ValidationError as error:
        db.session.rollback()
        page = review_service.review_page(db.session, actor(), persona_id)
        return _render(page, note=note, errors=dict(error.details or {}), status=422)
    db.session.commit()
    flash("Marked reviewed. The next review period starts now.", "success")
    return redirect(url_for("personas.detail", persona_id=persona_id))
