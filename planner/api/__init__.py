"""The JSON API, version 1: token auth, JSON errors, the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Flask, g, jsonify, request

from planner.errors import AuthRequired, BadRequest
from planner.extensions import csrf, db
from planner.services import accounts

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _authenticate() -> None:
    if request.endpoint == "api.openapi":
        return
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise AuthRequired("Send an API token as 'Authorization: Bearer <token>'.")
    g.actor = accounts.actor_for_token(db.session, secret.strip())
    if g.actor is None:
        raise AuthRequired("The API token is unknown or was revoked.")
    db.session.commit()  # keep last_used_at


def json_body() -> dict:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    if not request.is_json:
        raise BadRequest("Send a JSON body with 'Content-Type: application/json'.")
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest("The request body is not valid JSON.")
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return data


@bp.get("/openapi.json")
def openapi():
    from planner.api.openapi import document

    return jsonify(document())


def init_app(app: Flask) -> None:
    """Register the API; `planner.hooks` imports the modules whose routes hang on `bp`."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
