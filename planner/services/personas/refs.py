"""What depends on a persona, told to the personas domain without it importing them.

Pieces, feeds and calendar subscriptions sit above personas, so personas cannot ask them
directly. `planner.hooks` connects them at start-up:
- reference queries say whether something still names a persona, so removing it archives
  it instead of deleting it;
- lexicon listeners run when a persona's keywords or thresholds change (pieces re-audit
  their drafts).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from planner.models import Persona

ReferenceQuery = Callable[[Session, int], bool]
LexiconListener = Callable[[Session, "Persona"], Any]

_reference_queries: list[ReferenceQuery] = []
_lexicon_listeners: list[LexiconListener] = []


def add_reference_query(query: ReferenceQuery) -> None:
    """Count `query(session, persona_id)` among what refers to a persona (once)."""
    if query not in _reference_queries:
        _reference_queries.append(query)


def add_lexicon_listener(listener: LexiconListener) -> None:
    """Call `listener(session, persona)` after a persona's lexicon changed (once)."""
    if listener not in _lexicon_listeners:
        _lexicon_listeners.append(listener)


def is_referenced(session: Session, persona_id: int) -> bool:
    return any(query(session, persona_id) for query in _reference_queries)


def lexicon_changed(session: Session, persona: Persona) -> None:
    for listener in _lexicon_listeners:
        listener(session, persona)
