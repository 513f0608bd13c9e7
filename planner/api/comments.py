"""Comments on a piece: `GET`/`POST /api/v1/pieces/{id}/comments`.

Times are in the workspace's zone (an ISO 8601 time with its offset), as the pages show
them; any member reads, editors and owners comment (`services/pieces/comments.py`).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import g, jsonify

from planner.api import bp, json_body
from planner.api.openapi import ID_PARAM, errors, json_response, ref, register
from planner.extensions import db
from planner.models import PieceComment
from planner.services import accounts
from planner.services.pieces import comments as piece_comments
from planner.services.pieces import service as piece_service


def comment_json(comment: PieceComment, zone: str) -> dict[str, Any]:
    return {
        "id": comment.id,
        "body": comment.body,
        "by": comment.user.email if comment.user else None,
        "at": comment.created_at.astimezone(ZoneInfo(zone)).isoformat(),
    }


@bp.get("/pieces/<piece_id>/comments")
def list_comments(piece_id):
    piece = piece_service.get_piece(db.session, g.actor, piece_id)
    zone = accounts.workspace_zone(db.session, g.actor)
    rows = piece_comments.list_comments(db.session, piece)
    return jsonify({"comments": [comment_json(c, zone) for c in rows]})


@bp.post("/pieces/<piece_id>/comments")
def add_comment(piece_id):
    piece = piece_service.get_piece(db.session, g.actor, piece_id)
    comment = piece_comments.add_comment(db.session, g.actor, piece, json_body())
    db.session.commit()
    return jsonify(comment_json(comment, accounts.workspace_zone(db.session, g.actor))), 201


register(
    {
        "/pieces/{id}/comments": {
            "parameters": [ID_PARAM],
            "get": {
                "summary": "A piece's comments, oldest first (any member)",
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {"comments": {"type": "array", "items": ref("Comment")}},
                        }
                    ),
                    **errors(401, 404, 429),
                },
            },
            "post": {
                "summary": "Comment on a piece (editor); does not change the piece's version",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["body"],
                                "properties": {
                                    "body": {
                                        "type": "string",
                                        "minLength": 1,
                                        "maxLength": piece_comments.MAX_COMMENT,
                                        "description": "Plain text; surrounding blanks trimmed",
                                    }
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": json_response(ref("Comment"), "Created"),
                    **errors(400, 401, 403, 404, 413, 422, 429),
                },
            },
        }
    },
    {
        "Comment": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "body": {"type": "string"},
                "by": {
                    "type": "string",
                    "nullable": True,
                    "description": "The author's email; null once their account is deleted",
                },
                "at": {
                    "type": "string",
                    "format": "date-time",
                    "description": "When, in the workspace's zone (with its offset)",
                },
            },
        }
    },
)
