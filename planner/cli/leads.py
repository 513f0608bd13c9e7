"""`flask leads screen`: screen a CSV of leads against the personas (docs/leads.md).

Writes the same CSV with `verdict, buyer_persona, negative_personas, reasons` added, or
(`--format json`) one JSON array with a result per row, to stdout or `--output` (written
to a temporary file and renamed, so an error never leaves half a file). Exit 0 when no
lead reaches `--fail-on` (default `disqualify`), 1 when one does, 2 on a usage or input
error (a bad persona or leads file, a row that cannot be read: reported as
`FILE:LINE: error: ...` on stderr, the other rows still screened). With
`--personas FILE.yaml` no database is touched.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import click
from flask.cli import AppGroup

from planner import tasks
from planner.cli.operator import fail
from planner.errors import PlannerError
from planner.services.leads.csvio import ScreenedFile, screen_csv
from planner.services.leads.screen import VERDICTS, Screener
from planner.services.personas.file import PersonaFileError, read_persona_file

leads_cli = AppGroup("leads", help="Screen leads against the personas.")


class OneLineUsageCommand(click.Command):
    """Report usage errors in one line on stderr (exit 2), like the input errors."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            fail(f"{error.format_message()} (see 'flask leads screen --help')")


def _mapping(value: str | None) -> dict[str, str] | None:
    """Read `--mapping`: a JSON object (`{"job_title": "Title"}`) or a file holding one."""
    if value is None:
        return None
    text = value
    if not value.lstrip().startswith("{"):
        try:
            text = Path(value).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            fail(f"--mapping {value}: cannot be read ({error})")
    try:
        mapping = json.loads(text)
    except ValueError as error:
        fail(f"--mapping: not a JSON object: {error}")
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        fail(
            "--mapping: give a JSON object of lead fields to column names, "
            'e.g. {"job_title": "Title"}'
        )
    return mapping


def _screener(personas_file: str | None, workspace: str | None) -> Screener:
    """Compile the personas once, from the file (no database) or from the workspace."""
    if personas_file is not None:
        try:
            return Screener(read_persona_file(personas_file))
        except PersonaFileError as error:
            for line, message in error.problems:
                where = f"{error.filename}:{line}" if line else error.filename
                click.echo(f"{where}: {message}", err=True)
            raise SystemExit(2) from error
    from sqlalchemy.exc import SQLAlchemyError

    from planner.cli.operator import workspace_actor
    from planner.extensions import db
    from planner.services.leads.service import screener_for_workspace

    assert workspace is not None
    try:
        actor = workspace_actor(workspace)
        return screener_for_workspace(db.session, actor.workspace_id)
    except SQLAlchemyError as error:
        fail(f"cannot read the personas from the database: {getattr(error, 'orig', error)}")


def _write(output: str | None, text: str) -> None:
    """Print `text`, or write it to `output` atomically (a temporary file, then a rename)."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    target = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as error:
        fail(f"{output}: cannot be written: {error.strerror}")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        fail(f"{output}: cannot be written: {error.strerror}")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@leads_cli.command("screen", cls=OneLineUsageCommand)
@click.argument("path", metavar="FILE.csv")
@click.option("--personas", "personas_file", metavar="FILE.yaml", help="Persona file; no database.")
@click.option("--workspace", metavar="NAME", help="Use this workspace's personas.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
)
@click.option(
    "--fail-on",
    type=click.Choice(["review", "disqualify"]),
    default="disqualify",
    show_default=True,
    help="Exit 1 when a lead's verdict reaches this level.",
)
@click.option("--output", metavar="FILE", help="Write here instead of stdout (atomically).")
@click.option(
    "--mapping",
    metavar="JSON|FILE",
    help='Column names for lead fields, e.g. \'{"job_title": "Title"}\' (or a file holding it).',
)
def screen_command(
    path: str,
    personas_file: str | None,
    workspace: str | None,
    output_format: str,
    fail_on: str,
    output: str | None,
    mapping: str | None,
) -> None:
    """Screen a CSV of leads: annotated CSV (or JSON) out, exit 1 if a lead reaches --fail-on."""
    if (personas_file is None) == (workspace is None):
        fail("give exactly one of --personas FILE.yaml or --workspace NAME")
    columns = _mapping(mapping)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        fail(f"{path}: cannot be read: {error.strerror}")
    screener = _screener(personas_file, workspace)
    try:
        screened: ScreenedFile = screen_csv(screener, data, columns)
    except PlannerError as error:
        line = getattr(error, "line", None)
        fail(f"{path}:{line}: {error.message}" if line else f"{path}: {error.message}")
    if output_format == "json":
        text = json.dumps(screened.to_json(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = screened.annotated_csv()
    _write(output, text)
    for line, message in screened.file.errors:
        click.echo(f"{path}:{line}: error: {message}", err=True)
    if screened.file.errors:
        raise SystemExit(2)
    worst = max((VERDICTS.index(r.verdict) for r in screened.results), default=0)
    raise SystemExit(1 if worst >= VERDICTS.index(fail_on) else 0)


@leads_cli.command("purge")
def purge() -> None:
    """Delete every kept lead older than its workspace's retention period, now.

    The scheduler (`flask serve`'s poller, or the `flask scheduler` holding the lease) does
    this every hour by itself; the command is for cron set-ups and for checking.
    """
    purged = tasks.purge_expired_leads()["purged"]
    click.echo(f"Purged {purged} kept lead{'s' if purged != 1 else ''} past retention.")
