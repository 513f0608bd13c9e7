"""OpenAPI description of the piece endpoints (`planner/api/pieces.py`), kept beside them."""

from __future__ import annotations

from planner.api.openapi import (
    ID_PARAM,
    IF_MATCH,
    body,
    delete_operation,
    errors,
    json_response,
    ref,
    register,
    tagged,
)
from planner.models import PIECE_FORMATS, PIECE_ORIGINS, PIECE_STATUSES, VERDICTS
from planner.services.personas.schema import CONTENT_TYPES
from planner.services.pieces.service import SORTS

DEFAULT_LIMIT, MAX_LIMIT = 100, 500
# `?include=` values of the list: "audit" adds each piece's full stored audit.
INCLUDES = frozenset({"audit"})
_SORT_CHOICES = [f"{sign}{key}" for key in SORTS for sign in ("", "-")]
_SUMMARY = {
    "type": "object",
    "nullable": True,
    "description": "What a list shows of the latest audit (null before the first audit)",
    "properties": {
        "verdict": {"enum": list(VERDICTS)},
        "word_count": {"type": "integer"},
        "findings": {
            "type": "object",
            "description": "Findings per level (`block`, `warn`, `info`) and `total`, "
            "which also counts findings left out of the stored audit",
            "additionalProperties": {"type": "integer"},
        },
        "personas": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "kind": {"enum": ["buyer", "negative"]},
                    "score": {"type": "number"},
                    "level": {"type": "string"},
                },
            },
        },
        "warnings": {"type": "integer", "description": "How many warnings the audit has"},
    },
}

