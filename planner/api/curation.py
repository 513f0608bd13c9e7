"""Curating a feed item into the calendar, and dismissing one."""

from __future__ import annotations

from flask import g, jsonify, url_for

from planner.api import bp
from planner.api.body import json_object
from planner.api.openapi import ID_PARAM, errors, json_response, ref, register
from planner.api.pieces import piece_json
from planner.errors import ValidationError
from planner.extensions import db
from planner.services import curation
from planner.services.feeds import inbox as feed_inbox
from planner.services.pieces import review as piece_review

FIELDS = ("channel", "target_personas")


def _options() -> dict:
    """The optional body `{channel, target_personas}`; no body at all means the defaults."""
    data = json_object(optional=True)
    if not data:
        return {}
    errors_found = {key: f"unknown field; send {' or '.join(FIELDS)}" for key in data}
    for key in FIELDS:
        errors_found.pop(key, None)
    channel = data.get("channel")
    if channel is not None and not isinstance(channel, str):
        errors_found["channel"] = "must be a channel name"
    targets = data.get("target_personas")
    if targets is not None and (
        not isinstance(targets, list)
        or any(isinstance(t, bool) or not isinstance(t, str | int) for t in targets)
    ):
        errors_found["target_personas"] = "must be a list of persona names"
    if errors_found:
        raise ValidationError(f"Check {', '.join(errors_found)}.", errors_found)
    # Left out: the default (the feed's channel); null or "": no channel.
    if "channel" in data and channel is None:
        channel = ""
    return {"channel": channel, "persona_ids": targets}


@bp.post("/items/<item_id>/curate")
def curate_item(item_id):
    piece = curation.curate_item(db.session, g.actor, item_id, **_options())
    db.session.commit()
    response = jsonify(piece_json(piece, piece_review.review_state(db.session, piece)))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_piece", piece_id=piece.id)
    return response


@bp.post("/items/<item_id>/dismiss")
def dismiss_item(item_id):
    item = curation.dismiss_item(db.session, g.actor, item_id)
    db.session.commit()
    return jsonify(feed_inbox.item_json(item))


_ITEM_ID = {**ID_PARAM, "description": "A feed item's id"}

register(
    {
        "/items/{id}/curate": {
            "parameters": [_ITEM_ID],
            "post": {
                "summary": "Curate a feed item into a piece, scheduled at the next good slot "
                "(editor)",
                "description": "Creates a curated piece (the item's summary as an HTML body, "
                "its link as source_url), audits it, and schedules it at the calendar's next "
                "good slot; with no slot, or when its audit blocks it, it stays a draft. "
                "Defaults: the feed's channel and the buyer personas the item matched. "
                "An item is curated once (409 after that).",
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "channel": {
                                        "type": "string",
                                        "nullable": True,
                                        "description": "A channel's name; null for none; "
                                        "left out: the feed's channel",
                                    },
                                    "target_personas": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                        "description": "Persona names; [] for none; left "
                                        "out: the buyer personas the item matched",
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": json_response(ref("Piece"), "Created"),
                    **errors(400, 401, 403, 404, 409, 422),
                },
            },
        },
        "/items/{id}/dismiss": {
            "parameters": [_ITEM_ID],
            "post": {
                "summary": "Dismiss a feed item: hide it from the inbox (editor)",
                "responses": {
                    "200": json_response(ref("FeedItem")),
                    **errors(401, 403, 404, 409),
                },
            },
        },
    }
)
