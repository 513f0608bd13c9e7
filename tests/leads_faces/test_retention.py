"""Kept leads expire: the scheduler's round and `flask leads purge` delete them after retention."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from planner.cli.feeds import EmbeddedPoller
from planner.models import ScreenedLead, Workspace, utcnow
from tests.leads_faces.fixtures import keep_on


def _names(session) -> set[str]:
    session.expire_all()
    return set(session.scalars(sa.select(ScreenedLead.name)))


def test_the_scheduler_round_purges_expired_leads_and_keeps_fresh_ones(
    app_ctx, acme, globex, old_lead, session
):
    acme_id = acme["owner_actor"].workspace_id
    keep_on(session, acme_id, days=30)
    keep_on(session, globex["actor"].workspace_id, days=7)
    now = utcnow()
    old_lead(acme_id, now - timedelta(days=31), "acme expired")
    old_lead(acme_id, now - timedelta(days=29), "acme fresh")
    old_lead(globex["actor"].workspace_id, now - timedelta(days=8), "globex expired")
    old_lead(globex["actor"].workspace_id, now - timedelta(hours=1), "globex fresh")

    poller = EmbeddedPoller(app_ctx, tick=60)
    poller.run_once()
    assert _names(session) == {"acme fresh", "globex fresh"}

    # At most hourly: a lead that expires before the next hour waits for it.
    old_lead(acme_id, now - timedelta(days=40), "acme expired later")
    poller.run_once()
    assert "acme expired later" in _names(session)
    poller.next_lead_purge = 0.0
    poller.run_once()
    assert _names(session) == {"acme fresh", "globex fresh"}


def test_flask_leads_purge_uses_the_retention_even_after_keeping_is_turned_off(
    acme, old_lead, session, runner
):
    acme_id = acme["owner_actor"].workspace_id
    keep_on(session, acme_id, days=10)
    now = utcnow()
    old_lead(acme_id, now - timedelta(days=11), "expired")
    old_lead(acme_id, now - timedelta(days=9), "fresh")

    session.get(Workspace, acme_id).keep_screened_leads = False
    session.commit()
    result = runner.invoke(args=["leads", "purge"])
    assert result.exit_code == 0, result.output
    assert "Purged 1 kept lead past retention." in result.output
    assert _names(session) == {"fresh"}
