"""Turn the piece editor's form into a piece document, and a piece back into form values."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from planner.errors import ValidationError
from planner.models import Piece
from planner.services import clock
from planner.services.pieces import input as piece_input

FORM_FIELDS = (
    "title",
    "format",
    "content_type",
    "origin",
    "source_url",
    "url",
    "channel",
    "status",
    "assignee",
)
TEXT_FIELDS = ("summary", "body")


def document_from_form(form: MultiDict, zone: str) -> tuple[dict, dict[str, str]]:
    """Turn the editor's form into a piece document; a time error is kept for display.

    Only fields the form sent are taken: a published piece's form disables (so does not
    send) what went out, and a save that only unpublishes it changes nothing else.
    """
    document = {key: form[key] for key in FORM_FIELDS if key in form}
    # Browsers send textarea line breaks as CRLF; the live audit sees LF, so offsets agree.
    for key in TEXT_FIELDS:
        if key in form:
            document[key] = form[key].replace("\r\n", "\n")
    if form.get("override_reason", "").strip():
        document["override_reason"] = form["override_reason"]
    if "targets_sent" in form or "target_personas" in form:
        targets: list[int | str] = []
        for raw in form.getlist("target_personas"):
            targets.append(int(raw) if raw.strip().isdecimal() else raw)
        document["target_personas"] = targets
    if "scheduled_at" not in form:
        return document, {}
    try:
        document["scheduled_at"] = clock.parse_optional_moment(form.get("scheduled_at"), zone)
        return document, {}
    except ValidationError as error:
        document.pop("scheduled_at")
        return document, dict(error.details)


def form_values(piece: Piece | None, zone: str) -> dict:
    """The editor's values for a stored piece (or a new one), times in the workspace zone."""
    if piece is None:
        return {
            **piece_input.DEFAULTS,
            "title": "",
            "summary": "",
            "targets": set(),
            "scheduled_at": "",
            "assignee": "",
        }
    return {
        "title": piece.title,
        "summary": piece.summary or "",
        "body": piece.body,
        "format": piece.format,
        "content_type": piece.content_type,
        "origin": piece.origin,
        "source_url": piece.source_url or "",
        "url": piece.url or "",
        "channel": piece.channel.name if piece.channel else "",
        "status": piece.status,
        "scheduled_at": piece_input.local_value(piece.scheduled_at, zone),
        "targets": {p.id for p in piece.target_personas},
        "assignee": str(piece.assignee_id) if piece.assignee_id else "",
    }


def values_after_refusal(document: dict, form: MultiDict, piece: Piece | None, zone: str) -> dict:
    """What the editor shows again after a refused save: the typed values over the stored."""
    values = form_values(piece, zone)
    values.update({k: v for k, v in document.items() if k in (*FORM_FIELDS, *TEXT_FIELDS)})
    if "scheduled_at" in form:
        values["scheduled_at"] = form["scheduled_at"]
    if "target_personas" in document:
        values["targets"] = set(document["target_personas"])
    values["override_reason"] = form.get("override_reason", "")
    return values
