"""Show the error tree (`planner.errors`) as JSON under /api/ and as an HTML page elsewhere."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from planner import conflicts, outages
from planner.errors import DATABASE_UNAVAILABLE, PlannerError, ServiceUnavailable


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, code: str, message: str, details: Any = None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "details": details}}
        return jsonify(body), status
    page = render_template("errors/page.html", status=status, message=message, details=details)
    return page, status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(PlannerError)
    def _planner_error(error: PlannerError):
        body, status = error_response(error.status, error.code, error.message, error.details)
        if isinstance(error, ServiceUnavailable):
            return body, status, {"Retry-After": "10"}
        return body, status

    @app.errorhandler(SQLAlchemyError)
    def _database_error(error: SQLAlchemyError):
        """A database outage is a 503 and one log line per outage, not a traceback per request."""
        if not outages.is_database_outage(error):
            return _unexpected(error)
        from planner.extensions import db, login_manager

        outages.database.down(error)
        # The page must not ask the database again: no signed-in user, no workspace switcher.
        g.actor, g._login_user = None, login_manager.anonymous_user()
        with suppress(SQLAlchemyError):
            db.session.rollback()
        return _planner_error(ServiceUnavailable(DATABASE_UNAVAILABLE))

    @app.errorhandler(IntegrityError)
    def _integrity_error(error: IntegrityError):
        """Two requests that both passed a service's check: the database refused the second."""
        conflict = conflicts.conflict_for(error)
        if conflict is None:
            return _unexpected(error)
        from planner.extensions import db

        db.session.rollback()
        return _planner_error(conflict)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return error_response(
            400, "csrf", "The form expired or was not sent from this site. Reload and try again."
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = (error.name or "error").lower().replace(" ", "_")
        if error.code == 413:
            code = "too_large"
        return error_response(error.code or 500, code, error.description or error.name)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error")
        return error_response(500, "internal", "Something went wrong on our side.")
