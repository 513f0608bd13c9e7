"""The OpenAPI 3 document. A test checks every API route appears here, so it stays true."""

from __future__ import annotations

from typing import Any

from planner.services.access import MAX_ID
from planner.services.lexicons import MAX_IDS
from planner.services.personas import fields as persona_fields
from planner.services.personas import schema as persona_schema

ERROR = {"$ref": "#/components/schemas/Error"}


def errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Malformed request",
        401: "Missing or wrong token",
        403: "Role too low",
        404: "Not found in this workspace",
        409: "Conflict (a duplicate name, or a stale `version`/`revision` in the body)",
        412: "If-Match names a version that is no longer current",
        413: "Body too large",
        422: "Invalid field",
        429: "Too many requests; Retry-After says in how many seconds to try again",
    }
    return {
        str(c): {"description": text[c], "content": {"application/json": {"schema": ERROR}}}
        for c in codes
    }


def json_response(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(name)}}}


ID_PARAM = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
# A list of persona ids in a request body (`POST /audit`, feeds): de-duplicated, capped.
ID_LIST = {
    "type": "array",
    "maxItems": MAX_IDS,
    "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
_POSITIVE = {"type": "number", "minimum": 0, "exclusiveMinimum": True}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": 'The ETag of the last GET ("<id>-<version>"); a stale one is a 412. '
    "Without it, the counter field in the body is checked (409 when stale); with neither, "
    "the write goes through (last writer wins).",
    "schema": {"type": "string"},
}
ETAG_HEADER = {
    "ETag": {
        "description": 'Strong ETag "<id>-<counter>"; send it back in If-Match',
        "schema": {"type": "string"},
    }
}


def tagged(response: dict) -> dict:
    """A response of one piece or persona, which carries its ETag."""
    return {**response, "headers": ETAG_HEADER}


def delete_operation(summary: str, *more_errors: int) -> dict:
    """A DELETE that answers `{"id", "deleted": true}`, as pieces, channels and feeds do."""
    schema = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "deleted": {"type": "boolean"}},
    }
    return {
        "summary": summary,
        "responses": {"200": json_response(schema), **errors(401, 403, 404, *more_errors)},
    }


KEYWORD = {
    "type": "object",
    "required": ["term"],
    "properties": {
        "term": {"type": "string", "maxLength": 200},
        "weight": {**_POSITIVE, "maximum": persona_schema.WEIGHT_MAX, "default": 1},
        "suggest": {"type": "string", "nullable": True, "maxLength": 200},
        "case_sensitive": {"type": "boolean", "default": False},
        "forms": {
            "type": "array",
            "maxItems": persona_schema.MAX_FORMS,
            "items": {"type": "string", "maxLength": 200},
            "description": "Extra surface forms this keyword also matches",
        },
        "not": {
            "type": "array",
            "maxItems": persona_schema.MAX_FORMS,
            "items": {"type": "string", "maxLength": 200},
            "description": "Surface forms this keyword must never match",
        },
    },
}
WINDOW = {
    "type": "object",
    "required": ["days", "start", "end"],
    "properties": {
        "days": {
            "type": "array",
            "items": {"enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
        },
        "start": {"type": "string", "example": "08:00"},
        "end": {"type": "string", "example": "10:30"},
    },
}
_TEXTS = {
    "type": "array",
    "maxItems": persona_fields.MAX_LIST_ITEMS,
    "items": {"type": "string", "maxLength": 500},
}
_PER_WEEK = {"type": "integer", "minimum": 0, "maximum": persona_schema.MAX_PER_WEEK}
_THRESHOLD = {**_POSITIVE, "maximum": persona_schema.THRESHOLD_MAX}
_EMPLOYEES = {"type": "integer", "minimum": 0, "maximum": persona_schema.MAX_COMPANY_SIZE}
PERSONA_INPUT = {
    "type": "object",
    "required": ["name", "kind"],
    "properties": {
        "name": {"type": "string", "maxLength": 120},
        "kind": {"enum": ["buyer", "negative"]},
        "summary": {"type": "string", "maxLength": 2000},
        "job_titles": _TEXTS,
        "pain_points": _TEXTS,
        "red_flags": _TEXTS,
        "channels": _TEXTS,
        "content_types": _TEXTS,
        "company_size": {
            "type": "object",
            "description": "Lead screening: employees; at least one of min and max, min <= max",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {"min": _EMPLOYEES, "max": _EMPLOYEES},
        },
        "industries": {
            "type": "array",
            "description": "Lead screening: industries (case-, punctuation- and plural-tolerant)",
            "maxItems": persona_fields.MAX_LIST_ITEMS,
            "items": {"type": "string", "maxLength": 100},
        },
        "regions": {
            "type": "array",
            "description": "Lead screening: countries, as ISO codes (US, DE) or names (Germany)",
            "maxItems": persona_fields.MAX_LIST_ITEMS,
            "items": {"type": "string", "maxLength": 100, "example": "US"},
        },
        "timezone": {"type": "string", "example": "America/New_York"},
        "posting_windows": {
            "type": "array",
            "maxItems": persona_schema.MAX_WINDOWS,
            "items": WINDOW,
        },
        "cadence": {
            "type": "object",
            "properties": {"min_per_week": _PER_WEEK, "max_per_week": _PER_WEEK},
        },
        "thresholds": {
            "type": "object",
            "description": "Negative personas; block must be at least warn",
            "properties": {"warn": _THRESHOLD, "block": _THRESHOLD},
        },
        "keywords": {"type": "array", "maxItems": persona_schema.MAX_KEYWORDS, "items": KEYWORD},
        "review_every_days": {
            "type": "integer",
            "minimum": 1,
            "maximum": persona_schema.MAX_REVIEW_DAYS,
            "default": persona_schema.REVIEW_EVERY_DAYS,
            "description": "Days after its last review (or creation) that the persona is "
            "due for review; not a lexicon change",
        },
    },
}
PERSONA = {
    "allOf": [
        PERSONA_INPUT,
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "version": {
                    "type": "integer",
                    "readOnly": True,
                    "description": "The lexicon's version: moves when keywords, kind or "
                    "thresholds change; audits record it",
                },
                "revision": {
                    "type": "integer",
                    "readOnly": True,
                    "description": "Counts every saved change (from 1); the ETag's counter. "
                    "Send it in a PATCH body (or the ETag in If-Match) to refuse a stale write",
                },
                "archived": {"type": "boolean"},
                "reviewed_at": {
                    "type": "string",
                    "format": "date-time",
                    "nullable": True,
                    "readOnly": True,
                    "description": "When it was last marked reviewed; null if never",
                },
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
        },
    ]
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "details": {
                        "description": "Field path (`keywords[2].weight`, `personas`, "
                        "`body`) to what is wrong with it; null when no field is to blame",
                    },
                },
            }
        },
    },
    "PersonaInput": PERSONA_INPUT,
    "Persona": PERSONA,
}

