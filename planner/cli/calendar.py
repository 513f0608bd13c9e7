"""`flask calendar check`: the calendar check (docs/contracts.md) for scripts and cron.

Exit 0 when no finding is an `error`, 1 when one is, 2 on a usage or input error (an
unknown workspace, a bad date) with one line on stderr. Only findings inside the range are
reported: a piece's by its time, a week's (cadence, variety, mix) when one of its days is
(see `rules.CalendarContext.weeks`); a block an owner approved is a note, not an error.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import click
from flask.cli import AppGroup

from planner.cli.operator import fail, workspace_actor
from planner.errors import PlannerError
from planner.extensions import db
from planner.services import accounts
from planner.services.calendar import service as calendar_service
from planner.services.clock import WallClock, day_range, local_today


class OneLineUsageCommand(click.Command):
    """Report usage errors in one line on stderr (exit 2), like the input errors."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            fail(f"{error.format_message()} (see 'flask calendar check --help')")


calendar_cli = AppGroup("calendar", help="The editorial calendar.")


def _text_lines(findings, clock: WallClock) -> list[str]:
    lines = []
    for finding in findings:
        if finding.week is not None:
            where = f"week of {finding.week:%a} {finding.week.day} {finding.week:%b}"
        else:
            where = clock.text(finding.at) if finding.at else "-"
        piece = f" (piece {finding.piece_id})" if finding.piece_id is not None else ""
        line = f"{where}: {finding.severity}: {finding.rule}: {finding.message}{piece}"
        if finding.suggested_slot:
            line += f" [suggested: {clock.text(finding.suggested_slot)}]"
        lines.append(line)
    return lines


@calendar_cli.command("check", cls=OneLineUsageCommand)
@click.option("--workspace", required=True, help="The workspace's name.")
@click.option("--from", "first", metavar="DATE", help="First day (YYYY-MM-DD), default today.")
@click.option("--to", "last", metavar="DATE", help="Last day, included; default 27 days on.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def calendar_check(workspace: str, first: str | None, last: str | None, fmt: str) -> None:
    """Check the calendar's pieces against the personas; exit 1 on any error finding."""
    actor = workspace_actor(workspace)
    zone = accounts.workspace_zone(db.session, actor)
    now = datetime.now(UTC)
    try:
        start, end = day_range(first, last, zone, today=local_today(now, zone))
        findings = calendar_service.calendar_findings(db.session, actor, start, end, now)
    except PlannerError as error:
        fail(error.message)
    if fmt == "json":
        click.echo(json.dumps({"findings": [f.to_dict() for f in findings]}, indent=2))
    else:
        clock = WallClock(zone)
        for line in _text_lines(findings, clock):
            click.echo(line)
        counts = Counter(f.severity for f in findings)
        summary = ", ".join(f"{counts[s]} {s}" for s in ("error", "warn", "info") if counts[s])
        span = f"{clock.day(start)} to {clock.day(end - timedelta(microseconds=1))}"
        noun = "finding" if len(findings) == 1 else "findings"
        click.echo(f"{len(findings)} {noun} ({summary or 'none'}) from {span}.")
    if any(f.severity == "error" for f in findings):
        raise SystemExit(1)
