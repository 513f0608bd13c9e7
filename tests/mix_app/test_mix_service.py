"""The mix over the database: what counts, the window, filters, settings, weeks, isolation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from planner.errors import ValidationError
from planner.services.calendar import service as calendar_service
from planner.services.mix import service as mix_service

from .fixtures import NOW


def mix(acme, **kwargs):
    return mix_service.workspace_mix(acme["session"], acme["actor"], now=NOW, **kwargs)


@pytest.fixture
def ws(acme, session):
    return {**acme, "session": session}


def days(n: float) -> timedelta:
    return timedelta(days=n)


def test_an_empty_workspace_has_no_content(ws):
    result = mix(ws)
    assert (result.curated, result.own, result.curated_share) == (0, 0, None)
    assert result.status == "no_content"
    assert result.advice.startswith("No scheduled or published pieces in the last 30 days")
    assert (result.target, result.tolerance, result.window_days) == (0.8, 0.05, 30)


def test_only_scheduled_and_published_pieces_count(ws, make_piece):
    actor = ws["actor"]
    make_piece(actor, at=NOW - days(2), origin="curated", status="published")
    make_piece(actor, at=NOW + days(1), origin="curated", status="scheduled")
    for status in ("idea", "draft", "review"):
        make_piece(actor, at=NOW + days(1), origin="own", status=status)
    make_piece(actor, at=None, origin="own", status="draft")
    result = mix(ws)
    assert (result.curated, result.own, result.status) == (2, 0, "too_much_curated")


def test_the_window_reaches_back_and_to_the_end_of_this_week(ws, make_piece):
    actor = ws["actor"]
    make_piece(actor, at=NOW - days(3), origin="own", status="published")
    make_piece(actor, at=NOW - days(20), origin="curated", status="published")
    make_piece(actor, at=NOW - days(60), origin="curated", status="published")
    make_piece(actor, at=NOW - days(100), origin="curated", status="published")
    # Sunday 29 November 23:30 in London is still this week; Monday 00:00 is not.
    make_piece(actor, at=datetime(2026, 11, 29, 23, 30, tzinfo=UTC), origin="curated")
    make_piece(actor, at=datetime(2026, 11, 30, 0, 0, tzinfo=UTC), origin="own")
    counts = {w: (r.curated, r.own) for w in (7, 30, 90) for r in [mix(ws, window_days=w)]}
    assert counts == {7: (1, 1), 30: (2, 1), 90: (3, 1)}


def test_a_window_other_than_7_30_or_90_is_refused(ws):
    for bad in (14, "14", "thirty", 0, -7):
        with pytest.raises(ValidationError) as caught:
            mix(ws, window_days=bad)
        assert "window" in caught.value.details


def test_channel_and_persona_narrow_the_count(ws, make_piece):
    actor = ws["actor"]
    make_piece(
        actor, at=NOW + days(1), origin="curated", channel="LinkedIn", personas=("Owner Olivia",)
    )
    make_piece(actor, at=NOW + days(2), origin="curated", channel="LinkedIn")
    make_piece(actor, at=NOW - days(1), origin="own", channel="Blog", personas=("Owner Olivia",))
    assert (mix(ws, channel="linkedin").curated, mix(ws, channel="linkedin").own) == (2, 0)
    blog = mix(ws, channel="Blog")
    assert (blog.curated, blog.own, blog.status) == (0, 1, "too_much_own")
    olivia = ws["olivia"]
    for persona in (olivia.id, str(olivia.id), "owner olivia"):
        result = mix(ws, persona=persona)
        assert (result.curated, result.own) == (1, 1)
    both = mix(ws, channel="LinkedIn", persona="Owner Olivia")
    assert (both.curated, both.own) == (1, 0)


def test_unknown_channel_or_persona_is_a_422_naming_it(ws):
    with pytest.raises(ValidationError) as caught:
        mix(ws, channel="Myspace")
    assert "Myspace" in caught.value.details["channel"]
    with pytest.raises(ValidationError) as caught:
        mix(ws, persona="Nobody")
    assert "Nobody" in caught.value.details["persona"]


def test_advice_counts_what_reaches_the_target(ws, make_piece):
    actor = ws["actor"]
    make_piece(actor, at=NOW + days(1), origin="curated")
    for offset in (1, 2, 3):
        make_piece(actor, at=NOW - days(offset), origin="own", status="published")
    result = mix(ws)
    assert result.status == "too_much_own"
    assert result.curated_share == 0.25
    assert result.advice == (
        "Schedule 11 more curated pieces by Sunday to reach 80% curated (now 1 of 4, 25%)."
    )
    assert result.to_dict() == {
        "window_days": 30,
        "curated": 1,
        "own": 3,
        "curated_share": 0.25,
        "target": 0.8,
        "tolerance": 0.05,
        "status": "too_much_own",
        "advice": result.advice,
    }


def test_the_workspace_target_and_tolerance_apply(ws, make_piece, session):
    actor = ws["actor"]
    make_piece(actor, at=NOW + days(1), origin="curated")
    make_piece(actor, at=NOW - days(1), origin="own", status="published")
    ws["workspace"].mix_target, ws["workspace"].mix_tolerance = 0.5, 0.1
    session.commit()
    result = mix(ws)
    assert (result.target, result.tolerance, result.status) == (0.5, 0.1, "on_target")


def test_other_workspaces_pieces_never_count(ws, globex, make_piece):
    make_piece(globex["actor"], at=NOW + days(1), origin="curated", channel="globex-blog")
    make_piece(ws["actor"], at=NOW + days(1), origin="own")
    result = mix(ws)
    assert (result.curated, result.own) == (0, 1)
    with pytest.raises(ValidationError):  # another workspace's channel is unknown here
        mix(ws, channel="globex-blog")


def test_overview_breaks_down_by_channel_and_buyer_persona(ws, make_piece, session):
    actor = ws["actor"]
    make_piece(
        actor, at=NOW + days(1), origin="curated", channel="LinkedIn", personas=("Owner Olivia",)
    )
    make_piece(actor, at=NOW + days(2), origin="own")
    overview = mix_service.mix_overview(session, actor, window_days=7, now=NOW)
    assert (overview.overall.curated, overview.overall.own) == (1, 1)
    rows = {row.label: (row.result.curated, row.result.own) for row in overview.by_channel}
    assert rows == {"Blog": (0, 0), "LinkedIn": (1, 0), mix_service.NO_CHANNEL: (0, 1)}
    personas = {row.label: row.result.status for row in overview.by_persona}
    assert personas == {"Owner Olivia": "too_much_curated"}  # Pete is negative: not listed


def test_weekly_series_has_eight_weeks_back_and_two_ahead(ws, make_piece, session):
    actor = ws["actor"]
    make_piece(actor, at=NOW - days(7), origin="curated", status="published")
    make_piece(actor, at=NOW + days(8), origin="own")
    series = mix_service.weekly_mix_series(session, actor, weeks=8, now=NOW)
    assert len(series) == 10
    assert series[0].monday == date(2026, 10, 5) and series[-1].monday == date(2026, 12, 7)
    assert [w.current for w in series].index(True) == 7
    assert [w.future for w in series] == [False] * 8 + [True] * 2
    counts = {
        w.monday: (w.result.curated, w.result.own)
        for w in series
        if w.result.curated + w.result.own
    }
    assert counts == {date(2026, 11, 16): (1, 0), date(2026, 11, 30): (0, 1)}


def test_weeks_follow_the_workspace_clock_across_daylight_saving(ws, make_piece, session):
    """London leaves summer time on Sunday 25 October 2026: that week is 169 hours long."""
    actor = ws["actor"]
    # Monday 19 October, 00:30 in London (BST) is Sunday 23:30 UTC: the week of 19 Oct.
    make_piece(
        actor, at=datetime(2026, 10, 18, 23, 30, tzinfo=UTC), origin="curated", status="published"
    )
    # Sunday 25 October, 23:30 in London (GMT again): still the week of 19 Oct.
    make_piece(
        actor, at=datetime(2026, 10, 25, 23, 30, tzinfo=UTC), origin="own", status="published"
    )
    series = mix_service.weekly_mix_series(session, actor, weeks=8, now=NOW)
    weeks = {w.monday: (w.result.curated, w.result.own) for w in series}
    assert weeks[date(2026, 10, 19)] == (1, 1)
    assert weeks[date(2026, 10, 12)] == (0, 0) and weeks[date(2026, 10, 26)] == (0, 0)


def test_the_calendar_mix_rule_uses_the_weekly_mix(ws, make_piece, session):
    actor = ws["actor"]
    make_piece(actor, at=NOW + days(1), origin="own")
    make_piece(actor, at=NOW - days(14), origin="own", status="published")
    start, end = NOW - days(21), NOW + days(14)
    weekly = mix_service.weekly_mix_by_monday(session, actor, start, end, NOW)
    # Weeks already over are left out; this week and the next two remain.
    assert sorted(weekly) == [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7)]
    assert weekly[date(2026, 11, 23)].status == "too_much_own"
    findings = calendar_service.calendar_findings(session, actor, start, end, NOW)
    mix_findings = [f for f in findings if f.rule == "mix"]
    assert len(mix_findings) == 1
    assert mix_findings[0].message == (
        "In the week of 23 Nov: Schedule 4 more curated pieces by Sunday to reach 80% "
        "curated (now 0 of 1, 0%)."
    )
    assert mix_findings[0].severity == "warn"
