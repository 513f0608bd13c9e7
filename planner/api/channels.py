"""Channel endpoints."""

from __future__ import annotations

from flask import g, jsonify, url_for

from planner.api import bp, json_body
from planner.api.openapi import (
    ID_PARAM,
    body,
    delete_operation,
    errors,
    json_response,
    ref,
    register,
)
from planner.extensions import db
from planner.models import CHANNEL_KINDS
from planner.services import channels as channel_service
from planner.services.channels import channel_json


@bp.get("/channels")
def list_channels():
    rows = channel_service.list_channels(db.session, g.actor)
    return jsonify({"channels": [channel_json(c) for c in rows]})


@bp.post("/channels")
def create_channel():
    channel = channel_service.create_channel(db.session, g.actor, json_body())
    db.session.commit()
    response = jsonify(channel_json(channel))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_channel", channel_id=channel.id)
    return response


@bp.get("/channels/<channel_id>")
def get_channel(channel_id):
    return jsonify(channel_json(channel_service.get_channel(db.session, g.actor, channel_id)))


@bp.patch("/channels/<channel_id>")
def patch_channel(channel_id):
    channel = channel_service.get_channel(db.session, g.actor, channel_id)
    channel_service.update_channel(db.session, g.actor, channel, json_body())
    db.session.commit()
    return jsonify(channel_json(channel))


@bp.delete("/channels/<channel_id>")
def delete_channel(channel_id):
    channel = channel_service.get_channel(db.session, g.actor, channel_id)
    channel_service.delete_channel(db.session, g.actor, channel)
    db.session.commit()
    return jsonify({"id": int(channel_id), "deleted": True})


_INPUT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 80, "description": "Unique in the workspace"},
        "kind": {"enum": list(CHANNEL_KINDS), "default": "other"},
        "min_gap_minutes": {
            "type": "integer",
            "minimum": 0,
            "default": 0,
            "description": "Least time between two posts on this channel",
        },
    },
}

register(
    {
        "/channels": {
            "get": {
                "summary": "List the workspace's channels",
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {"channels": {"type": "array", "items": ref("Channel")}},
                        }
                    ),
                    **errors(401),
                },
            },
            "post": {
                "summary": "Add a channel (editor)",
                "requestBody": body("ChannelInput"),
                "responses": {
                    "201": json_response(ref("Channel"), "Created"),
                    **errors(400, 401, 403, 409, 422),
                },
            },
        },
        "/channels/{id}": {
            "parameters": [ID_PARAM],
            "get": {
                "summary": "One channel",
                "responses": {"200": json_response(ref("Channel")), **errors(401, 404)},
            },
            "patch": {
                "summary": "Change some fields (editor)",
                "requestBody": body("ChannelInput"),
                "responses": {
                    "200": json_response(ref("Channel")),
                    **errors(400, 401, 403, 404, 409, 422),
                },
            },
            "delete": delete_operation(
                "Delete a channel no piece is on (editor); 409 while in use", 409
            ),
        },
    },
    {
        "ChannelInput": _INPUT,
        "Channel": {
            "allOf": [_INPUT, {"type": "object", "properties": {"id": {"type": "integer"}}}]
        },
    },
)
