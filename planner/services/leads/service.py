"""A workspace's lead screener, compiled from its active personas and cached.

Compiling is cheap but not free (title tokens, country codes, the message matcher), and
a form handler may screen one lead per request, so the screener is kept per workspace,
keyed by every active persona's `(id, revision, updated_at, created_at)`: any saved change
to a persona (its lead fields and red flags included, which do not move its lexicon
`version`) gives a new key, so a stale screener is never used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.models import Persona
from planner.services.leads.screen import Lead, LeadResult, Screener
from planner.services.personas.service import spec_of

_CACHE_SIZE = 64
_cache: OrderedDict[tuple, Screener] = OrderedDict()
_cache_lock = threading.Lock()


def _active(workspace_id: int):  # type: ignore[no-untyped-def]
    return (
        select(Persona)
        .where(Persona.workspace_id == workspace_id, Persona.archived_at.is_(None))
        .order_by(Persona.kind.desc(), Persona.name, Persona.id)
    )


def screener_for_workspace(session: Session, workspace_id: int) -> Screener:
    """Return the screener for the workspace's active personas (negative first, by name)."""
    stamps = session.execute(
        _active(workspace_id).with_only_columns(
            Persona.id, Persona.revision, Persona.updated_at, Persona.created_at
        )
    ).all()
    key = (workspace_id, tuple(tuple(row) for row in stamps))
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    rows = session.scalars(_active(workspace_id).options(selectinload(Persona.keywords)))
    screener = Screener([spec_of(persona) for persona in rows])
    with _cache_lock:
        _cache[key] = screener
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return screener


def screen_leads(screener: Screener, rows: Iterable[tuple[int, Lead]]) -> list[LeadResult]:
    """Screen `(row, lead)` pairs in order."""
    return [screener.screen(lead, row) for row, lead in rows]
