"""Show the error tree (`planner.errors`) as JSON under /api/ and as an HTML page elsewhere."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from planner.errors import PlannerError


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
        return error_response(error.status, error.code, error.message, error.details)

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
