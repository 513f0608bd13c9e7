"""The JSON API, version 1: token auth, JSON errors, the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Flask, g, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from planner import security
from planner.api.args import check_path_ids, check_query_args
from planner.api.body import json_object
from planner.errors import AuthRequired
from planner.extensions import csrf, db, limiter
from planner.services import accounts

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Checked before the token is: requests per token, and unknown tokens per address.
LIMITS = (
    limiter.limit(
        security.limit_setting("API_TOKEN_RATE_LIMIT"),
        key_func=security.bearer_key,
        scope="api-token",
        exempt_when=security.limit_is_off("API_TOKEN_RATE_LIMIT"),
    ),
    limiter.limit(
        security.limit_setting("API_AUTH_FAILURE_RATE_LIMIT"),
        key_func=security.client_address,
        scope="api-auth-failure",
        deduct_when=security.failed_with(401),
        exempt_when=security.limit_is_off("API_AUTH_FAILURE_RATE_LIMIT"),
    ),
)


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
    if db.session.dirty:  # last_used_at, at most once a minute; a read never fails on it
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
    check_path_ids()
    check_query_args()


def json_body() -> dict:
    """The request's JSON object, or a 400/422 that says what is wrong with it (`api.body`)."""
    return json_object()


@bp.get("/openapi.json")
def openapi():
    from planner.api.openapi import document

    return jsonify(document())


def init_app(app: Flask) -> None:
    """Register the API; `planner.hooks` imports the modules whose routes hang on `bp`."""
    csrf.exempt(bp)
    for limit in LIMITS:  # after `limiter.init_app`, which starts a fresh set of limits
        limit(bp)
    app.register_blueprint(bp)
