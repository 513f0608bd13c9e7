"""The demo month shows every calendar rule, and loading it twice adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from planner.models import Piece, Workspace
from planner.services import demo
from planner.services.access import Actor
from planner.services.calendar import local_monday, week_start
from planner.services.calendar import service as calendar_service

EVERY_RULE = {
    "verdict",
    "posting_window",
    "cadence",
    "variety",
    "channel_clash",
    "negative_target",
    "mix",
}


def demo_month(session):
    demo.load_demo(session)
    session.commit()
    workspace = session.scalar(sa.select(Workspace).where(Workspace.name == demo.DEMO_WORKSPACE))
    actor = Actor(user_id=None, workspace_id=workspace.id, role="owner")
    now = datetime.now(UTC)
    zone = ZoneInfo(workspace.timezone)
    start = week_start(local_monday(now, zone), zone)
    end = week_start(local_monday(now, zone) + timedelta(days=28), zone)
    return actor, calendar_service.calendar_findings(session, actor, start, end, now)


def test_demo_month_shows_every_rule(session):
    actor, findings = demo_month(session)
    assert {f.rule for f in findings} >= EVERY_RULE
    verdicts = {f.severity for f in findings if f.rule == "verdict"}
    assert verdicts == {"warn", "error"}  # a warning and a blocked piece
    cadence = [f.message for f in findings if f.rule == "cadence"]
    assert any("plan at least" in m for m in cadence) and any("plan at most" in m for m in cadence)
    assert any(f.suggested_slot for f in findings if f.rule == "posting_window")


def test_loading_the_demo_again_adds_nothing(session):
    actor, first = demo_month(session)
    count = session.scalar(sa.select(sa.func.count(Piece.id)))
    _, second = demo_month(session)
    assert session.scalar(sa.select(sa.func.count(Piece.id))) == count
    assert [(f.rule, f.piece_id) for f in second] == [(f.rule, f.piece_id) for f in first]
