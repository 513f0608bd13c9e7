"""Leads as review evidence: how many leads each negative persona disqualified."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from planner.services.leads import store as lead_store


def disqualified_leads(
    session: Session, workspace_id: int, persona_id: int, since: datetime, until: datetime
) -> int | None:
    """Kept leads the persona disqualified in the period.

    None when the workspace keeps no screened leads and none are left from a time it did:
    screening is stateless by default, so there is nothing to count, and 0 would mislead.
    """
    counts = lead_store.disqualified_counts(session, workspace_id, since, until)
    if not counts and not lead_store.lead_settings(session, workspace_id).keep:
        return None
    return counts.get(persona_id, 0)
