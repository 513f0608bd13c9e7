"""`POST /personas/{id}/preview` and `POST /personas/preview`: a persona change, dry run."""

from __future__ import annotations

from flask import g, jsonify

from planner.api import bp, json_body
from planner.api.openapi import ID_PARAM, body, errors, json_response, ref, register
from planner.extensions import db
from planner.services.persona_preview import impact as preview_service
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona


@bp.post("/personas/preview")
def preview_new_persona():
    spec = validate_persona(json_body())
    impact = preview_service.preview_persona(db.session, g.actor, None, spec)
    db.session.rollback()  # a preview writes nothing, even by accident
    return jsonify(impact.to_dict())


@bp.post("/personas/<persona_id>/preview")
def preview_persona_change(persona_id):
    persona = persona_service.get_persona(db.session, g.actor, persona_id)
    spec = preview_service.patched_spec(persona, json_body())
    impact = preview_service.preview_persona(db.session, g.actor, persona, spec)
    db.session.rollback()
    return jsonify(impact.to_dict())


_EXAMPLE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "kind": {"enum": ["piece", "item"]},
        "title": {"type": "string"},
        "text": {"type": "string", "description": "The matched source text"},
        "field": {"type": "string"},
        "start": {"type": "integer"},
        "end": {"type": "integer"},
    },
}
_FOUND = {
    "type": "object",
    "properties": {
        "matches": {"type": "integer"},
        "texts": {"type": "integer"},
        "examples": {"type": "array", "maxItems": 5, "items": _EXAMPLE},
    },
}
_VERDICT_CHANGE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "kind": {"enum": ["piece", "item"]},
        "title": {"type": "string"},
        "status": {"type": "string", "description": "A piece's status, an item's state"},
        "from": {"enum": ["pass", "warn", "block"]},
        "to": {"enum": ["pass", "warn", "block"]},
    },
}
_CHANGES = {"type": "array", "items": _VERDICT_CHANGE}
PERSONA_PREVIEW = {
    "type": "object",
    "description": "What saving would do to the workspace's unpublished pieces and its feed "
    "items of the last 30 days. Nothing is saved.",
    "properties": {
        "persona": {"type": "object", "properties": {"id": {"type": "integer", "nullable": True}}},
        "keywords": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "change": {"enum": ["added", "removed", "changed"]},
                    "term": {"type": "string"},
                    "pieces": _FOUND,
                    "items": _FOUND,
                },
            },
        },
        "thresholds": {
            "type": "object",
            "description": "`warn`/`block` that change: `{from, to}` (null: the default)",
        },
        "kind": {"type": "object", "nullable": True},
        "newly_blocked": _CHANGES,
        "newly_warned": _CHANGES,
        "newly_passing": _CHANGES,
        "scanned": {
            "type": "object",
            "properties": {
                "pieces": {"type": "integer"},
                "items": {"type": "integer"},
                "audited": {"type": "integer", "description": "Texts the change could move"},
            },
        },
        "fingerprint": {
            "type": "string",
            "description": "Changes when any part of the answer does",
        },
    },
}

register(
    {
        "/personas/preview": {
            "post": {
                "summary": "Preview creating a persona (editor); saves nothing",
                "requestBody": body("PersonaInput"),
                "responses": {
                    "200": json_response(ref("PersonaPreview")),
                    **errors(400, 401, 403, 413, 422),
                },
            }
        },
        "/personas/{id}/preview": {
            "parameters": [ID_PARAM],
            "post": {
                "summary": "Preview a change to a persona (editor); saves nothing",
                "description": "The body is what PATCH would take: fields left out keep "
                "their values.",
                "requestBody": body("PersonaInput"),
                "responses": {
                    "200": json_response(ref("PersonaPreview")),
                    **errors(400, 401, 403, 404, 413, 422),
                },
            },
        },
    },
    {"PersonaPreview": PERSONA_PREVIEW},
)
