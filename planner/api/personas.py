"""Persona endpoints."""

from __future__ import annotations

from flask import g, jsonify, request, url_for

from planner.api import bp, etag, json_body
from planner.extensions import db
from planner.models import Persona
from planner.services.personas import service as persona_service
from planner.services.personas.schema import validate_persona


def persona_json(persona: Persona) -> dict:
    body = persona_service.spec_of(persona).to_document()
    body.update(
        id=persona.id,
        version=persona.version,
        revision=persona.revision,
        archived=persona.archived_at is not None,
        review_every_days=persona.review_every_days,
        reviewed_at=persona.reviewed_at.isoformat() if persona.reviewed_at else None,
        created_at=persona.created_at.isoformat(),
        updated_at=persona.updated_at.isoformat(),
    )
    return body


@bp.get("/personas")
def list_personas():
    archived = request.args.get("archived") in ("1", "true")
    rows = persona_service.list_personas(db.session, g.actor, archived=archived)
    return jsonify({"personas": [persona_json(p) for p in rows]})


@bp.post("/personas")
def create_persona():
    spec = validate_persona(json_body())
    persona = persona_service.create_persona(db.session, g.actor, spec)
    db.session.commit()
    response = etag.tagged(jsonify(persona_json(persona)), persona.id, persona.revision)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_persona", persona_id=persona.id)
    return response


@bp.get("/personas/<persona_id>")
def get_persona(persona_id):
    persona = persona_service.get_persona(db.session, g.actor, persona_id)
    return etag.tagged(jsonify(persona_json(persona)), persona.id, persona.revision)


@bp.patch("/personas/<persona_id>")
def patch_persona(persona_id):
    persona = persona_service.get_persona(db.session, g.actor, persona_id)
    changes = json_body()
    expect = etag.expectation(persona.id, changes, "revision")
    with etag.precondition(expect):
        persona_service.patch_persona(
            db.session, g.actor, persona, changes, expected_revision=expect.version
        )
    db.session.commit()
    return etag.tagged(jsonify(persona_json(persona)), persona.id, persona.revision)


@bp.delete("/personas/<persona_id>")
def delete_persona(persona_id):
    persona = persona_service.get_persona(db.session, g.actor, persona_id)
    outcome = persona_service.remove_persona(db.session, g.actor, persona)
    db.session.commit()
    return jsonify({"id": int(persona_id), "outcome": outcome})
