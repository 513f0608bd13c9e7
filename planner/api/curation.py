"""Curating a feed item into the calendar; dismissing items, undoing that, marking them seen."""

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


def _item_ids() -> list:
    """The body `{"items": [id, ...]}` of the bulk endpoints: at most MAX_PAGE ids."""
    data = json_object()
    unknown = {key: "unknown field; send items" for key in data if key != "items"}
    items = data.get("items")
    if not isinstance(items, list) or any(
        isinstance(i, bool) or not isinstance(i, int) for i in items
    ):
        unknown["items"] = "must be a list of feed item ids"
    elif len(items) > feed_inbox.MAX_PAGE:
        unknown["items"] = f"at most {feed_inbox.MAX_PAGE} ids"
    if unknown:
        raise ValidationError(f"Check {', '.join(unknown)}.", unknown)
    return list(items)


@bp.post("/items/dismiss")
def dismiss_items():
    items = feed_inbox.dismiss_items(db.session, g.actor, _item_ids())
    db.session.commit()
    return jsonify({"dismissed": [item.id for item in items]})


@bp.post("/items/restore")
def restore_items():
    items = feed_inbox.restore_items(db.session, g.actor, _item_ids())
    db.session.commit()
    return jsonify({"restored": [item.id for item in items]})


@bp.post("/items/seen")
def mark_items_seen():
    data = json_object(optional=True)
    problems = {key: "unknown field; send suggested or q" for key in data}
    problems.pop("suggested", None)
    problems.pop("q", None)
    suggested, search = data.get("suggested", False), data.get("q", "")
    if not isinstance(suggested, bool):
        problems["suggested"] = "must be true or false"
    if not isinstance(search, str):
        problems["q"] = "must be a string"
    if problems:
        raise ValidationError(f"Check {', '.join(problems)}.", problems)
    count = feed_inbox.mark_seen(db.session, g.actor, suggested=suggested, search=search)
    db.session.commit()
    return jsonify({"marked_seen": count})


_ITEM_ID = {**ID_PARAM, "description": "A feed item's id"}
_ID_LIST_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["items"],
                "properties": {
                    "items": {
                        "type": "array",
                        "maxItems": 200,
                        "items": {"type": "integer", "minimum": 1},
                        "description": "Feed item ids; ids of other states are skipped",
                    }
                },
            }
        }
    },
}


def _ids_answer(key: str) -> dict:
    schema = {
        "type": "object",
        "properties": {key: {"type": "array", "items": {"type": "integer"}}},
    }
    return json_response(schema)


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
        "/items/dismiss": {
            "post": {
                "summary": "Dismiss several new feed items at once (editor)",
                "description": "Items that are not new (curated, already dismissed) or not "
                "in this workspace are skipped; the answer lists those dismissed.",
                "requestBody": _ID_LIST_BODY,
                "responses": {"200": _ids_answer("dismissed"), **errors(400, 401, 403, 422)},
            },
        },
        "/items/restore": {
            "post": {
                "summary": "Bring dismissed feed items back to the inbox: undo a dismiss (editor)",
                "requestBody": _ID_LIST_BODY,
                "responses": {"200": _ids_answer("restored"), **errors(400, 401, 403, 422)},
            },
        },
        "/items/seen": {
            "post": {
                "summary": "Mark every new, unseen item the filters keep as seen (editor)",
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "suggested": {"type": "boolean", "default": False},
                                    "q": {
                                        "type": "string",
                                        "description": "Only items whose title or summary "
                                        "contains this text",
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": json_response(
                        {"type": "object", "properties": {"marked_seen": {"type": "integer"}}}
                    ),
                    **errors(400, 401, 403, 422),
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
