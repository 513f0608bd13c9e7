"""A broken unique key or reference, as the 409 a user can act on; both databases alike.

Services check names before they insert, but two requests can pass the check together;
the database's unique keys then refuse the second. `conflict_for` is the one translation:
the error pages use it for every request and the persona form for its own message.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from planner.errors import Conflict

AGAIN = "It may have been saved by someone else a moment ago; reload and check."

# Constraint names follow `models.base.NAMING_CONVENTION`: uq_<table>_<columns>.
UNIQUE_KEYS: dict[str, tuple[str, str]] = {
    "uq_persona_workspace_id_name": ("name", "A persona with this name already exists."),
    "uq_channel_workspace_id_name": ("name", "A channel with this name already exists."),
    "uq_channel_workspace_id_name_key": ("name", "A channel with this name already exists."),
    "uq_persona_keyword_persona_id_term_case_sensitive": (
        "keywords",
        "A keyword would be listed twice in this persona.",
    ),
    "uq_finding_dismissal_piece_id_persona_id_term_matched_text": (
        "text",
        "This finding is already dismissed.",
    ),
}
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (\w+)\.(\w+)((?:, \w+\.\w+)*)")
_UNIQUE_STATE, _REFERENCE_STATE = "23505", "23503"


def _unique_key_name(error: IntegrityError) -> str | None:
    """The violated unique key's name, or None when the error is not a unique violation."""
    orig = error.orig
    if getattr(orig, "sqlstate", None) == _UNIQUE_STATE:  # psycopg 3
        diag = getattr(orig, "diag", None)
        return getattr(diag, "constraint_name", None) or ""
    found = _SQLITE_UNIQUE.search(str(orig))
    if found is None:
        return None
    table = found.group(1)
    columns = [found.group(2)] + re.findall(r"\w+\.(\w+)", found.group(3))
    return f"uq_{table}_{'_'.join(columns)}"


def _is_reference(error: IntegrityError) -> bool:
    orig = error.orig
    return getattr(
        orig, "sqlstate", None
    ) == _REFERENCE_STATE or "FOREIGN KEY constraint failed" in str(orig)


def conflict_for(error: IntegrityError) -> Conflict | None:
    """The 409 for a duplicate or a vanished reference; None for other integrity errors
    (a missing required value is a bug, not a conflict)."""
    name = _unique_key_name(error)
    if name is not None:
        field, message = UNIQUE_KEYS.get(name, ("", "This would duplicate an existing entry."))
        return Conflict(f"{message} {AGAIN}", {field: "already taken"} if field else {})
    if _is_reference(error):
        return Conflict(f"Something this refers to was removed meanwhile. {AGAIN}", {})
    return None
