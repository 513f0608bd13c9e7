"""Check a piece document (API JSON, or a form turned into the same shape) before saving it.

One validator for the API and the editor, so a rule and its wording live in one place.
Every error is collected and keyed by field, so a form shows each next to its input and
the API answers one 422 that names them all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import PayloadTooLarge, ValidationError
from planner.models import PIECE_FORMATS, PIECE_ORIGINS, PIECE_STATUSES, Persona, Piece
from planner.services.audit import MAX_AUDIT_CHARS
from planner.services.channels import find_channel
from planner.services.clock import year_problem
from planner.services.personas.schema import CONTENT_TYPES
from planner.services.pieces.assignees import find_member

WRITABLE = (
    "title",
    "summary",
    "body",
    "format",
    "content_type",
    "origin",
    "source_url",
    "url",
    "channel",
    "target_personas",
    "status",
    "scheduled_at",
    "assignee",
)
# What GET returns besides the writable fields; sent back in a PATCH, they are ignored.
READ_ONLY = (
    "id",
    "audit",
    "audit_stale",
    "audit_history_count",
    "dismissals",
    "override",
    "events",
    "transitions",
    "verdict",
    "created_at",
    "updated_at",
)
# Sent with a save but not stored as a field: an owner's override given in the same step.
SAVE_OPTIONS = ("override_reason",)
CHOICES = {
    "format": PIECE_FORMATS,
    "content_type": CONTENT_TYPES,
    "origin": PIECE_ORIGINS,
    "status": PIECE_STATUSES,
}
DEFAULTS = {
    "body": "",
    "format": "plain",
    "content_type": "article",
    "origin": "own",
    "status": "draft",
}
MAX_TITLE = 200
MAX_SUMMARY = 1000
MAX_URL = 2000
OFFSET_EXAMPLE = "2026-12-01T09:00:00+01:00"


def parse_instant(value: str) -> datetime:
    """Read an ISO 8601 time that carries its UTC offset (`Z` too) and return it in UTC."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"is not an ISO 8601 time, e.g. {OFFSET_EXAMPLE}") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"needs a UTC offset, e.g. {OFFSET_EXAMPLE}")
    problem = year_problem(moment)
    if problem:
        raise ValueError(problem)
    return moment.astimezone(UTC)


def _text(value: Any, field: str, errors: dict[str, str], limit: int) -> str | None:
    if not isinstance(value, str):
        errors[field] = "must be a string"
        return None
    if len(value) > limit:
        errors[field] = f"at most {limit:,} characters"
        return None
    return value


def _source_url(value: Any, errors: dict[str, str], field: str = "source_url") -> str | None:
    """An optional http(s) address (`source_url`, or `url`: where the piece went out)."""
    if value is None or value == "":
        return None
    url = _text(value, field, errors, MAX_URL)
    if url is None:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        errors[field] = "must be an http(s) address"
        return None
    return url.strip()


def _personas(
    session: Session, workspace_id: int, value: Any, errors: dict[str, str]
) -> list[Persona] | None:
    """Target personas by name (the API) or id (the editor's checkboxes), active ones only."""
    if value is None:
        return []
    if isinstance(value, str | bytes | dict) or not isinstance(value, list | tuple):
        errors["target_personas"] = "must be a list of persona names"
        return None
    rows = list(
        session.scalars(
            select(Persona).where(
                Persona.workspace_id == workspace_id, Persona.archived_at.is_(None)
            )
        )
    )
    by_id = {p.id: p for p in rows}
    by_name = {p.name.casefold(): p for p in rows}
    chosen: list[Persona] = []
    unknown: list[str] = []
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool):
            persona = by_id.get(item)
        elif isinstance(item, str):
            persona = by_name.get(item.strip().casefold())
        else:
            persona = None
        if persona is None:
            unknown.append(repr(item) if not isinstance(item, str) else item)
        elif persona not in chosen:
            chosen.append(persona)
    if unknown:
        errors["target_personas"] = f"no active persona {', '.join(unknown)} in this workspace"
        return None
    return chosen


