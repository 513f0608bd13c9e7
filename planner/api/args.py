"""Query-string and path readers shared by the API handlers: bounded integers, storable text.

A query value reaches SQL as a bound parameter, so an integer beyond the key range
overflowed the database as a 500 (NUL characters are refused app-wide, `planner.inputs`).
`check_path_ids` and `check_query_args` run for every API request; `int_arg` reads a
number within stated bounds.
"""

from __future__ import annotations

from flask import request

from planner.errors import NotFound, ValidationError
from planner.services.access import MAX_ID

MAX_ARG_CHARS = 1_000
# Beyond any real list; paging further is a mistake, not a 500.
MAX_OFFSET = 10**9


def check_query_args() -> None:
    """Refuse an overlong query argument (422 naming it); NUL and surrogates: `planner.inputs`."""
    problems = {
        name[:100]: f"at most {MAX_ARG_CHARS:,} characters"
        for name, value in request.args.items(multi=True)
        if len(value) > MAX_ARG_CHARS
    }
    if problems:
        raise ValidationError(f"Check {', '.join(sorted(problems))}.", problems)


def check_path_ids() -> None:
    """A path id (`/members/<int:user_id>`) beyond the key range names nothing: 404, not 500."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            raise NotFound(f"No row with {name} {str(value)[:30]}... in this workspace.")


def int_arg(name: str, default: int, *, minimum: int = 0, maximum: int) -> int:
    """A whole number from `minimum` to `maximum` (ASCII digits), or `default` when absent."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    text = raw.strip()
    digits = text[1:] if text[:1] == "-" else text
    wanted = {name: f"a whole number from {minimum} to {maximum}"}
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 19):
        raise ValidationError(f"'{name}' must be a whole number.", wanted)
    value = int(text)
    if not minimum <= value <= maximum:
        raise ValidationError(f"'{name}' is out of range.", wanted)
    return value
