"""Persona previews on the personas blueprint: the form's live summary, file import, starters.

Nothing here writes until the person applies what they were shown: the live preview and
the import preview roll back; applying re-checks the preview's fingerprint and, when the
stored pieces or items changed meanwhile, shows the new preview instead of applying.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from planner.errors import ValidationError
from planner.extensions import db
from planner.services.persona_preview import impact as preview_service
from planner.services.persona_preview import imports as import_preview
from planner.services.persona_preview import wording
from planner.services.personas import service as persona_service
from planner.services.personas import starters as starter_service
from planner.services.personas.file import PersonaFileError, parse_persona_bytes
from planner.services.personas.schema import validate_persona
from planner.web import persona_form
from planner.web.guards import actor, member_required
from planner.web.personas import bp

UPLOAD_NAME = "upload"


def _live(persona):
    document = persona_form.document_from_form(request.form)
    try:
        spec = validate_persona(document)
    except ValidationError:
        return render_template("personas/_preview.html", preview=None, incomplete=True)
    impact = preview_service.preview_persona(db.session, actor(), persona, spec)
    db.session.rollback()
    lines = wording.display(impact)
    return render_template("personas/_preview.html", preview=impact, preview_lines=lines)


@bp.post("/preview")
@member_required
def live_preview_new():
    """The summary above Save while a new persona is typed (htmx swaps it in)."""
    return _live(None)


@bp.post("/<int:persona_id>/preview")
@member_required
def live_preview(persona_id: int):
    return _live(persona_service.get_persona(db.session, actor(), persona_id))


def _specs_from_request():
    """The personas to import: an uploaded file, a starter, or the text of a previewed file."""
    starter = request.form.get("starter", "")
    if starter:
        found = starter_service.get_starter(starter)
        return list(found.specs), found.title, None
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        raw, name = upload.read(), upload.filename
    else:
        raw, name = request.form.get("content", "").encode(), request.form.get("filename", "")
    if not raw.strip():
        raise PersonaFileError(name or UPLOAD_NAME, [(0, "choose a persona YAML file")])
    return parse_persona_bytes(raw, name or UPLOAD_NAME), name, raw.decode("utf-8-sig")


def _import_page(status=200, **context):
    context.setdefault("starters", starter_service.list_starters())
    return render_template("personas/import.html", **context), status


@bp.get("/import")
@member_required
def import_page():
    actor().require("editor", "import personas")
    return _import_page()


@bp.post("/import")
@member_required
def import_file():
    """Preview (`action=preview`) or apply (`action=apply`) a persona file or a starter."""
    actor().require("editor", "import personas")
    try:
        specs, source, content = _specs_from_request()
    except PersonaFileError as error:
        return _import_page(422, problems=error.lines())
    plans = import_preview.preview_import(db.session, actor(), specs)
    fingerprint = import_preview.plans_fingerprint(plans)
    context = {
        "plans": plans,
        "plan_lines": [wording.display(p.impact) if p.impact else [] for p in plans],
        "source": source,
        "content": content,
        "starter": request.form.get("starter", ""),
        "fingerprint": fingerprint,
    }
    if request.form.get("action") != "apply":
        db.session.rollback()
        return _import_page(**context)
    if request.form.get("fingerprint") != fingerprint:
        db.session.rollback()
        notice = "Your personas, pieces or feed items changed since the preview: this is "
        notice += "what importing does now. Apply again to import."
        return _import_page(409, notice=notice, **context)
    summary = persona_service.import_specs(db.session, actor(), specs)
    db.session.commit()
    flash(
        f"Imported {source}: {len(summary.created)} added, {len(summary.updated)} updated, "
        f"{len(summary.unchanged)} unchanged.",
        "success",
    )
    return redirect(url_for("personas.index"))
