"""`flask calendar check`: output formats and the exit codes scripts rely on."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from tests.calendar_app.helpers import BLOCKING, approve, london


def check(runner, monday, *extra):
    last = (monday + timedelta(days=6)).isoformat()
    args = ["calendar", "check", "--workspace", "Acme", "--from", monday.isoformat(), "--to", last]
    return runner.invoke(args=[*args, *extra])


def test_warnings_only_exit_0(runner, acme, monday, make_piece):
    make_piece(london(monday, "07:30"), title="On time")
    late = make_piece(london(monday, "14:00", 1), title="Late")
    result = check(runner, monday)
    assert result.exit_code == 0, result.output
    *lines, summary = result.output.strip().splitlines()
    windows = [line for line in lines if ": posting_window: " in line]
    assert len(windows) == 1 and windows[0].startswith("Tue ") and ": warn: " in windows[0]
    assert re.search(
        rf"\(piece {late.id}\) \[suggested: Wed \d+ \w+ 07:00 (GMT|BST)\]$", windows[0]
    )
    assert all(": error: " not in line for line in lines)
    assert re.match(rf"{len(lines)} findings? \(\d+ warn\) from Monday ", summary)


def test_an_error_finding_exits_1_and_json_has_the_design_shape(runner, acme, monday, make_piece):
    piece = make_piece(london(monday, "08:00"), target_personas=[acme["pete"].name])
    result = check(runner, monday, "--format", "json")
    assert result.exit_code == 1
    body = json.loads(result.output)
    assert set(body) == {"findings"}
    found = [f for f in body["findings"] if f["rule"] == "negative_target"]
    assert found == [
        {
            "rule": "negative_target",
            "severity": "error",
            "piece_id": piece.id,
            "persona": acme["pete"].name,
            "message": found[0]["message"],
            "suggested_slot": None,
        }
    ]


def test_a_plan_without_errors_exits_0(runner, acme, monday, make_piece):
    make_piece(london(monday, "07:30"))
    result = check(runner, monday, "--format", "json")
    assert result.exit_code == 0
    findings = json.loads(result.output)["findings"]
    # Only the week's own-versus-curated mix may be off; the piece itself is fine.
    assert {f["rule"] for f in findings} <= {"mix"}
    assert all(f["severity"] != "error" for f in findings)


def test_bad_date_exits_2_with_one_line(runner, acme):
    result = runner.invoke(
        args=["calendar", "check", "--workspace", "Acme", "--from", "2026-02-30"]
    )
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "from" in result.output


def test_unknown_workspace_and_usage_errors_exit_2(runner, acme):
    result = runner.invoke(args=["calendar", "check", "--workspace", "Nope"])
    assert result.exit_code == 2 and result.output.startswith("error:")
    result = runner.invoke(args=["calendar", "check", "--format", "xml", "--workspace", "Acme"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    result = runner.invoke(args=["calendar", "check"])
    assert result.exit_code == 2 and "--workspace" in result.output


def test_an_owner_approved_block_exits_0_with_a_note(runner, session, acme, monday, make_piece):
    piece = make_piece(london(monday, "07:30"), title="RFP guide", body=BLOCKING, status="draft")
    assert check(runner, monday).exit_code == 1
    approve(session, acme["owner_actor"], piece, "legal signed off")
    result = check(runner, monday)
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if ": verdict: " in line]
    assert ": info: " in line
    assert "approved by owner@example.com: legal signed off" in line


def test_only_findings_inside_the_range_are_reported(runner, acme, make_persona, monday):
    # At midnight on Monday in London it is still Sunday in Los Angeles: that week
    # (the one before --from) must not be reported.
    make_persona(
        acme["owner_actor"],
        name="Lara LA",
        kind="buyer",
        timezone="America/Los_Angeles",
        thresholds=None,
        cadence={"min_per_week": 1},
        keywords=[{"term": "help desk"}],
    )
    before = monday - timedelta(days=7)
    result = check(runner, monday)
    week_lines = [line for line in result.output.splitlines() if ": cadence: " in line]
    assert (
        sorted(line.split(": ")[0] for line in week_lines)
        == [f"week of Mon {monday.day} {monday:%b}"] * 2
    )
    assert f"week of {before.day} {before:%b}" not in result.output
    body = json.loads(check(runner, monday, "--format", "json").output)
    assert not [f for f in body["findings"] if f"week of {before.day} {before:%b}" in f["message"]]