PATHS: dict[str, Any] = {
    "/personas": {
        "get": {
            "summary": "List the workspace's personas",
            "parameters": [{"name": "archived", "in": "query", "schema": {"type": "boolean"}}],
            "responses": {
                "200": json_response(
                    {
                        "type": "object",
                        "properties": {"personas": {"type": "array", "items": ref("Persona")}},
                    }
                ),
                **errors(401),
            },
        },
        "post": {
            "summary": "Create a persona (editor)",
            "requestBody": body("PersonaInput"),
            "responses": {
                "201": tagged(json_response(ref("Persona"), "Created")),
                **errors(400, 401, 403, 409, 413, 422),
            },
        },
    },
    "/personas/{id}": {
        "parameters": [ID_PARAM],
        "get": {
            "summary": "One persona",
            "responses": {"200": tagged(json_response(ref("Persona"))), **errors(401, 404)},
        },
        "patch": {
            "summary": "Change some fields (editor); keyword changes bump the version",
            "description": "Every change bumps `revision`. Optimistic locking: `If-Match` "
            "with the ETag (412 when stale) or, without it, `revision` in the body (409 "
            "`stale` when stale); `details` then name the current revision, who changed "
            "it and when. With neither, concurrent PATCHes apply one after the other.",
            "parameters": [IF_MATCH],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "allOf": [
                                ref("PersonaInput"),
                                {
                                    "type": "object",
                                    "properties": {"revision": {"type": "integer"}},
                                },
                            ]
                        }
                    }
                },
            },
            "responses": {
                "200": tagged(json_response(ref("Persona"))),
                **errors(400, 401, 403, 404, 409, 412, 422),
            },
        },
        "delete": {
            "summary": "Delete, or archive when pieces or audits refer to it (editor)",
            "responses": {
                "200": json_response(
                    {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "outcome": {"enum": ["deleted", "archived"]},
                        },
                    }
                ),
                **errors(401, 403, 404),
            },
        },
    },
}


def register(paths: dict[str, Any], schemas: dict[str, Any] | None = None) -> None:
    """Let each API module describe its own endpoints next to the code that serves them."""
    PATHS.update(paths)
    SCHEMAS.update(schemas or {})


def document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Persona Planner API",
            "version": "1.0.0",
            "description": "Token-authenticated JSON API. Errors are "
            '{"error": {"code", "message", "details"}}.',
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": PATHS,
    }
