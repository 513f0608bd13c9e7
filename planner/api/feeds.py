"""Feed endpoints: monitored feeds and the items they brought in."""

from __future__ import annotations

from flask import current_app, g, jsonify, request, url_for

from planner.api import bp, json_body
from planner.api.args import MAX_OFFSET, int_arg
from planner.api.openapi import ID_PARAM, delete_operation, errors, json_response, ref, register
from planner.errors import ValidationError
from planner.extensions import db
from planner.services.feeds import admin as feed_admin
from planner.services.feeds import inbox as feed_inbox
from planner.services.lexicons import MAX_IDS


def _allow_private() -> bool:
    return bool(current_app.config.get("FEED_ALLOW_PRIVATE"))


@bp.get("/feeds")
def list_feeds():
    rows = feed_admin.list_feeds(db.session, g.actor)
    return jsonify({"feeds": [feed_admin.feed_json(row) for row in rows]})


@bp.post("/feeds")
def create_feed():
    feed = feed_admin.add_feed(db.session, g.actor, json_body(), allow_private=_allow_private())
    db.session.commit()
    response = jsonify(feed_admin.feed_json(feed_admin.feed_row(db.session, feed)))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_feed", feed_id=feed.id)
    return response


@bp.get("/feeds/<feed_id>")
def get_feed(feed_id):
    feed = feed_admin.get_feed(db.session, g.actor, feed_id)
    return jsonify(feed_admin.feed_json(feed_admin.feed_row(db.session, feed)))


@bp.patch("/feeds/<feed_id>")
def patch_feed(feed_id):
    feed = feed_admin.get_feed(db.session, g.actor, feed_id)
    feed_admin.update_feed(db.session, g.actor, feed, json_body(), allow_private=_allow_private())
    db.session.commit()
    return jsonify(feed_admin.feed_json(feed_admin.feed_row(db.session, feed)))


@bp.delete("/feeds/<feed_id>")
def delete_feed(feed_id):
    feed = feed_admin.get_feed(db.session, g.actor, feed_id)
    deleted_id = feed.id
    feed_admin.delete_feed(db.session, g.actor, feed)
    db.session.commit()
    return jsonify({"id": deleted_id, "deleted": True})


@bp.get("/feeds/<feed_id>/items")
def list_feed_items(feed_id):
    state = request.args.get("state", "all")
    if state not in ("all", *feed_inbox.ITEM_STATES):
        allowed = ", ".join(("all", *feed_inbox.ITEM_STATES))
        raise ValidationError(f"Unknown state {state!r}.", {"state": f"must be one of {allowed}"})
    page = feed_inbox.list_items(
        db.session,
        g.actor,
        feed_id=feed_id,
        state=None if state == "all" else state,
        suggested=request.args.get("suggested") in ("1", "true"),
        search=request.args.get("q", ""),
        unseen=request.args.get("unseen") in ("1", "true"),
        limit=int_arg("limit", 50, minimum=1, maximum=feed_inbox.MAX_PAGE),
        offset=int_arg("offset", 0, maximum=MAX_OFFSET),
    )
    return jsonify(
        {
            "items": [feed_inbox.item_json(item) for item in page.items],
            "total": page.total,
            "limit": page.limit,
            "offset": page.offset,
        }
    )


_ID = ID_PARAM
_TIME = {"type": "string", "format": "date-time", "nullable": True}
_FEED_INPUT = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "format": "uri", "description": "http(s); no private address"},
        "title": {"type": "string", "maxLength": 300},
        "personas": {
            "type": "array",
            "maxItems": MAX_IDS,
            "items": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
            "description": "Persona ids or names the feed is read for",
        },
        "channel": {
            "oneOf": [{"type": "integer"}, {"type": "string"}],
            "nullable": True,
            "description": "Channel id or name",
        },
        "poll_interval_minutes": {"type": "integer", "minimum": 5, "default": 60},
        "paused": {
            "type": "boolean",
            "description": "PATCH: pause, or resume (also a retired feed)",
        },
    },
}
_PERSONA_REF = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"type": "string"},
    },
}
_CHIP = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "level": {"type": "string"},
        "score": {"type": "number"},
        "terms": {"type": "array", "items": {"type": "string"}},
    },
}

