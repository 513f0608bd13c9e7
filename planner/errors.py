"""One error tree for the app; `error_pages` shows it as HTML or JSON.

No Flask here, so services raise these without importing the web framework.
"""

from __future__ import annotations

from typing import Any


class PlannerError(Exception):
    """Root of every error the app raises on purpose."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(PlannerError):
    status, code = 400, "bad_request"


class AuthRequired(PlannerError):
    status, code = 401, "unauthorized"


class PermissionDenied(PlannerError):
    status, code = 403, "forbidden"


class NotFound(PlannerError):
    status, code = 404, "not_found"


class Conflict(PlannerError):
    status, code = 409, "conflict"


class PayloadTooLarge(PlannerError):
    status, code = 413, "too_large"


class ValidationError(PlannerError):
    """Invalid input; `details` maps a field path to its message."""

    status, code = 422, "invalid"

    def __init__(self, message: str, details: dict[str, str] | None = None) -> None:
        super().__init__(message, details or {})


class LexiconError(ValidationError):
    pass


class LeadsFileError(ValidationError):
    """A leads CSV that cannot be read at all (encoding, size, columns); nothing was screened.

    `line` is the file line the problem is on, when there is one; `details` is
    `{"file": message}`.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message, {"file": message})
        self.line = line


class ServiceUnavailable(PlannerError):
    """Something the app depends on (the database, the task queue) is down for now."""

    status, code = 503, "unavailable"


class QueueUnavailable(ServiceUnavailable):
    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "The task queue (Redis) is unavailable, so this cannot be done right now; "
            "try again shortly."
        )


DATABASE_UNAVAILABLE = "The database is unavailable; try again shortly."
