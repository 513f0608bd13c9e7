"""Kept screened leads: store, list, delete, purge after the retention period.

Screening is stateless unless the workspace turns on "keep screened leads" (issue 15,
part 4): then each screened lead and its result are stored for `lead_retention_days`
and purged by the scheduler (`tasks.purge_expired_leads`). Nothing here screens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from planner.errors import ValidationError
from planner.models import Persona, ScreenedLead, Workspace
from planner.services.access import Actor, get_scoped, scoped
from planner.services.leads.csvio import MAX_FIELD_CHARS, MAX_MESSAGE_CHARS
from planner.services.leads.screen import FIELDS as LEAD_FIELDS
from planner.services.leads.screen import Lead, LeadResult

RETENTION_MIN_DAYS, RETENTION_MAX_DAYS = 1, 3650
DEFAULT_RETENTION_DAYS = 30
# Column sizes (`models/lead.py`), as long as `csvio` reads: an API lead is never longer.
_LENGTHS = {
    "name": MAX_FIELD_CHARS,
    "email": MAX_FIELD_CHARS,
    "company": MAX_FIELD_CHARS,
    "job_title": MAX_FIELD_CHARS,
    "industry": MAX_FIELD_CHARS,
    "country": MAX_FIELD_CHARS,
    "message": MAX_MESSAGE_CHARS,
}
PAGE_SIZE = 100


@dataclass(frozen=True)
class LeadSettings:
    keep: bool
    retention_days: int


def lead_settings(session: Session, workspace_id: int) -> LeadSettings:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        return LeadSettings(False, DEFAULT_RETENTION_DAYS)
    return LeadSettings(bool(workspace.keep_screened_leads), workspace.lead_retention_days)


def update_lead_settings(
    session: Session, actor: Actor, keep: bool, retention_days: Any
) -> LeadSettings:
    """Turn keeping screened leads on or off and set how long they are kept (owner)."""
    actor.require("owner", "change what is kept of screened leads")
    try:
        days = int(retention_days)
    except (TypeError, ValueError):
        days = 0
    if isinstance(retention_days, bool) or not RETENTION_MIN_DAYS <= days <= RETENTION_MAX_DAYS:
        raise ValidationError(
            "Invalid retention period.",
            {
                "lead_retention_days": f"a whole number of days from {RETENTION_MIN_DAYS} "
                f"to {RETENTION_MAX_DAYS}"
            },
        )
    workspace = session.get(Workspace, actor.workspace_id)
    assert workspace is not None
    workspace.keep_screened_leads = bool(keep)
    workspace.lead_retention_days = days
    session.flush()
    return LeadSettings(workspace.keep_screened_leads, days)


def max_length(field: str) -> int:
    """The longest value kept for a lead's text field."""
    return _LENGTHS[field]


def _cut(field: str, value: str) -> str:
    return value[: _LENGTHS[field]]


def keep_leads(
    session: Session,
    workspace_id: int,
    screened: Iterable[tuple[Lead, LeadResult]],
    now: datetime,
) -> int:
    """Store each lead with its result; the caller checked the workspace keeps leads."""
    rows = []
    for lead, result in screened:
        shaped = result.to_json()
        rows.append(
            ScreenedLead(
                workspace_id=workspace_id,
                screened_at=now,
                **{f: _cut(f, getattr(lead, f) or "") for f in _LENGTHS},
                company_size=lead.company_size,
                verdict=result.verdict,
                buyer_persona=result.buyer.persona if result.buyer else None,
                result=shaped,
            )
        )
    session.add_all(rows)
    session.flush()
    return len(rows)


def list_kept(
    session: Session,
    actor: Actor,
    *,
    verdict: str | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> tuple[list[ScreenedLead], int]:
    """The workspace's kept leads, newest first, and how many there are in all (editor)."""
    actor.require("editor", "see screened leads")
    query = scoped(ScreenedLead, actor.workspace_id)
    if verdict:
        query = query.where(ScreenedLead.verdict == verdict)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(ScreenedLead.screened_at.desc(), ScreenedLead.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def kept_json(row: ScreenedLead) -> dict[str, Any]:
    """A kept lead for the API: its fields and the screening result as it was."""
    return {
        "id": row.id,
        "screened_at": row.screened_at.isoformat(),
        "lead": {field: getattr(row, field) for field in LEAD_FIELDS},
        "verdict": row.verdict,
        "result": row.result,
    }


def delete_kept(session: Session, actor: Actor, lead_id: Any) -> None:
    """Delete one kept lead of the workspace (editor); NotFound for any other id."""
    actor.require("editor", "delete screened leads")
    row = get_scoped(session, ScreenedLead, actor.workspace_id, lead_id, "kept lead")
    session.delete(row)
    session.flush()


def delete_all_kept(session: Session, actor: Actor) -> int:
    """Delete every kept lead of the workspace (editor); returns how many went."""
    actor.require("editor", "delete screened leads")
    result = session.execute(
        delete(ScreenedLead)
        .where(ScreenedLead.workspace_id == actor.workspace_id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired(session: Session, now: datetime) -> int:
    """Delete every kept lead older than its workspace's retention period; returns how many.

    Leads kept while the setting was on expire on the same clock after it is turned off.
    """
    purged = 0
    holders = session.execute(
        select(Workspace.id, Workspace.lead_retention_days).where(
            Workspace.id.in_(select(ScreenedLead.workspace_id).distinct())
        )
    ).all()
    for workspace_id, days in holders:
        cutoff = now - timedelta(days=max(int(days or DEFAULT_RETENTION_DAYS), 1))
        result = session.execute(
            delete(ScreenedLead)
            .where(ScreenedLead.workspace_id == workspace_id, ScreenedLead.screened_at < cutoff)
            .execution_options(synchronize_session=False)
        )
        purged += int(getattr(result, "rowcount", 0) or 0)
    return purged


def disqualified_counts(
    session: Session, workspace_id: int, since: datetime, until: datetime | None = None
) -> dict[int, int]:
    """{negative persona id: kept leads it disqualified from `since` to `until`}, for reviews.

    A persona disqualified a lead when the lead's verdict is `disqualify` and the persona's
    score in it reached the persona's block threshold. Only kept leads count: with keeping
    off nothing is stored, so there is no evidence.
    """
    personas = session.execute(
        select(Persona.id, Persona.name, Persona.block_threshold).where(
            Persona.workspace_id == workspace_id, Persona.kind == "negative"
        )
    ).all()
    by_name = {name: (pid, block) for pid, name, block in personas}
    counts: Counter[int] = Counter()
    query = select(ScreenedLead.result).where(
        ScreenedLead.workspace_id == workspace_id,
        ScreenedLead.verdict == "disqualify",
        ScreenedLead.screened_at >= since,
    )
    if until is not None:
        query = query.where(ScreenedLead.screened_at < until)
    results = session.scalars(query)
    for result in results:
        for negative in (result or {}).get("negatives") or ():
            known = by_name.get(negative.get("persona"))
            if known is None:
                continue
            persona_id, block = known
            if block is not None and float(negative.get("score") or 0) >= block:
                counts[persona_id] += 1
    return dict(counts)