def _assignee(session: Session, workspace_id: int, value: Any, errors: dict[str, str]) -> Any:
    """A member's email (the API) or user id (the editor's choice); null or "" unassigns."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value.strip())
    if not isinstance(value, str | int) or isinstance(value, bool):
        errors["assignee"] = "must be a member's email"
        return None
    member = find_member(session, workspace_id, value)
    if member is None:
        errors["assignee"] = f"no member {str(value).strip()[:254]!r} in this workspace"
    return member


def validate_piece(
    session: Session, workspace_id: int, data: Any, current: Piece | None = None
) -> dict[str, Any]:
    """Return the cleaned fields of a new piece (`current` None) or of a partial change.

    Values come back ready to assign: `channel` as a Channel or None, `target_personas`
    as Persona rows, `scheduled_at` as UTC, `assignee` as a member (User) or None. Checks
    that need the merged piece (a scheduled piece needs a time) see the current values for
    fields not sent.
    """
    if not isinstance(data, dict):
        raise ValidationError("The piece must be a JSON object.", {"": "must be an object"})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key in data:
        if key not in WRITABLE and key not in READ_ONLY and key not in SAVE_OPTIONS:
            errors[key] = f"unknown field; pieces have {', '.join(WRITABLE)}"
    sent = [key for key in WRITABLE if key in data]
    if current is None:
        if not isinstance(data.get("title"), str) or not data["title"].strip():
            errors["title"] = "is required"
        data = {**DEFAULTS, **data}
        sent = [key for key in WRITABLE if key in data]
    for key in sent:
        value = data[key]
        if key == "title" and "title" not in errors:
            title = _text(value, key, errors, MAX_TITLE)
            if title is not None and not title.strip():
                errors[key] = "is required"
            elif title is not None:
                values[key] = " ".join(title.split())
        elif key == "summary":
            summary = _text(value if value is not None else "", key, errors, MAX_SUMMARY)
            if summary is not None:
                values[key] = summary.strip()
        elif key == "body":
            if isinstance(value, str) and len(value) > MAX_AUDIT_CHARS:
                raise PayloadTooLarge(
                    f"The body is {len(value):,} characters; pieces take at most "
                    f"{MAX_AUDIT_CHARS:,}.",
                    {"body": f"longer than {MAX_AUDIT_CHARS:,} characters"},
                )
            body = _text(value if value is not None else "", key, errors, MAX_AUDIT_CHARS)
            if body is not None:
                values[key] = body
        elif key in CHOICES:
            if value not in CHOICES[key]:
                errors[key] = f"must be one of {', '.join(CHOICES[key])}"
            else:
                values[key] = value
        elif key in ("source_url", "url"):
            values[key] = _source_url(value, errors, key)
        elif key == "channel":
            if value is None or value == "":
                values[key] = None
            elif not isinstance(value, str):
                errors[key] = "must be a channel name"
            else:
                channel = find_channel(session, workspace_id, value)
                if channel is None:
                    errors[key] = f"no channel named {value.strip()!r} in this workspace"
                values[key] = channel
        elif key == "target_personas":
            values[key] = _personas(session, workspace_id, value, errors)
        elif key == "assignee":
            values[key] = _assignee(session, workspace_id, value, errors)
        elif key == "scheduled_at":
            if value is None or value == "":
                values[key] = None
            elif isinstance(value, datetime) and value.tzinfo is not None:
                values[key] = value.astimezone(UTC)
            elif not isinstance(value, str):
                errors[key] = f"must be an ISO 8601 time with offset, e.g. {OFFSET_EXAMPLE}"
            else:
                try:
                    values[key] = parse_instant(value)
                except ValueError as error:
                    errors[key] = str(error)
    status = values.get("status", current.status if current else None)
    when = values.get("scheduled_at", current.scheduled_at if current else None)
    if status == "scheduled" and when is None and not {"status", "scheduled_at"} & errors.keys():
        errors["scheduled_at"] = "a scheduled piece needs a time"
    if errors:
        fields = ", ".join(k or "body" for k in errors)
        raise ValidationError(f"Check the piece's {fields}.", errors)
    return values


def local_value(moment: datetime | None, zone_name: str) -> str:
    """A stored UTC time as a `datetime-local` field's value in the workspace's zone."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(zone_name)).strftime("%Y-%m-%dT%H:%M")
