"""Calendar endpoints: the pieces of a range with their findings, the check, slot suggestion.

`from` and `to` are calendar days in the workspace's zone, both included; without them
the range is today and the 27 days after it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import g, jsonify, request

from planner.api import bp
from planner.api.openapi import ID_PARAM, errors, json_response, ref, register
from planner.extensions import db
from planner.services import accounts
from planner.services.calendar import Finding
from planner.services.calendar import agenda as calendar_agenda
from planner.services.calendar import service as calendar_service
from planner.services.calendar.agenda import CalendarEntry
from planner.services.clock import day_range, local_today


def _range() -> tuple[datetime, datetime, datetime, str]:
    zone = accounts.workspace_zone(db.session, g.actor)
    now = datetime.now(UTC)
    args = request.args
    start, end = day_range(args.get("from"), args.get("to"), zone, today=local_today(now, zone))
    return start, end, now, zone


def _piece_json(entry: CalendarEntry) -> dict[str, Any]:
    piece = entry.piece
    return {
        "id": piece.id,
        "title": piece.title,
        "channel": piece.channel,
        "content_type": piece.content_type,
        "origin": piece.origin,
        "status": piece.status,
        "target_personas": list(entry.persona_names),
        "scheduled_at": piece.scheduled_at.isoformat() if piece.scheduled_at else None,
        "verdict": piece.verdict,
        "findings": [f.to_dict() for f in entry.findings],
    }


def _findings_json(findings: list[Finding] | tuple[Finding, ...]) -> list[dict[str, Any]]:
    return [f.to_dict() for f in findings]


@bp.get("/calendar")
def calendar_range():
    start, end, now, zone = _range()
    view = calendar_agenda.calendar_view(db.session, g.actor, start, end, now)
    return jsonify(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "timezone": zone,
            "pieces": [_piece_json(e) for e in view.entries],
            "findings": _findings_json(view.findings),
        }
    )


@bp.get("/calendar/check")
def calendar_check():
    start, end, now, _ = _range()
    findings = calendar_service.calendar_findings(db.session, g.actor, start, end, now)
    return jsonify({"findings": _findings_json(findings)})


@bp.post("/pieces/<piece_id>/suggest-slot")
def suggest_slot(piece_id):
    slot = calendar_service.suggest_slot_for(db.session, g.actor, piece_id, datetime.now(UTC))
    return jsonify({"suggested_slot": slot.isoformat() if slot else None})


_DAY = {"type": "string", "format": "date", "example": "2026-11-24"}
RANGE_PARAMS = [
    {"name": "from", "in": "query", "schema": _DAY, "description": "First day (default today)"},
    {"name": "to", "in": "query", "schema": _DAY, "description": "Last day, included"},
]
FINDING = {
    "type": "object",
    "properties": {
        "rule": {
            "enum": [
                "verdict",
                "posting_window",
                "cadence",
                "variety",
                "channel_clash",
                "mix",
                "negative_target",
            ]
        },
        "severity": {"enum": ["error", "warn", "info"]},
        "piece_id": {"type": "integer", "nullable": True},
        "persona": {"type": "string", "nullable": True},
        "message": {"type": "string"},
        "suggested_slot": {"type": "string", "format": "date-time", "nullable": True},
    },
}
CALENDAR_PIECE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "channel": {"type": "string", "nullable": True},
        "content_type": {"type": "string"},
        "origin": {"enum": ["own", "curated"]},
        "status": {"type": "string"},
        "target_personas": {"type": "array", "items": {"type": "string"}},
        "scheduled_at": {"type": "string", "format": "date-time"},
        "verdict": {"enum": ["pass", "warn", "block"], "nullable": True},
        "findings": {"type": "array", "items": ref("CalendarFinding")},
    },
}
_FINDINGS = {"type": "array", "items": ref("CalendarFinding")}

register(
    {
        "/calendar": {
            "get": {
                "summary": "Scheduled pieces in a range, each with its calendar findings",
                "parameters": RANGE_PARAMS,
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {
                                "from": {"type": "string", "format": "date-time"},
                                "to": {"type": "string", "format": "date-time"},
                                "timezone": {"type": "string"},
                                "pieces": {"type": "array", "items": ref("CalendarPiece")},
                                "findings": _FINDINGS,
                            },
                        }
                    ),
                    **errors(401, 422),
                },
            }
        },
        "/calendar/check": {
            "get": {
                "summary": "Check the calendar against the personas",
                "parameters": RANGE_PARAMS,
                "responses": {
                    "200": json_response({"type": "object", "properties": {"findings": _FINDINGS}}),
                    **errors(401, 422),
                },
            }
        },
        "/pieces/{id}/suggest-slot": {
            "parameters": [ID_PARAM],
            "post": {
                "summary": "The first good time at or after the piece's planned time (or now): "
                "inside a target persona's window, clear of the channel gap and cadence cap",
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {
                                "suggested_slot": {
                                    "type": "string",
                                    "format": "date-time",
                                    "nullable": True,
                                }
                            },
                        }
                    ),
                    **errors(401, 404),
                },
            },
        },
    },
    {"CalendarFinding": FINDING, "CalendarPiece": CALENDAR_PIECE},
)
