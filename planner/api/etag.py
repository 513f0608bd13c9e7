"""ETags and `If-Match` for one piece or persona: optimistic locking over HTTP.

The ETag is `"<id>-<counter>"` (a piece's `version`, a persona's `revision`). A write
names the counter it builds on either in `If-Match` (a stale one is 412) or, without the
header, as the counter field in the body (a stale one is 409, as for a stale form). With
neither, the write goes through as before: last writer wins, one writer at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Response, request

from planner.errors import BadRequest, PlannerError, ValidationError
from planner.services.versions import StaleVersion

_TAG = re.compile(r'^"(\d{1,18})-(\d{1,18})"$')


class PreconditionFailed(PlannerError):
    status, code = 412, "precondition_failed"


@dataclass(frozen=True)
class Expectation:
    """The counter a write builds on (None: no check) and whether `If-Match` named it."""

    version: int | None
    from_header: bool


def etag(row_id: int, counter: int) -> str:
    return f'"{row_id}-{counter}"'


def tagged(response: Response, row_id: int, counter: int) -> Response:
    response.headers["ETag"] = etag(row_id, counter)
    return response


def expectation(row_id: int, body: Any, field: str) -> Expectation:
    """Read `If-Match`, else the body's `field` (taken out of the body either way)."""
    raw = body.pop(field, None) if isinstance(body, dict) else None
    header = request.headers.get("If-Match")
    if header is not None:
        return Expectation(_from_header(row_id, header.strip(), field), True)
    if raw is None:
        return Expectation(None, False)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise ValidationError(
            f"Check '{field}'.", {field: f"must be the {field} you read (a whole number)"}
        )
    return Expectation(raw, False)


def _from_header(row_id: int, header: str, field: str) -> int | None:
    if header == "*":
        return None
    if "," in header:
        raise BadRequest("Send one ETag in If-Match.", {"If-Match": "one ETag or *"})
    if header.startswith("W/"):
        raise PreconditionFailed(
            "If-Match needs a strong ETag; send the ETag header of the last GET as it is.",
            {"If-Match": "weak ETags never match"},
        )
    found = _TAG.match(header)
    if found is None:
        raise BadRequest(
            'If-Match must be an ETag as this API sends it, e.g. "12-3", or *.',
            {"If-Match": "not an ETag of this API"},
        )
    if int(found.group(1)) != row_id:
        raise PreconditionFailed(
            f"If-Match names another resource (id {found.group(1)}, not {row_id}).",
            {"If-Match": "another resource's ETag"},
        )
    return int(found.group(2))


@contextmanager
def precondition(expect: Expectation) -> Iterator[None]:
    """Turn a stale write into 412 when `If-Match` named the version, else leave the 409."""
    try:
        yield
    except StaleVersion as stale:
        if not expect.from_header:
            raise
        raise PreconditionFailed(stale.message, stale.details) from stale
