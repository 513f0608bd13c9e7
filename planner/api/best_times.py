"""Best posting times for a persona, learned from imported results (issue 14)."""

from __future__ import annotations

from flask import g, jsonify, request

from planner.api import bp
from planner.api.openapi import ID_PARAM, errors, json_response, ref, register
from planner.extensions import db
from planner.services.engagement import best_times_service


@bp.get("/personas/<persona_id>/best-times")
def persona_best_times(persona_id):
    report = best_times_service.best_times(
        db.session, g.actor, persona_id, channel=request.args.get("channel") or None
    )
    return jsonify(report.to_dict())


_HHMM = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:00"}

register(
    {
        "/personas/{id}/best-times": {
            "parameters": [ID_PARAM],
            "get": {
                "summary": "Best posting windows for a persona, from its pieces' results",
                "description": "Engagement rate (engagements / impressions) of the imported "
                "results whose piece targets the persona, by weekday and hour of the "
                "persona's own clock, pooled towards the average so that few posts count "
                "for little. Windows are ranked by their lower bound, best first, in the "
                "persona file's format and zone. Below "
                f"{best_times_service.MIN_POSTS} posts with impressions `enough_data` is "
                "false and `windows` is empty.",
                "parameters": [
                    {
                        "name": "channel",
                        "in": "query",
                        "description": "Only results on this channel (the result's own "
                        "channel, else its piece's); an unknown channel is a 422",
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"200": json_response(ref("BestTimes")), **errors(401, 404, 422)},
            },
        }
    },
    {
        "BestTimes": {
            "type": "object",
            "required": ["persona", "timezone", "enough_data", "posts", "windows"],
            "properties": {
                "persona": {"type": "string"},
                "timezone": {"type": "string", "example": "America/New_York"},
                "enough_data": {"type": "boolean"},
                "posts": {"type": "integer", "minimum": 0},
                "windows": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["days", "start", "end", "rate", "lower", "posts"],
                        "properties": {
                            "days": {
                                "type": "array",
                                "items": {
                                    "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                                },
                            },
                            "start": _HHMM,
                            "end": _HHMM,
                            "rate": {"type": "number", "minimum": 0, "maximum": 1},
                            "lower": {"type": "number", "minimum": 0, "maximum": 1},
                            "posts": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            },
        }
    },
)
