"""`/healthz`: for load balancers and monitors; 200 while the app can reach its database."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from planner.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """One `SELECT 1`: a database outage answers 503 through the error handlers."""
    db.session.execute(text("SELECT 1"))
    db.session.rollback()
    return jsonify({"status": "ok"})