_ENUMS = {
    "format": list(PIECE_FORMATS),
    "content_type": list(CONTENT_TYPES),
    "origin": list(PIECE_ORIGINS),
    "status": list(PIECE_STATUSES),
}
_INPUT = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 200, "description": "Audited with the body"},
        "summary": {
            "type": "string",
            "maxLength": 1000,
            "description": "Excerpt or meta description; audited with the body",
        },
        "body": {"type": "string"},
        **{name: {"enum": values} for name, values in _ENUMS.items()},
        "source_url": {"type": "string", "format": "uri", "nullable": True},
        "url": {
            "type": "string",
            "format": "uri",
            "maxLength": 2000,
            "nullable": True,
            "description": "Where it went out (http or https); engagement results match "
            "pieces by it. Can be set on a published piece",
        },
        "channel": {"type": "string", "nullable": True, "description": "A channel's name"},
        "target_personas": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Names of active personas of this workspace",
        },
        "scheduled_at": {
            "type": "string",
            "format": "date-time",
            "nullable": True,
            "description": "ISO 8601 with offset; required when status is scheduled; "
            "for a published piece, when it went out (never in the future)",
        },
        "assignee": {
            "type": "string",
            "nullable": True,
            "description": "A member's email; null unassigns. Removing the member from "
            "the workspace unassigns their pieces",
        },
        "override_reason": {
            "type": "string",
            "maxLength": 2000,
            "writeOnly": True,
            "description": "Owners: approve the blocking matches of this save's audit, "
            "so a blocked piece is scheduled in one step",
        },
    },
}
_EVENT = {
    "type": "object",
    "properties": {
        "kind": {"enum": ["override", "override_lapsed", "published", "unpublished"]},
        "message": {"type": "string"},
        "by": {"type": "string", "nullable": True},
        "at": {"type": "string", "format": "date-time"},
    },
}
_DISMISSAL = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "persona_id": {"type": "integer"},
        "persona": {"type": "string"},
        "term": {"type": "string"},
        "text": {"type": "string", "description": "The matched words, casefolded"},
        "reason": {"type": "string"},
        "dismissed_by": {"type": "string", "nullable": True},
        "dismissed_at": {"type": "string", "format": "date-time"},
    },
}
_PIECE = {
    "allOf": [
        _INPUT,
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "version": {
                    "type": "integer",
                    "readOnly": True,
                    "description": "Counts the piece's edits (from 1); the ETag's counter",
                },
                "audit": {
                    "allOf": [ref("AuditResult")],
                    "nullable": True,
                    "description": "The latest stored audit. Always in one piece's answers; "
                    "in `GET /pieces` only with `include=audit`",
                },
                "audit_summary": _SUMMARY,
                "audit_stale": {
                    "type": "boolean",
                    "description": "A persona changed since the latest audit: re-audit pending",
                },
                "audit_history_count": {"type": "integer"},
                "override": {
                    "type": "object",
                    "nullable": True,
                    "properties": {
                        "reason": {"type": "string"},
                        "by": {"type": "string", "nullable": True},
                        "at": {"type": "string", "format": "date-time"},
                        "active": {
                            "type": "boolean",
                            "description": "Always true: a lapsed override is cleared "
                            "and kept in `events`",
                        },
                        "approved": {
                            "type": "array",
                            "description": "The blocking matches the override approved",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "persona_id": {"type": "integer"},
                                    "term": {"type": "string"},
                                    "text": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "events": {
                    "type": "array",
                    "description": "Overrides given and lapsed, publishing and unpublishing",
                    "items": _EVENT,
                },
                "dismissals": {"type": "array", "items": ref("Dismissal")},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
        },
    ]
}
_QUERY = [
    {"name": name, "in": "query", "schema": schema, "description": text}
    for name, schema, text in (
        ("status", {"enum": _ENUMS["status"]}, "Only this status"),
        ("verdict", {"enum": list(VERDICTS)}, "Only this latest verdict"),
        ("channel", {"type": "string"}, "A channel's name"),
        ("persona", {"type": "string"}, "A target persona's name or id"),
        ("content_type", {"enum": _ENUMS["content_type"]}, "Only this content type"),
        ("from", {"type": "string"}, "Scheduled at or after (a date in the workspace zone)"),
        ("to", {"type": "string"}, "Scheduled on or before (a date, inclusive)"),
        ("limit", {"type": "integer", "default": DEFAULT_LIMIT, "maximum": MAX_LIMIT}, "Page"),
        ("offset", {"type": "integer", "default": 0}, "Skip this many"),
        (
            "sort",
            {"enum": _SORT_CHOICES, "default": "-updated"},
            "Order by a time or the title; a leading '-' for newest (or Z) first. "
            "Unscheduled pieces come last when sorting by `scheduled`",
        ),
        (
            "include",
            {"enum": sorted(INCLUDES)},
            "`audit`: add each piece's full stored audit (by default only `audit_summary`)",
        ),
    )
]
_DISMISSAL_ID = {
    "name": "dismissal_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}

register(
    {
        "/pieces": {
            "get": {
                "summary": "List pieces, most recently changed first (see `sort`), "
                "with audit summaries",
                "parameters": _QUERY,
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {
                                "pieces": {"type": "array", "items": ref("Piece")},
                                "total": {"type": "integer"},
                                "limit": {"type": "integer"},
                                "offset": {"type": "integer"},
                            },
                        }
                    ),
                    **errors(401, 422),
                },
            },
            "post": {
                "summary": "Create a piece (editor); saving audits it",
                "requestBody": body("PieceInput"),
                "responses": {
                    "201": tagged(json_response(ref("Piece"), "Created")),
                    **errors(400, 401, 403, 413, 422),
                },
            },
        },
        "/pieces/{id}": {
            "parameters": [ID_PARAM],
            "get": {
                "summary": "One piece with its latest audit",
                "responses": {"200": tagged(json_response(ref("Piece"))), **errors(401, 404)},
            },
            "patch": {
                "summary": "Change some fields (editor); re-audits when the text changed",
                "description": "A piece whose verdict is block cannot become scheduled or "
                "published without an owner's override (422 on `status`). A published "
                "piece's time and text are history: changing them is a 409 until an owner "
                "unpublishes it (`status: draft`). Optimistic locking: `If-Match` with the "
                "ETag (412 when stale) or, without it, `version` in the body (409 `stale` "
                "when stale); with neither, the write goes through (last writer wins).",
                "parameters": [IF_MATCH],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "allOf": [
                                    ref("PieceInput"),
                                    {
                                        "type": "object",
                                        "properties": {"version": {"type": "integer"}},
                                    },
                                ]
                            }
                        }
                    },
                },
                "responses": {
                    "200": tagged(json_response(ref("Piece"))),
                    **errors(400, 401, 403, 404, 409, 412, 413, 422),
                },
            },
            "delete": delete_operation("Delete a piece and its audit history (editor)"),
        },
        "/pieces/{id}/dismissals": {
            "parameters": [ID_PARAM],
            "post": {
                "summary": "Dismiss a match of the latest audit (editor); the piece is re-audited",
                "requestBody": body("DismissalInput"),
                "responses": {
                    "201": json_response(
                        {
                            "type": "object",
                            "properties": {"dismissal": ref("Dismissal"), "piece": ref("Piece")},
                        },
                        "Created",
                    ),
                    **errors(400, 401, 403, 404, 409, 422),
                },
            },
        },
        "/pieces/{id}/dismissals/{dismissal_id}": {
            "parameters": [ID_PARAM, _DISMISSAL_ID],
            "delete": {
                "summary": "Undo a dismissal (editor); the piece is re-audited",
                "responses": {"200": json_response(ref("Piece")), **errors(401, 403, 404)},
            },
        },
        "/pieces/{id}/override": {
            "parameters": [ID_PARAM],
            "post": {
                "summary": "Let a blocked text be scheduled (owner), with a reason",
                "description": "Approves the blocking matches of the latest audit; holds "
                "across edits that add no new blocking match and lapses (recorded in "
                "`events`) when one does.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["reason"],
                                "properties": {"reason": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": json_response(ref("Piece")),
                    **errors(400, 401, 403, 404, 409, 422),
                },
            },
        },
    },
    {
        "PieceInput": _INPUT,
        "Piece": _PIECE,
        "Dismissal": _DISMISSAL,
        "DismissalInput": {
            "type": "object",
            "required": ["persona", "term", "text", "reason"],
            "properties": {
                "persona": {"description": "The persona's id or name"},
                "term": {"type": "string", "description": "The keyword, as in the audit"},
                "text": {"type": "string", "description": "The matched words, as in the audit"},
                "reason": {"type": "string"},
            },
        },
    },
)