register(
    {
        "/feeds": {
            "get": {
                "summary": "List the workspace's feeds with status and item counts",
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {"feeds": {"type": "array", "items": ref("Feed")}},
                        }
                    ),
                    **errors(401),
                },
            },
            "post": {
                "summary": "Monitor a feed (editor); it is polled at the next round",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"allOf": [ref("FeedInput"), {"required": ["url"]}]}
                        }
                    },
                },
                "responses": {
                    "201": json_response(ref("Feed"), "Created"),
                    **errors(400, 401, 403, 409, 422),
                },
            },
        },
        "/feeds/{id}": {
            "parameters": [_ID],
            "get": {
                "summary": "One feed",
                "responses": {"200": json_response(ref("Feed")), **errors(401, 404)},
            },
            "patch": {
                "summary": "Change some fields (editor)",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("FeedInput")}},
                },
                "responses": {
                    "200": json_response(ref("Feed")),
                    **errors(400, 401, 403, 404, 409, 422),
                },
            },
            "delete": delete_operation("Stop monitoring a feed and delete its items (editor)"),
        },
        "/feeds/{id}/items": {
            "parameters": [_ID],
            "get": {
                "summary": "The feed's items, newest first",
                "parameters": [
                    {
                        "name": "state",
                        "in": "query",
                        "schema": {
                            "enum": ["all", "new", "dismissed", "curated"],
                            "default": "all",
                        },
                    },
                    {
                        "name": "suggested",
                        "in": "query",
                        "description": "Only items matching a buyer persona and no negative one",
                        "schema": {"type": "boolean"},
                    },
                    {
                        "name": "q",
                        "in": "query",
                        "description": "Only items whose title or summary contains this text "
                        "(any case; spaces collapsed; the first 200 characters)",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "unseen",
                        "in": "query",
                        "description": "Only items not marked seen",
                        "schema": {"type": "boolean"},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                    },
                    {
                        "name": "offset",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
                    },
                ],
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {
                                "items": {"type": "array", "items": ref("FeedItem")},
                                "total": {"type": "integer"},
                                "limit": {"type": "integer"},
                                "offset": {"type": "integer"},
                            },
                        }
                    ),
                    **errors(401, 404, 422),
                },
            },
        },
    },
    {
        "FeedInput": _FEED_INPUT,
        "Feed": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string"},
                "title": {"type": "string"},
                "site_url": {"type": "string", "nullable": True},
                "personas": {"type": "array", "items": _PERSONA_REF},
                "channel_id": {"type": "integer", "nullable": True},
                "poll_interval_minutes": {"type": "integer"},
                "status": {"enum": ["new", "ok", "failing", "paused", "retired"]},
                "last_status": {
                    "enum": ["ok", "not_modified", "error", "gone", "paused"],
                    "nullable": True,
                },
                "last_error": {"type": "string", "nullable": True},
                "consecutive_failures": {"type": "integer"},
                "last_polled_at": _TIME,
                "next_poll_at": _TIME,
                "paused": {"type": "boolean"},
                "pause_reason": {"type": "string", "nullable": True},
                "retired_at": _TIME,
                "items": {"type": "integer"},
                "new_items": {"type": "integer"},
                "created_at": _TIME,
            },
        },
        "FeedItem": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "feed_id": {"type": "integer"},
                "identity": {"type": "string"},
                "guid": {"type": "string", "nullable": True},
                "link": {"type": "string", "nullable": True, "description": "http(s) only"},
                "title": {"type": "string", "nullable": True},
                "author": {"type": "string", "nullable": True},
                "published_at": _TIME,
                "updated_at": _TIME,
                "first_seen_at": _TIME,
                "changed_at": _TIME,
                "summary_html": {"type": "string", "description": "Sanitised HTML"},
                "summary_text": {"type": "string"},
                "state": {"enum": ["new", "dismissed", "curated"]},
                "seen_at": _TIME,
                "dismissed_at": _TIME,
                "curated_piece_id": {"type": "integer", "nullable": True},
                "verdict": {"enum": ["pass", "warn", "block"], "nullable": True},
                "suggested": {"type": "boolean"},
                "personas": {
                    "type": "object",
                    "properties": {
                        "buyers": {"type": "array", "items": _CHIP},
                        "negatives": {"type": "array", "items": _CHIP},
                    },
                },
                "audit": {"allOf": [ref("AuditResult")], "nullable": True},
                "persona_versions": {"type": "object", "additionalProperties": {"type": "integer"}},
            },
        },
    },
)
