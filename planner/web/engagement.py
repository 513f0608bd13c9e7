"""Results pages: upload an export, map its columns, preview, import; the unmatched rows.

The file travels with the form between the steps (a hidden field), so nothing is kept on
the server before "Import" and any worker can answer any step.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from planner.errors import PlannerError, ValidationError
from planner.extensions import db
from planner.models import ENGAGEMENT_FIELDS
from planner.services.accounts import workspace_zone
from planner.services.engagement import imports as engagement_imports
from planner.services.engagement import results as engagement_results
from planner.services.engagement.mapping import DATE_ORDERS, LABELS
from planner.services.engagement.reading import MAX_CSV_BYTES, UnreadableFile
from planner.web.guards import actor, member_required

bp = Blueprint("engagement", __name__, url_prefix="/engagement")
PAGE_SIZE = 100
# Uploads here may be up to 10 MB (the app's own limit is 2 MiB), sent again as a form
# field on the mapping and preview steps.
UPLOAD_LIMIT = MAX_CSV_BYTES + 1024 * 1024
LARGE_BODY_ENDPOINTS = frozenset({"engagement.upload", "api.import_engagement"})


@bp.before_app_request
def _allow_large_exports() -> None:
    """Raise the body limits for the import endpoints only, before any view reads the form."""
    if request.endpoint in LARGE_BODY_ENDPOINTS:
        request.max_content_length = UPLOAD_LIMIT
        request.max_form_memory_size = UPLOAD_LIMIT


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return max(1, int(raw)) if raw.isdecimal() and len(raw) < 7 else 1


def _render(status: int = 200, **context):
    sources = engagement_results.list_sources(db.session, actor())
    page = render_template(
        "engagement/import.html",
        sources=sources,
        fields=ENGAGEMENT_FIELDS,
        labels=LABELS,
        date_orders=DATE_ORDERS,
        zone=workspace_zone(db.session, actor()),
        max_mb=MAX_CSV_BYTES // 1024 // 1024,
        **{"errors": {}, "prepared": None, "result": None, "values": {}, **context},
    )
    return page, status


@bp.get("/import")
@member_required
def import_page():
    return _render(values={"source": request.args.get("source", "")})


def _content() -> bytes | str:
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.read(MAX_CSV_BYTES + 1)
    return request.form.get("csv", "")


def _form_mapping() -> dict[str, str] | None:
    """The mapping the form sent (on the mapping step), or None on the first upload."""
    form = request.form
    if form.get("mapping_sent") != "1":
        return None
    mapping = {name: form.get(f"map_{name}", "") for name in ENGAGEMENT_FIELDS}
    mapping["timezone"] = form.get("timezone", "").strip()
    mapping["date_order"] = form.get("date_order", "mdy")
    return mapping


@bp.post("/import")
@member_required
def upload():
    """One endpoint for each step: `action` is "preview" (the default) or "import"."""
    actor().require("editor", "import results")
    content = _content()
    source = request.form.get("source", "")
    values = {"source": source}
    mapping = _form_mapping()
    try:
        prepared = engagement_imports.prepare(db.session, actor(), content, source, mapping)
    except ValidationError as error:
        db.session.rollback()
        details = dict(error.details or {})
        if mapping is None or isinstance(error, UnreadableFile) or "source" in details:
            return _render(422, errors=details or {"file": error.message}, values=values)
        return _mapping_errors(_as_text(content), source, mapping, error)
    if request.form.get("action") == "import" and prepared.mapping is not None:
        try:
            result = engagement_imports.import_file(
                db.session, actor(), content, source, prepared.mapping
            )
        except PlannerError as error:
            db.session.rollback()
            return _render(error.status, errors={"file": error.message}, values=values)
        db.session.commit()
        return _render(result=result, values=values)
    rows = engagement_imports.preview(db.session, actor(), prepared)
    return _render(
        prepared=prepared,
        rows=rows,
        csv_text=_as_text(content),
        mapping=prepared.mapping or prepared.suggested,
        values={"source": prepared.source_name},
    )


def _as_text(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.lstrip("\ufeff")
    return content.decode("utf-8-sig")  # read_table decoded it already


def _mapping_errors(text: str, source: str, mapping: dict[str, str], error: ValidationError):
    """Show the mapping form again with each problem next to its field."""
    prepared = engagement_imports.prepare(db.session, actor(), text, source)
    prepared.mapping = None
    return _render(
        422,
        prepared=prepared,
        rows=[],
        csv_text=text,
        mapping=mapping,
        errors=dict(error.details or {}),
        values={"source": prepared.source_name},
    )


@bp.post("/sources/<int:source_id>/delete")
@member_required
def delete_source(source_id: int):
    name, rows = engagement_results.delete_source(db.session, actor(), source_id)
    db.session.commit()
    flash(
        f"Deleted the source “{name}” and its {rows} result{'s' if rows != 1 else ''}.", "success"
    )
    return redirect(url_for("engagement.import_page"))


@bp.get("/unmatched")
@member_required
def unmatched():
    page = _page_number()
    rows, total = engagement_results.list_unmatched(
        db.session, actor(), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    return render_template(
        "engagement/unmatched.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        zone=workspace_zone(db.session, actor()),
    )


@bp.post("/unmatched/rematch")
@member_required
def rematch():
    found = engagement_results.rematch(db.session, actor())
    db.session.commit()
    flash(
        f"Matched {found} more result{'s' if found != 1 else ''} to pieces."
        if found
        else "No new matches: give pieces their published URL, then match again.",
        "success" if found else "info",
    )
    return redirect(url_for("engagement.unmatched"))
