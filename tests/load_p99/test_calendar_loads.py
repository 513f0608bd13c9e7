"""The calendar's loads read columns, and a page's load serves its mix advice too.

`load_calendar` builds its plans from two column queries instead of ORM rows, and the
month page hands its load to the mix advice instead of loading again (issue 11); both must
give exactly what the row adapter and a load of its own give.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from planner.models import Piece
from planner.services.calendar import service as calendar_service
from planner.services.calendar.agenda import calendar_view
from planner.services.pieces import review
from planner.services.pieces import service as piece_service
from tests.pieces.helpers import BLOCKING

NOW = datetime.now(UTC).replace(microsecond=0)


def _plans_from_rows(session, workspace_id, since, until):
    """The plans as `piece_plan` makes them from ORM rows: the reference."""
    rows = session.scalars(
        sa.select(Piece)
        .where(Piece.workspace_id == workspace_id, Piece.status != "archived")
        .where(Piece.scheduled_at >= since, Piece.scheduled_at < until)
        .order_by(Piece.scheduled_at, Piece.id)
    )
    return tuple(calendar_service.piece_plan(p) for p in rows)


def test_plans_from_columns_equal_plans_from_rows(session, acme, blog, make_piece):
    olivia, pete = acme["olivia"], acme["pete"]
    at = NOW + timedelta(days=2)
    both = make_piece(
        title="Both personas",
        channel="Blog",
        target_personas=[olivia.name, pete.name],
        scheduled_at=at.isoformat(),
        status="scheduled",
    )
    make_piece(title="No channel", scheduled_at=at.isoformat(), status="scheduled")
    make_piece(title="Undated")
    shelved = make_piece(title="Shelved", scheduled_at=(at + timedelta(hours=1)).isoformat())
    piece_service.update_piece(session, acme["actor"], shelved, {"status": "archived"})
    blocked = make_piece(
        title="RFP guide", body=BLOCKING, scheduled_at=(at - timedelta(days=1)).isoformat()
    )
    acme["owner"].display_name = "Olga Owner"
    review.override(session, acme["owner_actor"], blocked, "legal signed off")
    make_piece(title="Too late", scheduled_at=(NOW + timedelta(days=200)).isoformat())
    session.commit()

    data = calendar_service.load_calendar(session, acme["actor"], NOW, NOW, NOW)
    expected = _plans_from_rows(session, acme["actor"].workspace_id, data.since, data.until)
    assert data.pieces == expected
    titles = [p.title for p in data.pieces]
    assert titles == ["RFP guide", "Both personas", "No channel"]
    approved = data.pieces[0]
    assert (approved.approved_by, approved.approval_reason) == ("Olga Owner", "legal signed off")
    by_name = sorted([olivia, pete], key=lambda p: p.name)
    assert data.pieces[1].persona_ids == tuple(p.id for p in by_name)
    assert data.pieces[1].channel == "Blog" and data.pieces[2].channel is None
    assert both.id == data.pieces[1].id


def test_the_month_s_mix_advice_is_the_same_from_the_page_s_load(session, acme, blog, make_piece):
    olivia = acme["olivia"]
    # Own pieces only: every week not over asks for curated pieces, so room is counted.
    for day in range(0, 35, 3):
        make_piece(
            title=f"Own {day}",
            channel="Blog",
            target_personas=[olivia.name],
            scheduled_at=(NOW + timedelta(days=day, hours=1)).isoformat(),
            status="scheduled",
        )
    start, end = NOW - timedelta(days=3), NOW + timedelta(days=31)
    view = calendar_view(session, acme["actor"], start, end, NOW)
    mixed = [f for f in view.findings if f.rule == "mix"]
    assert len(mixed) >= 4 and all("fit before Sunday" in f.message for f in mixed)
    own_load = calendar_service.mix_service.weekly_mix_by_monday(
        session, acme["actor"], start, end, NOW
    )
    data = calendar_service.load_calendar(session, acme["actor"], start, end, NOW)
    from_page = calendar_service.weekly_mix(session, acme["actor"], start, end, NOW, data)
    assert from_page == own_load
    # A load that misses the weeks the advice looks at is not used: the mix loads its own.
    narrow = replace(data, pieces=data.pieces[:1], until=data.pieces[1].scheduled_at)
    assert calendar_service.weekly_mix(session, acme["actor"], start, end, NOW, narrow) == own_load
