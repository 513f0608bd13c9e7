"""The live audit preview the editor uses as you type, and the "Quick audit" page.

Contract for a page that wants the live audit (the piece editor does; `templates/audit/
page.html` is the smallest example and its browser test proves it):

    <form ...>                                   {# any form; its fields are read by name #}
      <textarea name="body" data-audit-source
                data-audit-url="{{ url_for('audit_preview.preview') }}">...</textarea>
      <select name="format">plain|markdown|html</select>
      <input type="checkbox" name="target_personas" value="{{ persona.id }}">   {# 0..n #}
    </form>                                      {# or <select name="target_personas" multiple> #}
    <div id="audit-panel" aria-live="polite">{% include "audit/_panel.html" %}</div>
    <div id="audit-highlight">{% include "audit/_highlighted.html" %}</div>
    {% block scripts %}<script src="{{ url_for('static', filename='js/audit.js') }}"
                               defer></script>{% endblock %}

`audit.js` posts `text` (the textarea's value, so offsets match it exactly), `format` and
`target_personas` to `POST /audit/preview` 400 ms after typing stops (and at once when the
format or targets change, or on an `audit:refresh` event on the textarea), with the CSRF
token from `<meta name="csrf-token">` as `X-CSRFToken`. The answer is one fragment: the
panel (verdict, personas, findings with "Apply suggestion" buttons carrying `data-start`,
`data-end`, `data-match`, `data-replacement`) and the highlighted source
(`<mark class="hl hl-negative|hl-buyer" data-persona title>`), which replace the insides
of `#audit-panel` and `#audit-highlight`. Errors come back as a panel fragment too (422
bad format or target, 413 text too long, 401 signed out).

The partials take `audit` (the audit JSON, `AuditResult.to_dict()` or a stored one, or
`None` for "nothing audited yet"), `audit_source` (the text audited) and optionally
`audit_errors` (`{field: message}`), so the editor can also render them server-side.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from planner.errors import AuthRequired, PayloadTooLarge, PlannerError, ValidationError
from planner.extensions import db
from planner.services import audit as audit_service
from planner.services.personas import service as persona_service
from planner.web.audit_marks import (
    field_name,
    finding_badge,
    highlight_segments,
    replacement_for,
    sentence_after,
    sources,
)
from planner.web.guards import actor, member_required

bp = Blueprint("audit_preview", __name__, url_prefix="/audit")

bp.add_app_template_global(highlight_segments, "audit_highlight_segments")
bp.add_app_template_global(replacement_for, "audit_replacement")
bp.add_app_template_global(sentence_after, "audit_sentence_after")
bp.add_app_template_global(field_name, "audit_field_name")
bp.add_app_template_global(finding_badge, "audit_finding_badge")


def _form_input(form: MultiDict) -> tuple[str, str, list[int]]:
    """Read `text`, `format` and `target_personas` (ids as digits) from a posted form."""
    targets = []
    for raw in form.getlist("target_personas"):
        if not raw.strip():
            continue
        if not raw.strip().isdecimal():
            raise ValidationError(
                "Pick target personas from the list.",
                {"target_personas": f"{raw!r} is not a persona id"},
            )
        targets.append(int(raw))
    return form.get("text", ""), form.get("format", "plain"), targets


def _audit(form: MultiDict) -> tuple[dict | None, str]:
    """Audit the posted text; the editor also posts the piece's `title` and `summary`."""
    text, fmt, targets = _form_input(form)
    title, summary = form.get("title"), form.get("summary")
    typed = text.strip() or (title or "").strip() or (summary or "").strip()
    if not typed and fmt in audit_service.FORMATS:
        return None, text
    result = audit_service.audit_text(
        db.session, actor(), text, fmt, target_ids=targets, title=title, summary=summary
    )
    return result.to_dict(), text


@bp.route("", methods=["GET", "POST"])
@member_required
def page():
    """Paste a text, pick a format, see the audit live (or on submit, without JavaScript)."""
    audit, source, errors, status = None, "", {}, 200
    form = request.form if request.method == "POST" else MultiDict()
    if request.method == "POST":
        try:
            audit, source = _audit(form)
        except PlannerError as error:
            db.session.rollback()
            errors, status = dict(error.details or {"text": error.message}), error.status
            source = form.get("text", "")
    personas = persona_service.list_personas(db.session, actor())
    chosen = set(form.getlist("target_personas"))
    return render_template(
        "audit/page.html",
        audit=audit,
        audit_source=source,
        audit_errors=errors,
        fmt=form.get("format", "plain"),
        formats=audit_service.FORMATS,
        buyers=[p for p in personas if p.kind == "buyer"],
        has_personas=bool(personas),
        chosen=chosen,
    ), status


@bp.post("/preview")
def preview():
    """Return the panel and highlighted text for the editor, as one HTML fragment."""
    audit, source, errors, status = None, "", {}, 200
    try:
        if not current_user.is_authenticated or g.actor is None:
            raise AuthRequired("You were signed out. Sign in again to see the audit.")
        audit, source = _audit(request.form)
    except RequestEntityTooLarge:
        errors, status = {"text": "The text is too long to audit."}, 413
    except PlannerError as error:
        db.session.rollback()
        errors, status = dict(error.details or {"text": error.message}), error.status
        if isinstance(error, PayloadTooLarge | AuthRequired):
            errors = {"text": error.message}
    return render_template(
        "audit/_preview.html",
        audit=audit,
        audit_source=source,
        audit_sources=sources(source, request.form.get("title"), request.form.get("summary")),
        audit_errors=errors,
    ), status
