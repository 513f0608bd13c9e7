"""`flask personas import|export`: the portable persona file."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from planner.cli.operator import fail, workspace_actor
from planner.errors import PlannerError
from planner.extensions import db
from planner.services.persona_preview import imports as import_preview
from planner.services.persona_preview import wording
from planner.services.persona_reviews import due as review_due
from planner.services.personas import service as persona_service
from planner.services.personas.file import PersonaFileError, dump_persona_yaml, read_persona_file

personas_cli = AppGroup("personas", help="Import and export persona files; list reviews due.")


@personas_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=str))
@click.option("--workspace", required=True)
@click.option("--dry-run", is_flag=True, help="Print what importing would change; write nothing.")
def personas_import(path: str, workspace: str, dry_run: bool) -> None:
    """Upsert the file's personas by name; any error writes nothing and exits 2."""
    try:
        specs = read_persona_file(path)
    except PersonaFileError as error:
        for line in error.lines():
            click.echo(line, err=True)
        sys.exit(2)
    actor = workspace_actor(workspace)
    if dry_run:
        _print_dry_run(path, actor, specs)
        return
    try:
        summary = persona_service.import_specs(db.session, actor, specs)
    except PlannerError as error:
        db.session.rollback()
        fail(f"{path}: {error.message}")
    db.session.commit()
    click.echo(
        f"{len(summary.created)} created, {len(summary.updated)} updated, "
        f"{len(summary.unchanged)} unchanged."
    )


def _print_dry_run(path: str, actor, specs) -> None:
    try:
        plans = import_preview.preview_import(db.session, actor, specs)
    except PlannerError as error:
        db.session.rollback()
        fail(f"{path}: {error.message}")
    db.session.rollback()  # a dry run writes nothing
    for plan in plans:
        click.echo(f"{plan.name}: {plan.outcome}")
        for line in wording.summary_lines(plan.impact) if plan.impact else ():
            click.echo(f"  {line}")
    counts = {o: sum(p.outcome == o for p in plans) for o in ("added", "updated", "unchanged")}
    click.echo(
        f"Dry run: {counts['added']} would be created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged; nothing was written."
    )


@personas_cli.command("export")
@click.option("--workspace", required=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def personas_export(workspace: str, output) -> None:
    """Write the workspace's personas as the portable YAML file."""
    actor = workspace_actor(workspace)
    output.write(dump_persona_yaml(persona_service.export_specs(db.session, actor)))


@personas_cli.command("due")
@click.option("--workspace", required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def personas_due(workspace: str, fmt: str) -> None:
    """List the personas due for review; exit 1 if any is due (for a scheduled reminder)."""
    actor = workspace_actor(workspace)
    due = review_due.due_personas(db.session, actor)
    if fmt == "json":
        click.echo(json.dumps({"due": [status.to_dict() for status in due]}, indent=2))
    else:
        for status in due:
            last = f"{status.reviewed_at:%Y-%m-%d}" if status.reviewed_at else "never"
            overdue = f"{status.days_overdue} day{'s' if status.days_overdue != 1 else ''} overdue"
            click.echo(f"{status.name}: last reviewed {last}, {overdue}")
        noun = "persona is" if len(due) == 1 else "personas are"
        click.echo(f"{len(due)} {noun} due for review." if due else "No persona is due for review.")
    if due:
        sys.exit(1)
