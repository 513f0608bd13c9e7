"""The database adapters and services around the pure calendar core."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from planner.errors import NotFound, PermissionDenied, ValidationError
from planner.services.calendar import Window
from planner.services.calendar import service as calendar_service
from planner.services.pieces import service as piece_service
from tests.calendar_app.helpers import BLOCKING, approve, london


def rules_of(findings):
    return {f.rule for f in findings}


def test_persona_windows_json_becomes_plan(session, acme):
    olivia = acme["olivia"]
    olivia.posting_windows = [
        {"days": ["mon", "tue"], "start": "08:00", "end": "10:30"},
        {"days": ["fri"], "start": "22:00", "end": "02:00"},
    ]
    olivia.timezone = "America/New_York"
    plan = calendar_service.persona_plan(olivia)
    assert plan.id == olivia.id and plan.name == "Owner Olivia" and plan.kind == "buyer"
    assert plan.timezone == "America/New_York"
    assert plan.windows == (
        Window(frozenset({0, 1}), time(8), time(10, 30)),
        Window(frozenset({4}), time(22), time(2)),
    )
    assert plan.windows[1].crosses_midnight
    assert (plan.min_per_week, plan.max_per_week) == (1, 3)


def test_unreadable_window_is_a_clear_error_not_a_crash(session, acme):
    acme["olivia"].posting_windows = [{"days": ["someday"], "start": "08:00", "end": "09:00"}]
    with pytest.raises(ValidationError) as caught:
        calendar_service.persona_plan(acme["olivia"])
    assert "Owner Olivia" in caught.value.message


def test_piece_without_persona_or_channel(session, acme, monday, make_piece):
    piece = make_piece(london(monday, "14:00"), target_personas=[], channel=None)
    plan = calendar_service.piece_plan(piece)
    assert plan.persona_ids == () and plan.channel is None
    assert plan.scheduled_at == london(monday, "14:00") and plan.scheduled_at.tzinfo == UTC
    assert plan.verdict == piece.verdict == "pass"
    start, end = london(monday, "00:00"), london(monday, "00:00", 7)
    findings = calendar_service.calendar_findings(session, acme["actor"], start, end, start)
    # No persona: no window to miss; Olivia's empty week is still reported.
    assert [f.rule for f in findings if f.piece_id == piece.id] == []
    assert any(f.rule == "cadence" and f.persona == "Owner Olivia" for f in findings)


def test_week_rules_count_the_whole_persona_week(session, acme, monday, make_piece):
    for day in range(4):  # Mon..Thu, each inside the window; Olivia allows 3 a week
        make_piece(london(monday, "07:30", day), title=f"Piece {day}", channel=None)
    friday = london(monday, "00:00", 4)
    findings = calendar_service.calendar_findings(
        session, acme["actor"], friday, friday + timedelta(days=1), friday - timedelta(days=9)
    )
    cadence = [f for f in findings if f.rule == "cadence"]
    assert len(cadence) == 1 and "has 4 pieces" in cadence[0].message


def test_mix_rule_reads_the_mix_service(session, acme, monday, make_piece):
    make_piece(london(monday, "07:30"))  # own content only: far from 80% curated
    start, now = london(monday, "00:00"), datetime.now(UTC)
    mix = calendar_service.weekly_mix(session, acme["actor"], start, start + timedelta(days=7), now)
    assert list(mix) == [monday] and mix[monday].status == "too_much_own"
    findings = calendar_service.calendar_findings(
        session, acme["actor"], start, start + timedelta(days=7), now
    )
    (finding,) = [f for f in findings if f.rule == "mix"]
    assert finding.severity == "warn" and finding.piece_id is None
    assert mix[monday].advice in finding.message


def test_other_workspaces_pieces_are_not_checked(session, acme, globex, monday, make_piece):
    start = london(monday, "00:00")
    findings = calendar_service.calendar_findings(
        session, globex["actor"], start, start + timedelta(days=7), start
    )
    assert all(f.piece_id in (None, globex["piece"].id) for f in findings)


def test_suggest_slot_for_a_piece_outside_its_window(session, acme, monday, make_piece):
    piece = make_piece(london(monday, "14:00"))
    now = datetime.now(UTC)
    slot = calendar_service.suggest_slot_for(session, acme["actor"], piece.id, now)
    assert slot == london(monday, "07:00", 1)  # Tuesday's window opens first


def test_a_piece_in_a_good_slot_stays_put(session, acme, monday, make_piece):
    piece = make_piece(london(monday, "08:15"))
    now = datetime.now(UTC)
    assert calendar_service.suggest_slot_for(session, acme["actor"], piece.id, now) == london(
        monday, "08:15"
    )


def test_suggest_slot_of_another_workspace_is_not_found(session, acme, globex):
    with pytest.raises(NotFound):
        calendar_service.suggest_slot_for(
            session, acme["actor"], globex["piece"].id, datetime.now(UTC)
        )


def test_slot_for_a_new_piece_keeps_the_channel_gap(session, acme, monday, make_piece):
    make_piece(london(monday, "07:00"))
    sunday_night = london(monday, "22:00", -1)
    slot = calendar_service.suggest_slot_for_new_piece(
        session,
        acme["actor"],
        channel="blog",
        persona_ids=[acme["olivia"].id],
        content_type="article",
        now=sunday_night,
    )
    # 07:00-08:59 on Monday is within 240 minutes of the blog post at 07:00.
    assert slot == london(monday, "07:00", 1)


def test_slot_for_a_new_piece_refuses_unknown_channel_and_persona(session, acme, globex):
    now = datetime.now(UTC)
    with pytest.raises(ValidationError) as caught:
        calendar_service.suggest_slot_for_new_piece(
            session,
            acme["actor"],
            channel="myspace",
            persona_ids=[],
            content_type="article",
            now=now,
        )
    assert caught.value.details == {"channel": "unknown channel"}
    other = globex["actor"]
    with pytest.raises(ValidationError):
        calendar_service.suggest_slot_for_new_piece(
            session,
            other,
            channel=None,
            persona_ids=[acme["olivia"].id],
            content_type="article",
            now=now,
        )


def test_reschedule_goes_through_the_pieces_service(session, acme, monday, make_piece):
    piece = make_piece(london(monday, "14:00"))
    with pytest.raises(PermissionDenied):
        calendar_service.reschedule(
            session, acme["viewer_actor"], piece.id, london(monday, "08:00")
        )
    session.rollback()
    moved = calendar_service.reschedule(session, acme["actor"], piece.id, london(monday, "08:00"))
    session.commit()
    assert (
        piece_service.get_piece(session, acme["actor"], piece.id).scheduled_at == moved.scheduled_at
    )
    assert moved.scheduled_at == london(monday, "08:00")
    with pytest.raises(ValueError):
        calendar_service.reschedule(session, acme["actor"], piece.id, datetime(2030, 1, 1, 8))


def test_an_approved_block_is_a_note_naming_who_and_why(session, acme, monday, make_piece):
    acme["owner"].display_name = "Olivia Owner"
    piece = make_piece(london(monday, "07:30"), title="RFP guide", body=BLOCKING, status="draft")
    assert piece.verdict == "block"
    start = london(monday, "00:00")

    def verdicts():
        findings = calendar_service.calendar_findings(
            session, acme["actor"], start, start + timedelta(days=7), start
        )
        return [f for f in findings if f.rule == "verdict"]

    (before,) = verdicts()
    assert before.severity == "error"
    approve(session, acme["owner_actor"], piece, "legal signed off")
    plan = calendar_service.piece_plan(piece)
    assert (plan.approved_by, plan.approval_reason) == ("Olivia Owner", "legal signed off")
    (after,) = verdicts()
    assert after.severity == "info" and after.piece_id == piece.id
    assert after.message.startswith("'RFP guide' (")
    assert after.message.endswith(
        "is blocked by its audit; approved by Olivia Owner: legal signed off"
    )
