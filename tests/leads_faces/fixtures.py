"""Acme with a negative persona that screens leads (title, size, RFP), and kept-lead rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from planner.models import ScreenedLead, Workspace, utcnow

CANONICAL = "name,email,company,job_title,company_size,industry,country,message\n"
PLANTED = (
    "Pat Buyer,pat@bigcorp.example,BigCorp,Procurement Manager,8000,Banking,US,We need an RFP\n"
)
CLEAN = "Sam Small,sam@shop.example,Sam's Shop,Owner,12,Retail,GB,Help desk for my small business\n"


@pytest.fixture
def leads_acme(acme, make_persona):
    """Acme plus Procurement Pat: title 3 + 5,000+ employees 2 + "RFP" 2 disqualifies (block 5)."""
    pat = make_persona(
        acme["owner_actor"],
        name="Procurement Pat",
        job_titles=["Procurement manager"],
        company_size={"min": 5000},
        red_flags=["RFP"],
        thresholds={"warn": 2, "block": 5},
        keywords=[{"term": "tender"}],
    )
    return {**acme, "pat": pat}


def keep_on(session, workspace_id: int, days: int = 30) -> None:
    workspace = session.get(Workspace, workspace_id)
    workspace.keep_screened_leads = True
    workspace.lead_retention_days = days
    session.commit()


@pytest.fixture
def old_lead(session) -> Callable:
    """Store a kept lead screened at `at` (for retention tests)."""

    def make(workspace_id: int, at: datetime | None = None, name: str = "Old") -> ScreenedLead:
        row = ScreenedLead(
            workspace_id=workspace_id,
            screened_at=at or utcnow(),
            name=name,
            verdict="qualify",
            result={"row": 1, "verdict": "qualify", "buyer": None, "negatives": []},
        )
        session.add(row)
        session.commit()
        return row

    return make
