"""Persona pages: overview, detail, create/edit with keyword and window rows."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from planner import conflicts
from planner.errors import Conflict, ValidationError
from planner.extensions import db
from planner.services import accounts
from planner.services.persona_preview import impact as preview_service
from planner.services.persona_preview import wording
from planner.services.persona_reviews import service as review_service
from planner.services.personas import service as persona_service
from planner.services.personas.file import dump_persona_yaml
from planner.services.personas.schema import CONTENT_TYPES, DAYS, validate_persona
from planner.services.versions import StaleVersion
from planner.web import persona_form, stale
from planner.web.guards import actor, member_required

bp = Blueprint("personas", __name__, url_prefix="/personas")


@bp.get("/")
@member_required
def index():
    rows = persona_service.list_personas(db.session, actor())
    archived = persona_service.list_personas(db.session, actor(), archived=True)
    buyers = [p for p in rows if p.kind == "buyer"]
    negatives = [p for p in rows if p.kind == "negative"]
    return render_template(
        "personas/index.html", buyers=buyers, negatives=negatives, archived=archived
    )


@bp.get("/<int:persona_id>")
@member_required
def detail(persona_id: int):
    persona = persona_service.get_persona(db.session, actor(), persona_id)
    review = review_service.review_panel(db.session, persona)
    return render_template("personas/detail.html", persona=persona, review=review)


@bp.get("/keyword-forms")
@member_required
def keyword_forms():
    """The forms one keyword row will match, refreshed while its editor types."""
    row = persona_form.with_matches({"keywords": [persona_form.typed_keyword(request.args)]})
    return render_template("personas/_keyword_forms.html", k=row["keywords"][0])


def _render_form(
    values,
    errors,
    persona=None,
    status=200,
    *,
    revision=None,
    stale_notice=None,
    preview=None,
    preview_notice=None,
):
    """`revision` is the one the form was opened with: a re-shown form keeps it, so a
    conflict is still noticed; only the stale notice hands out the current one.
    `preview` is what saving would change (`persona_preview.impact.Impact`)."""
    if revision is None and persona is not None:
        revision = persona.revision
    return (
        render_template(
            "personas/form.html",
            values=persona_form.with_matches(values),
            errors=errors,
            persona=persona,
            revision=revision,
            stale=stale_notice,
            preview=preview,
            preview_lines=wording.display(preview) if preview else None,
            preview_notice=preview_notice,
            days=DAYS,
            content_types=CONTENT_TYPES,
        ),
        status,
    )


def _stale_form(persona, values, error: StaleVersion):
    db.session.rollback()
    db.session.refresh(persona)
    theirs = persona_form.values_for(persona_service.spec_of(persona))
    notice = stale.notice(
        error,
        accounts.workspace_zone(db.session, actor()),
        persona_form.LABELS,
        persona_form.comparable(theirs),
        persona_form.comparable(values),
    )
    return _render_form(values, {}, persona, 409, revision=persona.revision, stale_notice=notice)


def _handle_form(persona=None):
    action = request.form.get("action", "save")
    opened = stale.form_version("revision") if persona is not None else None
    if action == "preview":
        return _preview_form(persona, opened)
    if action != "save":
        raw = persona_form.document_from_form(request.form, keep_blank_rows=True)
        values = persona_form.form_values(raw)
        persona_form.apply_row_action(values, action)
        return _render_form(values, {}, persona, revision=opened)
    document = persona_form.document_from_form(request.form)
    values = persona_form.form_values(document)
    editing = persona
    try:
        spec = validate_persona(document)
        seen = request.form.get("preview_fingerprint")
        if seen:  # save exactly what was previewed, or show what saving does now
            impact = preview_service.preview_persona(db.session, actor(), persona, spec)
            if impact.fingerprint != seen:
                db.session.rollback()
                notice = "Pieces or feed items changed since your preview: this is what "
                notice += "saving does now. Save again to apply it."
                return _render_form(
                    values, {}, persona, revision=opened, preview=impact, preview_notice=notice
                )
        if persona is None:
            persona = persona_service.create_persona(db.session, actor(), spec)
        else:
            persona_service.update_persona(
                db.session, actor(), persona, spec, expected_revision=opened
            )
        db.session.commit()
    except StaleVersion as error:
        return _stale_form(editing, values, error)
    except (ValidationError, Conflict, IntegrityError) as error:
        if isinstance(error, IntegrityError):
            found = conflicts.conflict_for(error)
            if found is None:
                raise
            error = found
        db.session.rollback()
        errors = persona_form.field_errors(error.details or {})
        if isinstance(error, Conflict):
            errors[""] = error.message
        status = 409 if isinstance(error, Conflict) else 422
        return _render_form(values, errors, editing, status, revision=opened)
    flash(f"Saved {persona.name}.", "success")
    return redirect(url_for("personas.detail", persona_id=persona.id))


def _preview_form(persona, opened):
    """The form again, with what saving it would change above the Save button."""
    document = persona_form.document_from_form(request.form)
    values = persona_form.form_values(document)
    try:
        spec = validate_persona(document)
    except ValidationError as error:
        errors = persona_form.field_errors(error.details or {})
        return _render_form(values, errors, persona, 422, revision=opened)
    impact = preview_service.preview_persona(db.session, actor(), persona, spec)
    db.session.rollback()
    return _render_form(values, {}, persona, revision=opened, preview=impact)


@bp.route("/new", methods=["GET", "POST"])
@member_required
def create():
    actor().require("editor", "create personas")
    if request.method == "POST":
        return _handle_form()
    values = persona_form.form_values({"kind": request.args.get("kind", "buyer")})
    values["keywords"] = [dict(persona_form.BLANK_KEYWORD) for _ in range(3)]
    values["windows"] = [dict(persona_form.BLANK_WINDOW)]
    return _render_form(values, {})


@bp.route("/<int:persona_id>/edit", methods=["GET", "POST"])
@member_required
def edit(persona_id: int):
    persona = persona_service.get_persona(db.session, actor(), persona_id)
    actor().require("editor", "edit personas")
    if request.method == "POST":
        return _handle_form(persona)
    values = persona_form.values_for(persona_service.spec_of(persona))
    values["keywords"].append(dict(persona_form.BLANK_KEYWORD))
    return _render_form(values, {}, persona)


@bp.post("/<int:persona_id>/remove")
@member_required
def remove(persona_id: int):
    persona = persona_service.get_persona(db.session, actor(), persona_id)
    name = persona.name
    outcome = persona_service.remove_persona(db.session, actor(), persona)
    db.session.commit()
    if outcome == "archived":
        flash(f"Archived {name}: pieces and audits still refer to it.", "info")
    else:
        flash(f"Deleted {name}.", "info")
    return redirect(url_for("personas.index"))


@bp.post("/<int:persona_id>/restore")
@member_required
def restore(persona_id: int):
    persona = persona_service.get_persona(db.session, actor(), persona_id)
    persona_service.restore_persona(db.session, actor(), persona)
    db.session.commit()
    flash(f"Restored {persona.name}.", "success")
    return redirect(url_for("personas.detail", persona_id=persona.id))


@bp.get("/export.yaml")
@member_required
def export():
    text = dump_persona_yaml(persona_service.export_specs(db.session, actor()))
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": "attachment; filename=personas.yaml"},
    )
