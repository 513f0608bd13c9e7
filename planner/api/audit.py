"""`POST /audit`: audit a text against the workspace's personas, statelessly (a CMS or CI gate)."""

from __future__ import annotations

from flask import g, jsonify

from planner.api import bp, json_body
from planner.api.openapi import ID_LIST, errors, json_response, ref, register
from planner.extensions import db
from planner.services import audit as audit_service


@bp.post("/audit")
def audit():
    data = json_body()
    result = audit_service.audit_text(
        db.session,
        g.actor,
        data.get("text"),
        data.get("format"),
        persona_ids=data.get("personas"),
        target_ids=data.get("target_personas"),
        title=data.get("title"),
        summary=data.get("summary"),
    )
    return jsonify(result)


_IDS = ID_LIST
_FIELD = {
    "enum": ["title", "description", "tags", "alt", "body"],
    "description": "Where a reader meets the words; `title`/`description` matches of the "
    "request's `title`/`summary` have offsets into that string. Absent in results stored "
    "before fields: read as `body`",
}
_POSITION = {
    "start": {"type": "integer", "description": "Code-point offset into the submitted text"},
    "end": {"type": "integer", "description": "Code-point offset, exclusive"},
    "line": {"type": "integer", "minimum": 1},
    "column": {"type": "integer", "minimum": 1},
}

register(
    {
        "/audit": {
            "post": {
                "summary": "Audit a text against the workspace's personas (any role)",
                "description": "Nothing is stored. `start`/`end` are Unicode code-point "
                "offsets into the text as submitted (Markdown or HTML source), or into "
                "`title`/`summary` for matches there. Front matter, HTML head fields and "
                "image alt text are audited too; every field counts alike. The verdict "
                "is `block` if a negative persona reaches its block threshold, `warn` if one "
                "reaches warn or a target persona has no match, else `pass`.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("AuditRequest")}},
                },
                "responses": {
                    "200": json_response(ref("AuditResult")),
                    **errors(400, 401, 413, 422),
                },
            }
        }
    },
    {
        "AuditRequest": {
            "type": "object",
            "required": ["text", "format"],
            "properties": {
                "text": {
                    "type": "string",
                    "maxLength": audit_service.MAX_AUDIT_CHARS,
                },
                "format": {"enum": list(audit_service.FORMATS)},
                "title": {
                    "type": "string",
                    "maxLength": audit_service.MAX_AUDIT_CHARS,
                    "description": "Plain-text title shown beside the text; its matches "
                    "have field `title` and offsets into this string",
                },
                "summary": {
                    "type": "string",
                    "maxLength": audit_service.MAX_AUDIT_CHARS,
                    "description": "Plain-text excerpt or meta description; its matches "
                    "have field `description` and offsets into this string",
                },
                "personas": {
                    **_IDS,
                    "description": "Audit only these personas (default: every active one)",
                },
                "target_personas": {
                    **_IDS,
                    "description": "Personas the text is meant for; no match makes it warn",
                },
            },
        },
        "AuditMatch": {
            "type": "object",
            "properties": {
                "term": {"type": "string", "description": "The keyword as the persona lists it"},
                "text": {"type": "string", "description": "The source text it matched"},
                **_POSITION,
                "weight": {"type": "number"},
                "suggest": {"type": "string", "nullable": True},
                "dismissed": {"type": "boolean"},
                "field": _FIELD,
            },
        },
        "AuditPersona": {
            "type": "object",
            "properties": {
                "id": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                "name": {"type": "string"},
                "kind": {"enum": ["buyer", "negative"]},
                "score": {"type": "number"},
                "level": {"enum": ["pass", "warn", "block", "match", "none"]},
                "matches": {"type": "array", "items": ref("AuditMatch")},
            },
        },
        "AuditFinding": {
            "type": "object",
            "properties": {
                "level": {"enum": ["info", "warn", "block"]},
                "persona": {"type": "string"},
                "message": {"type": "string"},
                **{k: {**v, "nullable": True} for k, v in _POSITION.items()},
                "suggest": {"type": "string", "nullable": True},
                "field": {**_FIELD, "nullable": True},
            },
        },
        "AuditResult": {
            "type": "object",
            "required": ["verdict", "word_count", "personas", "findings", "warnings"],
            "properties": {
                "verdict": {"enum": ["pass", "warn", "block"]},
                "word_count": {"type": "integer", "description": "Words of the body only"},
                "personas": {"type": "array", "items": ref("AuditPersona")},
                "findings": {"type": "array", "items": ref("AuditFinding")},
                "warnings": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "What could not be read as meant (e.g. malformed "
                    "front matter, read as body text)",
                },
            },
        },
    },
)
