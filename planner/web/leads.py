"""The "Screen leads" page: upload a CSV, map its columns once, read the results, download.

Stateless: the uploaded file is never stored. The results page carries the file back
to the browser (compressed, in a hidden field) so filtering, re-mapping and the annotated
CSV re-read it without a new upload; those follow-up reads never keep a lead. Only the
first screening of a file keeps its leads, and only when the workspace keeps leads.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from planner.error_pages import error_response
from planner.errors import LeadsFileError, ValidationError
from planner.extensions import db
from planner.services.leads import csvio, screening, store
from planner.services.leads.screen import FIELDS, VERDICTS
from planner.web.guards import actor, member_required

bp = Blueprint("leads", __name__, url_prefix="/leads")
ANNOTATED_FILENAME = "screened-leads.csv"
# Werkzeug refuses a non-file form field larger than MAX_FORM_MEMORY_SIZE (500 kB): a
# file that does not fit compressed is not carried, and its page says to upload again.
CARRY_LIMIT = 450_000
ROW_LIMIT = 1000  # rows listed on the page; the annotated CSV has every one


def _carry(data: bytes) -> str | None:
    """The uploaded file as a hidden field's value, or None when it is too big to carry."""
    packed = base64.b64encode(zlib.compress(data, 6)).decode("ascii")
    return packed if len(packed) <= CARRY_LIMIT else None


def _uncarry(value: str) -> bytes:
    try:
        packed = base64.b64decode(value.encode("ascii"), validate=True)
        unpacker = zlib.decompressobj()
        data = unpacker.decompress(packed, csvio.MAX_BYTES + 1)
    except (ValueError, binascii.Error, zlib.error, UnicodeEncodeError):
        raise LeadsFileError("The file sent back is damaged: upload it again.") from None
    return data


def _upload() -> bytes:
    """The CSV of this request: a fresh upload, else the file the results page carried."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.read(csvio.MAX_BYTES + 1)
    carried = request.form.get("upload", "")
    if carried:
        return _uncarry(carried)
    raise LeadsFileError("Choose a CSV file of leads to screen.")


def _chosen() -> dict[str, str] | None:
    if request.form.get("mapping") != "1":
        return None
    return {field: request.form.get(f"map-{field}", "") for field in FIELDS}


def _page(status: int = 200, **context):
    settings = store.lead_settings(db.session, actor().workspace_id)
    context.setdefault("errors", {})
    context.setdefault("screened", None)
    page = render_template(
        "leads/page.html",
        settings=settings,
        fields=FIELDS,
        verdicts=VERDICTS,
        min_days=store.RETENTION_MIN_DAYS,
        max_days=store.RETENTION_MAX_DAYS,
        max_mb=current_app.config.get("MAX_CONTENT_LENGTH", 0) // (1024 * 1024),
        row_limit=ROW_LIMIT,
        **context,
    )
    return page, status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge):
    """A file over the request limit: say so next to the file field, not on an error page."""
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
    message = (
        f"The file is larger than the {limit:g} MB an upload may be (MAX_CONTENT_LENGTH): "
        "split it, or screen it with `flask leads screen`, which reads up to 10 MB."
    )
    if getattr(g, "actor", None) is None:  # refused before the actor was loaded (CSRF check)
        return error_response(413, "too_large", message)
    return _page(413, errors={"file": message})


@bp.get("/")
@member_required
def page():
    return _page()


@bp.post("/")
@member_required
def screen():
    """Screen the upload (or the mapped, carried file); its leads are kept if the setting is on."""
    # A re-mapped file was screened (and perhaps kept) already: its next screening keeps nothing.
    keep = request.form.get("keep", "1") != "0" and request.form.get("remap") != "1"
    data = b""
    try:
        data = _upload()
        if request.form.get("remap") == "1":
            outcome = screening.remap_file(db.session, actor(), data)
        else:
            outcome = screening.screen_file(db.session, actor(), data, _chosen(), keep=keep)
    except ValidationError as error:
        db.session.rollback()
        errors = dict(error.details or {}) or {"file": error.message}
        if data and request.form.get("mapping") == "1":
            return _mapping_again(data, errors, keep)
        return _page(422, errors=errors)
    db.session.commit()
    return _results(outcome, data, kept_now=keep)


def _mapping_again(data: bytes, errors: dict, keep: bool):
    """The mapping form once more, with what was wrong with the last choice."""
    try:
        outcome = screening.remap_file(db.session, actor(), data)
    except ValidationError:
        return _page(422, errors=errors)
    chosen = {field: header for field, header in (_chosen() or {}).items() if header}
    form = screening.ScreenedUpload(outcome.headers, needs_mapping=True, mapping=chosen)
    return _page(422, errors=errors, mapping_for=form, carried=_carry(data), keep=keep)


@bp.post("/results")
@member_required
def results():
    """The same file again, filtered; nothing is kept this time."""
    try:
        data = _upload()
        outcome = screening.screen_file(db.session, actor(), data, keep=False)
    except ValidationError as error:
        db.session.rollback()
        return _page(422, errors=dict(error.details or {}) or {"file": error.message})
    return _results(outcome, data, kept_now=False)


def _results(outcome: screening.ScreenedUpload, data: bytes, kept_now: bool):
    carried = _carry(data)
    if outcome.needs_mapping:
        return _page(mapping_for=outcome, carried=carried, keep=kept_now)
    verdict = request.form.get("verdict") or ""
    persona = request.form.get("persona") or ""
    shown = screening.filtered(outcome, verdict if verdict in VERDICTS else "", persona)
    return _page(screened=outcome, shown=shown, carried=carried, verdict=verdict, persona=persona)


@bp.post("/annotated.csv")
@member_required
def annotated():
    """The annotated CSV of the upload or the carried file; nothing is kept."""
    try:
        outcome = screening.screen_file(db.session, actor(), _upload(), keep=False)
    except ValidationError as error:
        db.session.rollback()
        return _page(422, errors=dict(error.details or {}) or {"file": error.message})
    if outcome.needs_mapping:
        return _page(422, errors={"file": "Map this file's columns first: press Screen."})
    return Response(
        outcome.annotated_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{ANNOTATED_FILENAME}"'},
    )


@bp.post("/settings")
@member_required
def settings():
    keep = request.form.get("keep_screened_leads") == "on"
    try:
        store.update_lead_settings(
            db.session, actor(), keep, request.form.get("lead_retention_days", "")
        )
    except ValidationError as error:
        db.session.rollback()
        return _page(422, errors=dict(error.details or {}))
    db.session.commit()
    flash("Saved what is kept of screened leads.", "success")
    return redirect(url_for("leads.page"))


@bp.get("/kept")
@member_required
def kept():
    verdict = request.args.get("verdict") or None
    rows, total = store.list_kept(
        db.session, actor(), verdict=verdict if verdict in VERDICTS else None
    )
    settings = store.lead_settings(db.session, actor().workspace_id)
    return render_template(
        "leads/kept.html",
        rows=rows,
        total=total,
        settings=settings,
        verdict=verdict,
        verdicts=VERDICTS,
    )


@bp.post("/kept/<int:lead_id>/delete")
@member_required
def delete_one(lead_id: int):
    store.delete_kept(db.session, actor(), lead_id)
    db.session.commit()
    flash("Deleted the lead.", "success")
    return redirect(url_for("leads.kept"))


@bp.post("/kept/delete")
@member_required
def delete_all():
    count = store.delete_all_kept(db.session, actor())
    db.session.commit()
    flash(f"Deleted {count} kept lead{'s' if count != 1 else ''}.", "success")
    return redirect(url_for("leads.kept"))
