"""Lead endpoints: screen leads (a form handler, a CRM webhook), and the kept leads."""

from __future__ import annotations

from flask import g, jsonify, request

from planner.api import bp, json_body
from planner.api.args import MAX_OFFSET, int_arg
from planner.api.openapi import ID_PARAM, delete_operation, errors, json_response, ref, register
from planner.errors import ValidationError
from planner.extensions import db
from planner.services.leads import screening, store
from planner.services.leads.screen import VERDICTS

MAX_LIMIT = 500


@bp.post("/leads/screen")
def screen_leads():
    leads = screening.leads_from_json(json_body())
    batch = screening.screen_leads(db.session, g.actor, leads)
    db.session.commit()
    return jsonify({"results": [result.to_json() for result in batch.results]})


def _paging() -> tuple[str | None, int, int]:
    verdict = request.args.get("verdict") or None
    if verdict is not None and verdict not in VERDICTS:
        raise ValidationError("Invalid filter.", {"verdict": f"one of {', '.join(VERDICTS)}"})
    limit = int_arg("limit", store.PAGE_SIZE, minimum=1, maximum=MAX_LIMIT)
    return verdict, limit, int_arg("offset", 0, maximum=MAX_OFFSET)


@bp.get("/leads")
def list_leads():
    verdict, limit, offset = _paging()
    rows, total = store.list_kept(db.session, g.actor, verdict=verdict, limit=limit, offset=offset)
    settings = store.lead_settings(db.session, g.actor.workspace_id)
    return jsonify(
        {
            "keep_screened_leads": settings.keep,
            "lead_retention_days": settings.retention_days,
            "total": total,
            "leads": [store.kept_json(row) for row in rows],
        }
    )


@bp.delete("/leads/<lead_id>")
def delete_lead(lead_id):
    store.delete_kept(db.session, g.actor, lead_id)
    db.session.commit()
    return jsonify({"id": int(lead_id), "deleted": True})


@bp.delete("/leads")
def delete_leads():
    count = store.delete_all_kept(db.session, g.actor)
    db.session.commit()
    return jsonify({"deleted": count})


_TEXT = {"type": "string", "nullable": True}
LEAD = {
    "type": "object",
    "description": "A lead; every field optional, unknown fields ignored",
    "properties": {
        **{
            name: {**_TEXT, "maxLength": length}
            for name, length in screening.MAX_LENGTHS.items()
            if name != "message"
        },
        "company_size": {
            "type": "integer",
            "nullable": True,
            "minimum": 0,
            "maximum": screening.MAX_COMPANY_SIZE,
            "description": "Employees",
        },
        "message": {
            **_TEXT,
            "maxLength": screening.MAX_LENGTHS["message"],
            "description": "Free text (the form message, notes), audited like a draft",
        },
    },
}
_REASON = {
    "type": "object",
    "properties": {
        "field": {"type": "string"},
        "value": {"type": "string"},
        "matched": {"type": "string"},
    },
}
LEAD_RESULT = {
    "type": "object",
    "properties": {
        "row": {"type": "integer", "description": "The lead's 1-based position in the request"},
        "verdict": {"enum": list(VERDICTS)},
        "buyer": {
            "type": "object",
            "nullable": True,
            "properties": {"persona": {"type": "string"}, "score": {"type": "number"}},
        },
        "negatives": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "persona": {"type": "string"},
                    "score": {"type": "number"},
                    "reasons": {"type": "array", "items": _REASON},
                },
            },
        },
    },
}
KEPT_LEAD = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "screened_at": {"type": "string", "format": "date-time"},
        "lead": ref("Lead"),
        "verdict": {"enum": list(VERDICTS)},
        "result": ref("LeadResult"),
    },
}

register(
    {
        "/leads/screen": {
            "post": {
                "summary": "Screen one lead or up to 1,000 against the personas (editor)",
                "description": 'Send one lead object, or `{"leads": [...]}`. The answer is '
                'always `{"results": [...]}`, one result per lead in the order sent (a '
                "list of one for a single lead). Nothing is stored unless the workspace "
                "keeps screened leads (then for its retention period).",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "anyOf": [
                                    ref("Lead"),
                                    {
                                        "type": "object",
                                        "required": ["leads"],
                                        "properties": {
                                            "leads": {
                                                "type": "array",
                                                "minItems": 1,
                                                "maxItems": screening.MAX_LEADS_PER_REQUEST,
                                                "items": ref("Lead"),
                                            }
                                        },
                                    },
                                ]
                            }
                        }
                    },
                },
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "properties": {
                                "results": {"type": "array", "items": ref("LeadResult")}
                            },
                        }
                    ),
                    **errors(400, 401, 403, 413, 422),
                },
            }
        },
        "/leads": {
            "get": {
                "summary": "The kept screened leads, newest first (editor)",
                "parameters": [
                    {"name": "verdict", "in": "query", "schema": {"enum": list(VERDICTS)}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
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
                                "keep_screened_leads": {"type": "boolean"},
                                "lead_retention_days": {"type": "integer"},
                                "total": {"type": "integer"},
                                "leads": {"type": "array", "items": ref("KeptLead")},
                            },
                        }
                    ),
                    **errors(401, 403, 422),
                },
            },
            "delete": {
                "summary": "Delete every kept lead of the workspace (editor)",
                "responses": {
                    "200": json_response(
                        {"type": "object", "properties": {"deleted": {"type": "integer"}}}
                    ),
                    **errors(401, 403),
                },
            },
        },
        "/leads/{id}": {
            "parameters": [ID_PARAM],
            "delete": delete_operation("Delete one kept lead (editor)"),
        },
    },
    {"Lead": LEAD, "LeadResult": LEAD_RESULT, "KeptLead": KEPT_LEAD},
)
