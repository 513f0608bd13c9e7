"""`/healthz` and `/readyz`: for load balancers and monitors; no sign-in.

`/healthz` (liveness) is 200 while the app can reach its database. `/readyz` (readiness)
also checks Redis when `REDIS_URL` is set, and answers 503 naming what is missing, so a
load balancer stops sending requests to a process that could only fail them.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from planner import queue
from planner.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """One `SELECT 1`: a database outage answers 503 through the error handlers."""
    db.session.execute(text("SELECT 1"))
    db.session.rollback()
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    """Database and (with `REDIS_URL`) Redis: 200 `ready`, else 503 with each reason."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as error:
        checks["database"] = _reason(getattr(error, "orig", None) or error)
    finally:
        db.session.rollback()
    if queue.redis_url():
        from redis.exceptions import RedisError

        try:
            queue.ping()
            checks["redis"] = "ok"
        except (RedisError, OSError) as error:
            checks["redis"] = _reason(error)
    ready = all(value == "ok" for value in checks.values())
    answer = jsonify({"status": "ready" if ready else "unavailable", "checks": checks})
    answer.status_code = 200 if ready else 503
    if not ready:
        answer.headers["Retry-After"] = "10"
    return answer


def _reason(error: BaseException) -> str:
    """The first line of the driver's message: enough to act on, no traceback."""
    lines = str(error).strip().splitlines()
    return f"unavailable: {lines[0][:200] if lines else type(error).__name__}"
