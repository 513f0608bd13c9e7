"""Each calendar rule on its own, then check_calendar as a whole."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from planner.services.calendar import CalendarSettings, ChannelPlan, check_calendar, in_window
from planner.services.mix.rules import MixResult

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
NEW_YORK = ZoneInfo("America/New_York")
SETTINGS = CalendarSettings()
# Ranges are days on the workspace's calendar; these tests plan in New York.
NY_SETTINGS = CalendarSettings(timezone="America/New_York")
LINKEDIN = ChannelPlan("linkedin", 30)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NEW_YORK)


def check(pieces, personas=(), channels=(LINKEDIN,), *, start, end, now=None, **kwargs):
    return check_calendar(
        pieces,
        personas,
        channels,
        kwargs.pop("settings", SETTINGS),
        start=start,
        end=end,
        now=now or utc(2026, 3, 1),
        **kwargs,
    )


def by_rule(findings, rule):
    return [f for f in findings if f.rule == rule]


@pytest.fixture
def pete(make_persona):
    return make_persona(
        name="Pete", timezone="America/New_York", windows=[(WEEKDAYS, "08:00", "10:30")]
    )


@pytest.fixture
def sam(make_persona):
    return make_persona(
        name="Sam Startup",
        timezone="America/New_York",
        windows=[(WEEKDAYS, "08:00", "10:30")],
        min_per_week=2,
        max_per_week=3,
    )


@pytest.fixture
def procurement(make_persona):
    return make_persona(name="Enterprise Procurement Pete", kind="negative", min_per_week=1)


MARCH = {"start": utc(2026, 3, 2), "end": utc(2026, 3, 30)}


def test_verdict_warn_is_a_warning_and_block_an_error(make_piece):
    pieces = [
        make_piece(id=1, title="Fine", verdict="pass", scheduled_at=utc(2026, 3, 3, 13)),
        make_piece(id=2, title="Risky", verdict="warn", scheduled_at=utc(2026, 3, 3, 14)),
        make_piece(id=3, title="RFP guide", verdict="block", scheduled_at=utc(2026, 3, 3, 15)),
        make_piece(id=4, title="Unaudited", scheduled_at=utc(2026, 3, 3, 16)),
    ]
    findings = check(pieces, **MARCH)
    assert [(f.rule, f.severity, f.piece_id, f.persona) for f in findings] == [
        ("verdict", "warn", 2, None),
        ("verdict", "error", 3, None),
    ]
    assert findings[0].message == (
        "'Risky' (Tue 3 Mar 14:00 UTC) has audit warnings; review the flagged words."
    )
    assert "blocked by its audit" in findings[1].message


def test_posting_window_names_local_times_and_suggests_the_next_window(make_piece, pete):
    piece = make_piece(persona_ids=(pete.id,), scheduled_at=ny(2026, 3, 3, 19))
    [finding] = check([piece], [pete], **MARCH)
    assert finding.rule == "posting_window" and finding.severity == "warn"
    assert finding.persona == "Pete" and finding.piece_id == piece.id
    assert finding.message == (
        "Tue 3 Mar 19:00 EST is outside Pete's windows (Mon–Fri 08:00–10:30); "
        "move it to Wed 4 Mar 08:00 EST."
    )
    assert finding.suggested_slot == utc(2026, 3, 4, 13)


def test_posting_window_suggestion_follows_the_march_change(make_piece, pete):
    piece = make_piece(persona_ids=(pete.id,), scheduled_at=utc(2026, 3, 6, 16))  # Fri 11:00 EST
    [finding] = check([piece], [pete], **MARCH)
    assert finding.suggested_slot == utc(2026, 3, 9, 12)
    assert finding.message.endswith("move it to Mon 9 Mar 08:00 EDT.")
    assert in_window(pete, finding.suggested_slot)


def test_posting_window_judges_the_same_utc_time_by_the_local_clock(make_piece, pete):
    winter = make_piece(persona_ids=(pete.id,), scheduled_at=utc(2026, 3, 2, 12, 30))
    summer = make_piece(persona_ids=(pete.id,), scheduled_at=utc(2026, 3, 9, 12, 30))
    findings = by_rule(check([winter, summer], [pete], **MARCH), "posting_window")
    assert [f.piece_id for f in findings] == [winter.id]
    assert findings[0].message.startswith("Mon 2 Mar 07:30 EST is outside")


def test_posting_window_after_the_november_change(make_piece, pete):
    # Mon 2 Nov 12:30Z is 07:30 EST now the clocks have gone back.
    piece = make_piece(persona_ids=(pete.id,), scheduled_at=utc(2026, 11, 2, 12, 30))
    [finding] = check([piece], [pete], start=utc(2026, 11, 1), end=utc(2026, 11, 8))
    assert finding.suggested_slot == utc(2026, 11, 2, 13)
    assert finding.message.endswith("move it to Mon 2 Nov 08:00 EST.")


def test_posting_window_in_kolkata(make_piece, make_persona):
    priya = make_persona(
        name="Priya", timezone="Asia/Kolkata", windows=[(WEEKDAYS, "09:30", "11:00")]
    )
    inside = make_piece(persona_ids=(priya.id,), scheduled_at=utc(2026, 3, 3, 4, 15))
    outside = make_piece(persona_ids=(priya.id,), scheduled_at=utc(2026, 3, 3, 5, 30))
    [finding] = check([inside, outside], [priya], **MARCH)
    assert finding.piece_id == outside.id
    assert finding.message == (
        "Tue 3 Mar 11:00 IST is outside Priya's windows (Mon–Fri 09:30–11:00); "
        "move it to Wed 4 Mar 09:30 IST."
    )
    assert finding.suggested_slot == utc(2026, 3, 4, 4)


def test_posting_window_for_a_past_piece_suggests_from_now(make_piece, pete):
    piece = make_piece(persona_ids=(pete.id,), scheduled_at=utc(2026, 3, 2, 12))
    [finding] = check([piece], [pete], now=utc(2026, 3, 10, 15), **MARCH)
    assert finding.suggested_slot == utc(2026, 3, 11, 12)  # Tue 11:00 EDT is past the window


def test_posting_window_only_for_target_buyers_with_windows(
    make_piece, make_persona, pete, procurement
):
    anytime = make_persona(name="Anytime Annie")
    piece = make_piece(
        persona_ids=(pete.id, anytime.id, procurement.id), scheduled_at=ny(2026, 3, 3, 19)
    )
    findings = check([piece], [pete, anytime, procurement], **MARCH)
    assert [(f.rule, f.persona) for f in findings] == [
        ("negative_target", "Enterprise Procurement Pete"),
        ("posting_window", "Pete"),
    ]


def test_piece_without_persona_only_gets_verdict_and_channel_clash(make_piece, sam):
    first = make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 3, 3))
    second = make_piece(channel="linkedin", verdict="block", scheduled_at=utc(2026, 3, 3, 3, 10))
    findings = check([first, second], [sam], start=utc(2026, 3, 2, 5), end=utc(2026, 3, 9, 4))
    assert {f.rule for f in findings if f.piece_id is not None} == {"channel_clash", "verdict"}
    assert all(f.persona == "Sam Startup" for f in by_rule(findings, "cadence"))


def test_cadence_counts_persona_local_weeks(make_piece, sam):
    pieces = [
        make_piece(persona_ids=(sam.id,), scheduled_at=ny(2026, 3, 3, 9)),
        make_piece(persona_ids=(sam.id,), scheduled_at=ny(2026, 3, 5, 9)),
        # Sunday 23:30 in New York is Monday 03:30 UTC: it still belongs to the week of 9 Mar.
        make_piece(persona_ids=(sam.id,), scheduled_at=ny(2026, 3, 15, 23, 30)),
    ]
    findings = by_rule(
        check(pieces, [sam], start=ny(2026, 3, 2), end=ny(2026, 3, 23), settings=NY_SETTINGS),
        "cadence",
    )
    assert [f.message for f in findings] == [
        "Sam Startup has 1 piece in the week of 9 Mar; plan at least 2.",
        "Sam Startup has 0 pieces in the week of 16 Mar; plan at least 2.",
    ]
    assert {(f.severity, f.piece_id, f.persona) for f in findings} == {
        ("warn", None, "Sam Startup")
    }
    assert [f.at for f in findings] == [utc(2026, 3, 9, 4), utc(2026, 3, 16, 4)]


def test_cadence_includes_weeks_partly_in_range(make_piece, sam):
    # From Wednesday to Thursday: the one week they touch is checked whole.
    findings = by_rule(check([], [sam], start=ny(2026, 3, 4), end=ny(2026, 3, 5)), "cadence")
    assert [f.message for f in findings] == [
        "Sam Startup has 0 pieces in the week of 2 Mar; plan at least 2."
    ]


def test_cadence_over_the_maximum_names_the_last_piece_and_a_slot(make_piece, sam):
    pieces = [
        make_piece(persona_ids=(sam.id,), scheduled_at=ny(2026, 3, day, 9)) for day in (2, 3, 4, 5)
    ]
    findings = by_rule(
        check(pieces, [sam], start=ny(2026, 3, 2), end=ny(2026, 3, 9), settings=NY_SETTINGS),
        "cadence",
    )
    [finding] = findings
    assert finding.piece_id == pieces[-1].id
    assert finding.message == (
        "Sam Startup has 4 pieces in the week of 2 Mar; plan at most 3: move 1 to another week."
    )
    assert finding.suggested_slot == utc(2026, 3, 9, 12)  # next Monday 08:00 EDT


def test_week_findings_belong_to_the_range_by_their_days(make_persona):
    """A range from Monday 7 Dec (London) holds the weeks of 7 Dec, never that of 30 Nov.

    At midnight in London it is still Sunday 6 Dec in Los Angeles, so the week of 30 Nov
    overlaps the range by eight hours; in Tokyo the week of 7 Dec began on Sunday in London.
    """
    london = CalendarSettings(timezone="Europe/London")
    la = make_persona(name="Lara", timezone="America/Los_Angeles", min_per_week=1)
    tokyo = make_persona(name="Taro", timezone="Asia/Tokyo", min_per_week=1)
    start = datetime(2026, 12, 7, tzinfo=ZoneInfo("Europe/London"))
    end = datetime(2026, 12, 14, tzinfo=ZoneInfo("Europe/London"))
    findings = check([], [la, tokyo], start=start, end=end, settings=london)
    assert sorted((f.persona, f.week) for f in findings) == [
        ("Lara", date(2026, 12, 7)),
        ("Taro", date(2026, 12, 7)),
    ]
    assert all("week of 7 Dec" in f.message for f in findings)
    # From Thursday the week running since Monday is still in range, whole.
    thursday = datetime(2026, 12, 10, tzinfo=ZoneInfo("Europe/London"))
    assert {f.week for f in check([], [la, tokyo], start=thursday, end=end, settings=london)} == {
        date(2026, 12, 7)
    }


def test_cadence_ignores_negative_personas_and_personas_without_limits(make_persona, procurement):
    free = make_persona(name="Free Fran")
    assert check([], [procurement, free], **MARCH) == []


def test_variety_notes_a_dominant_content_type(make_piece, make_persona):
    sam = make_persona()
    kinds = ["video", "video", "article", "video"]
    pieces = [
        make_piece(persona_ids=(sam.id,), content_type=kind, scheduled_at=utc(2026, 3, 2 + i, 9))
        for i, kind in enumerate(kinds)
    ]
    [finding] = check(pieces, [sam], **MARCH)
    assert (finding.rule, finding.severity, finding.piece_id) == ("variety", "info", None)
    assert finding.message == (
        "3 of 4 pieces for Sam Startup in the week of 2 Mar are video; "
        "mix in article, photo or graphic."
    )


@pytest.mark.parametrize(
    ("kinds", "share", "expected"),
    [
        (["video", "video"], 0.6, 0),  # fewer than 3 pieces
        (["video", "video", "video", "photo", "article"], 0.6, 0),  # 60% is not above 60%
        (["video", "video", "video", "photo", "article"], 0.5, 1),
        (["photo", "video", "article"], 0.3, 3),
    ],
)
def test_variety_thresholds(make_piece, make_persona, kinds, share, expected):
    sam = make_persona()
    pieces = [
        make_piece(persona_ids=(sam.id,), content_type=kind, scheduled_at=utc(2026, 3, 2, i))
        for i, kind in enumerate(kinds)
    ]
    settings = CalendarSettings(variety_max_share=share)
    assert len(check(pieces, [sam], settings=settings, **MARCH)) == expected


def test_channel_clash_flags_the_later_piece_and_finds_a_free_time(make_piece):
    first = make_piece(title="A", channel="linkedin", scheduled_at=utc(2026, 3, 3, 13))
    second = make_piece(title="B", channel="linkedin", scheduled_at=utc(2026, 3, 3, 13, 10))
    third = make_piece(title="C", channel="linkedin", scheduled_at=utc(2026, 3, 3, 13, 35))
    findings = check([third, first, second], **MARCH)
    assert [(f.rule, f.severity, f.piece_id) for f in findings] == [
        ("channel_clash", "warn", second.id),
        ("channel_clash", "warn", third.id),
    ]
    assert findings[0].message == (
        "'B' on linkedin is 10 minutes after 'A' (Tue 3 Mar 13:00 UTC); keep at least "
        "30 minutes between linkedin posts: move it to Tue 3 Mar 14:05 UTC."
    )
    # 13:30 would clash with C at 13:35, so the first free time is 14:05.
    assert findings[0].suggested_slot == utc(2026, 3, 3, 14, 5)
    assert findings[1].suggested_slot == utc(2026, 3, 3, 13, 40)


def test_channel_clash_messages_use_the_workspace_zone(make_piece):
    first = make_piece(title="A", channel="linkedin", scheduled_at=utc(2026, 3, 3, 13))
    second = make_piece(title="B", channel="linkedin", scheduled_at=utc(2026, 3, 3, 13, 1))
    settings = CalendarSettings(timezone="America/New_York")
    [finding] = check([first, second], settings=settings, **MARCH)
    assert "is 1 minute after 'A' (Tue 3 Mar 08:00 EST)" in finding.message


@pytest.mark.parametrize(
    ("channels", "second_channel", "minutes"),
    [
        ((LINKEDIN,), "linkedin", 30),  # exactly the gap is fine
        ((LINKEDIN,), "blog", 5),  # another channel
        ((ChannelPlan("linkedin", 0),), "linkedin", 0),  # no gap asked
        ((), "linkedin", 5),  # unknown channel
        ((LINKEDIN,), None, 5),  # no channel
    ],
)
def test_no_channel_clash(make_piece, channels, second_channel, minutes):
    first = make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 3, 13))
    second = make_piece(channel=second_channel, scheduled_at=utc(2026, 3, 3, 13, minutes))
    assert check([first, second], channels=channels, **MARCH) == []


def test_channel_clash_across_the_range_edge(make_piece):
    before = make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 1, 23, 50))
    inside = make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 2, 0, 5))
    assert [f.piece_id for f in check([before, inside], **MARCH)] == [inside.id]
    assert check([before, inside], start=utc(2026, 2, 1), end=utc(2026, 3, 2)) == []


def test_negative_target_is_an_error(make_piece, procurement):
    piece = make_piece(
        title="Procurement guide", persona_ids=(procurement.id,), scheduled_at=utc(2026, 3, 3, 13)
    )
    [finding] = by_rule(check([piece], [procurement], **MARCH), "negative_target")
    assert (finding.severity, finding.persona) == ("error", "Enterprise Procurement Pete")
    assert finding.message == (
        "'Procurement guide' targets Enterprise Procurement Pete, a negative persona; "
        "target a buyer persona instead."
    )


def mix_result(status: str, advice: str = "Schedule 3 more curated pieces by Sunday.") -> MixResult:
    return MixResult(30, 5, 5, 0.5, 0.8, 0.05, status, advice)


def test_mix_rule_is_absent_without_mix_results():
    assert check([], **MARCH) == []


def test_mix_rule_warns_for_weeks_off_target():
    mix = {
        date(2026, 3, 2): mix_result("too_much_own"),
        date(2026, 3, 9): mix_result("on_target", "On target."),
        date(2026, 3, 16): mix_result("too_much_curated", "Add 1 own piece by Sunday."),
        date(2026, 3, 23): mix_result("no_content", "No scheduled or published pieces."),
        date(2026, 4, 6): mix_result("too_much_own"),  # outside the range
    }
    findings = check([], mix=mix, **MARCH)
    assert [f.message for f in findings] == [
        "In the week of 2 Mar: Schedule 3 more curated pieces by Sunday.",
        "In the week of 16 Mar: Add 1 own piece by Sunday.",
    ]
    assert {(f.rule, f.severity, f.piece_id, f.persona) for f in findings} == {
        ("mix", "warn", None, None)
    }
    assert [f.at for f in findings] == [utc(2026, 3, 2), utc(2026, 3, 16)]


def test_findings_are_sorted_by_time_then_rule(make_piece, pete, procurement):
    late = make_piece(
        verdict="block", persona_ids=(procurement.id, pete.id), scheduled_at=utc(2026, 3, 4, 1)
    )
    early = make_piece(verdict="warn", channel="linkedin", scheduled_at=utc(2026, 3, 3, 13))
    clash = make_piece(channel="linkedin", scheduled_at=utc(2026, 3, 3, 13, 5))
    findings = check([late, clash, early], [pete, procurement], **MARCH)
    assert [(f.piece_id, f.rule) for f in findings] == [
        (early.id, "verdict"),
        (clash.id, "channel_clash"),
        (late.id, "negative_target"),
        (late.id, "posting_window"),
        (late.id, "verdict"),
    ]


def test_unscheduled_and_out_of_range_pieces_give_no_piece_findings(make_piece, procurement):
    idea = make_piece(verdict="block", persona_ids=(procurement.id,))
    april = make_piece(
        verdict="block", persona_ids=(procurement.id,), scheduled_at=utc(2026, 4, 1, 12)
    )
    assert check([idea, april], [procurement], **MARCH) == []


def test_findings_serialise_to_the_design_shape(make_piece, pete):
    piece = make_piece(persona_ids=(pete.id,), scheduled_at=ny(2026, 3, 3, 19), verdict="warn")
    findings = check([piece], [pete], **MARCH)
    payload = json.loads(json.dumps({"findings": [f.to_dict() for f in findings]}))
    assert payload["findings"][0] == {
        "rule": "posting_window",
        "severity": "warn",
        "piece_id": piece.id,
        "persona": "Pete",
        "message": payload["findings"][0]["message"],
        "suggested_slot": "2026-03-04T13:00:00+00:00",
    }
    assert payload["findings"][1]["suggested_slot"] is None


def test_check_calendar_wants_aware_times():
    with pytest.raises(ValueError):
        check(start=datetime(2026, 3, 2), end=utc(2026, 3, 9), pieces=[])
