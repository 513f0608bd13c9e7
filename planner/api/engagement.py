"""Engagement import: `POST /engagement` with a CSV (JSON-wrapped or as `text/csv`)."""

from __future__ import annotations

from flask import g, jsonify, request

from planner.api import bp, json_body
from planner.api.args import int_arg
from planner.api.openapi import errors, json_response, ref, register
from planner.errors import ValidationError
from planner.extensions import db
from planner.models import ENGAGEMENT_FIELDS
from planner.services.engagement import imports as engagement_imports
from planner.services.engagement import results as engagement_results

BODY_FIELDS = ("source", "csv", "mapping")
MAX_UNMATCHED = 500


@bp.post("/engagement")
def import_engagement():
    if request.mimetype == "text/csv":
        content: bytes | str = request.get_data(cache=False)
        source, mapping = request.args.get("source"), None
    else:
        data = json_body()
        unknown = [key for key in data if key not in BODY_FIELDS]
        if unknown:
            raise ValidationError(
                f"Unknown field {unknown[0][:60]!r}.",
                {key[:60]: f"unknown field; send {', '.join(BODY_FIELDS)}" for key in unknown},
            )
        if not isinstance(data.get("csv"), str):
            raise ValidationError("Send the file's text as 'csv'.", {"csv": "must be a string"})
        content, source, mapping = data["csv"], data.get("source"), data.get("mapping")
        if mapping is not None and not isinstance(mapping, dict):
            raise ValidationError("The mapping must be an object.", {"mapping": "an object"})
    result = engagement_imports.import_file(db.session, g.actor, content, source, mapping)
    db.session.commit()
    return jsonify(result.to_dict())


@bp.get("/engagement/unmatched")
def unmatched_engagement():
    limit = int_arg("limit", 100, minimum=1, maximum=MAX_UNMATCHED)
    offset = int_arg("offset", 0, minimum=0, maximum=10**9)
    rows, total = engagement_results.list_unmatched(db.session, g.actor, limit, offset)
    return jsonify(
        {
            "total": total,
            "rows": [
                {
                    "id": row.id,
                    "source": source,
                    "line": row.line,
                    "published_at": row.published_at.isoformat(),
                    "channel": row.channel,
                    "url": row.url,
                    "title": row.title,
                    "impressions": row.impressions,
                    "clicks": row.clicks,
                    "engagements": row.engagements,
                }
                for row, source in rows
            ],
        }
    )


_MAPPING = {
    "type": "object",
    "description": "Which CSV header holds each field (leave a field out when the file has "
    "none); `timezone` is the IANA zone of times without an offset (default: the "
    "workspace's), `date_order` how slashed dates read. Saved for the source",
    "properties": {
        **{name: {"type": "string", "nullable": True} for name in ENGAGEMENT_FIELDS},
        "timezone": {"type": "string", "example": "America/New_York"},
        "date_order": {"enum": ["mdy", "dmy"], "default": "mdy"},
    },
    "additionalProperties": False,
}
_COUNTS = {
    "type": "object",
    "properties": {
        "source": {"type": "string"},
        "imported": {"type": "integer", "description": "New rows"},
        "updated": {"type": "integer", "description": "Rows already stored whose values changed"},
        "unchanged": {"type": "integer"},
        "matched": {"type": "integer", "description": "Rows of this file that match a piece"},
        "unmatched": {"type": "integer", "description": "Rows kept without a piece"},
        "errors": {
            "type": "array",
            "description": "Rows skipped, by the line of the file they start on",
            "items": {
                "type": "object",
                "properties": {"line": {"type": "integer"}, "message": {"type": "string"}},
            },
        },
    },
}
_UNMATCHED = {
    "type": "object",
    "properties": {
        "total": {"type": "integer"},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "source": {"type": "string"},
                    "line": {"type": "integer"},
                    "published_at": {"type": "string", "format": "date-time"},
                    "channel": {"type": "string", "nullable": True},
                    "url": {"type": "string", "nullable": True},
                    "title": {"type": "string", "nullable": True},
                    "impressions": {"type": "integer", "nullable": True},
                    "clicks": {"type": "integer", "nullable": True},
                    "engagements": {"type": "integer", "nullable": True},
                },
            },
        },
    },
}

register(
    {
        "/engagement": {
            "post": {
                "summary": "Import post results from a CSV export (editor)",
                "description": "Rows match pieces by URL, then piece id, then exact title on "
                "the same day; unmatched rows are kept. Idempotent per source: the same file "
                "twice stores it once; changed counts update the rows. Bad rows are skipped "
                "and listed in `errors`; a file that cannot be read (not UTF-8, empty, "
                "binary, no header, over 10 MB) or whose columns are not mapped imports "
                "nothing (422). Canonical headers (`published_at, channel, url, title, "
                "impressions, clicks, engagements`, `piece_id`) need no mapping. Also "
                "accepts the file itself as `text/csv` with `?source=`.",
                "parameters": [
                    {
                        "name": "source",
                        "in": "query",
                        "description": "The source's name, for a `text/csv` body",
                        "schema": {"type": "string", "maxLength": 120},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["csv"],
                                "properties": {
                                    "source": {
                                        "type": "string",
                                        "maxLength": 120,
                                        "default": engagement_imports.DEFAULT_SOURCE,
                                    },
                                    "csv": {"type": "string", "description": "The file's text"},
                                    "mapping": ref("EngagementMapping"),
                                },
                                "additionalProperties": False,
                            }
                        },
                        "text/csv": {"schema": {"type": "string"}},
                    },
                },
                "responses": {
                    "200": json_response(ref("EngagementImport")),
                    **errors(400, 401, 403, 409, 413, 422),
                },
            }
        },
        "/engagement/unmatched": {
            "get": {
                "summary": "Imported results that match no piece, newest first",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_UNMATCHED},
                    },
                    {
                        "name": "offset",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 0, "maximum": 10**9},
                    },
                ],
                "responses": {"200": json_response(_UNMATCHED), **errors(401, 422)},
            }
        },
    },
    {"EngagementMapping": _MAPPING, "EngagementImport": _COUNTS},
)
