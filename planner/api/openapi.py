"""The OpenAPI 3 document. A test checks every API route appears here, so it stays true."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}


def errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Malformed request",
        401: "Missing or wrong token",
        403: "Role too low",
        404: "Not found in this workspace",
        409: "Conflict",
        413: "Body too large",
        422: "Invalid field",
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


ID_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}


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
        "term": {"type": "string"},
        "weight": {"type": "number", "default": 1},
        "suggest": {"type": "string", "nullable": True},
        "case_sensitive": {"type": "boolean", "default": False},
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
PERSONA_INPUT = {
    "type": "object",
    "required": ["name", "kind"],
    "properties": {
        "name": {"type": "string"},
        "kind": {"enum": ["buyer", "negative"]},
        "summary": {"type": "string"},
        "job_titles": {"type": "array", "items": {"type": "string"}},
        "pain_points": {"type": "array", "items": {"type": "string"}},
        "red_flags": {"type": "array", "items": {"type": "string"}},
        "channels": {"type": "array", "items": {"type": "string"}},
        "content_types": {"type": "array", "items": {"type": "string"}},
        "timezone": {"type": "string", "example": "America/New_York"},
        "posting_windows": {"type": "array", "items": WINDOW},
        "cadence": {
            "type": "object",
            "properties": {
                "min_per_week": {"type": "integer"},
                "max_per_week": {"type": "integer"},
            },
        },
        "thresholds": {
            "type": "object",
            "properties": {"warn": {"type": "number"}, "block": {"type": "number"}},
        },
        "keywords": {"type": "array", "items": KEYWORD},
    },
}
PERSONA = {
    "allOf": [
        PERSONA_INPUT,
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "version": {"type": "integer"},
                "archived": {"type": "boolean"},
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
                    "details": {},
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
                "201": json_response(ref("Persona"), "Created"),
                **errors(400, 401, 403, 409, 413, 422),
            },
        },
    },
    "/personas/{id}": {
        "parameters": [ID_PARAM],
        "get": {
            "summary": "One persona",
            "responses": {"200": json_response(ref("Persona")), **errors(401, 404)},
        },
        "patch": {
            "summary": "Change some fields (editor); keyword changes bump the version",
            "requestBody": body("PersonaInput"),
            "responses": {
                "200": json_response(ref("Persona")),
                **errors(400, 401, 403, 404, 409, 422),
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
