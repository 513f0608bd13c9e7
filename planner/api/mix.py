"""The mix endpoint: the share of curated versus own pieces over a rolling window."""

from __future__ import annotations

from flask import g, jsonify, request

from planner.api import bp
from planner.api.openapi import errors, json_response, ref, register
from planner.extensions import db
from planner.services.mix import service as mix_service
from planner.services.mix.rules import WINDOW_DAYS


@bp.get("/mix")
def workspace_mix():
    args = request.args
    result = mix_service.workspace_mix(
        db.session,
        g.actor,
        window_days=mix_service.check_window(args.get("window")),
        channel=args.get("channel") or None,
        persona=args.get("persona") or None,
    )
    return jsonify(result.to_dict())


register(
    {
        "/mix": {
            "get": {
                "summary": "Curated versus own pieces (scheduled and published) over a window",
                "description": "Counts the last `window` days plus the rest of the current "
                "week in the workspace's zone, so pieces planned for this week count. The "
                "advice never asks for more pieces than the personas' cadence caps and the "
                "channels' gaps leave room for before Sunday; when the target is out of "
                "reach it says how many fit and what would make room.",
                "parameters": [
                    {
                        "name": "window",
                        "in": "query",
                        "schema": {"type": "integer", "enum": list(WINDOW_DAYS), "default": 30},
                    },
                    {
                        "name": "channel",
                        "in": "query",
                        "description": "Only pieces on this channel (its name)",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "persona",
                        "in": "query",
                        "description": "Only pieces targeting this persona (its name or id)",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {"200": json_response(ref("Mix")), **errors(401, 422)},
            }
        }
    },
    {
        "Mix": {
            "type": "object",
            "properties": {
                "window_days": {"type": "integer", "enum": list(WINDOW_DAYS)},
                "curated": {"type": "integer"},
                "own": {"type": "integer"},
                "curated_share": {"type": "number", "nullable": True},
                "target": {"type": "number", "example": 0.8},
                "tolerance": {"type": "number", "example": 0.05},
                "status": {"enum": ["on_target", "too_much_own", "too_much_curated", "no_content"]},
                "advice": {"type": "string"},
            },
        }
    },
)
