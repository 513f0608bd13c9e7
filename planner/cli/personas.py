"""`flask personas import|export`: the portable persona file."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from planner.cli.operator import fail, workspace_actor
from planner.errors import PlannerError
from planner.extensions import db
from planner.services.personas import service as persona_service
from planner.services.personas.file import PersonaFileError, dump_persona_yaml, read_persona_file

personas_cli = AppGroup("personas", help="Import and export persona files.")


@personas_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=str))
@click.option("--workspace", required=True)
def personas_import(path: str, workspace: str) -> None:
    """Upsert the file's personas by name; any error writes nothing and exits 2."""
    try:
        specs = read_persona_file(path)
    except PersonaFileError as error:
        for line in error.lines():
            click.echo(line, err=True)
        sys.exit(2)
    actor = workspace_actor(workspace)
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


@personas_cli.command("export")
@click.option("--workspace", required=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def personas_export(workspace: str, output) -> None:
    """Write the workspace's personas as the portable YAML file."""
    actor = workspace_actor(workspace)
    output.write(dump_persona_yaml(persona_service.export_specs(db.session, actor)))
