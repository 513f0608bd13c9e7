"""What refers to a persona, so removing it archives instead of deleting.

Each feature that stores persona ids (pieces, audits, feeds) adds its query to
`REFERENCE_QUERIES`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

REFERENCE_QUERIES: list[Callable[[Session, int], bool]] = []


def is_referenced(session: Session, persona_id: int) -> bool:
    return any(query(session, persona_id) for query in REFERENCE_QUERIES)
