"""`flask` commands. Thin: parse options, call one service, print, commit."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from planner.errors import PlannerError
from planner.extensions import db
from planner.services import accounts, demo
from planner.services import personas as persona_service
from planner.services.access import Actor
from planner.services.persona_file import PersonaFileError, dump_persona_yaml, read_persona_file


def fail(message: str, code: int = 2) -> None:
    """One line on stderr and the exit code scripts rely on."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def workspace_actor(name: str) -> Actor:
    """Act as the workspace itself, with owner rights: the CLI is run by the operator."""
    try:
        workspace = accounts.find_workspace(db.session, name)
    except PlannerError as error:
        fail(error.message)
    return Actor(user_id=None, workspace_id=workspace.id, role="owner")


users_cli = AppGroup("users", help="Manage user accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")
personas_cli = AppGroup("personas", help="Import and export persona files.")
demo_cli = AppGroup("demo", help="The demo workspace.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--workspace", required=True, help="Created if it does not exist.")
@click.option("--role", type=click.Choice(["owner", "editor", "viewer"]), default="editor")
def users_create(email: str, password: str, workspace: str, role: str) -> None:
    """Create a user (or change their role) in a workspace."""
    try:
        user = accounts.create_user(
            db.session, email=email, password=password, workspace=workspace, role=role
        )
    except PlannerError as error:
        db.session.rollback()
        details = "; ".join(f"{k}: {v}" for k, v in (error.details or {}).items())
        fail(f"{error.message} {details}".strip())
    db.session.commit()
    click.echo(f"{user.email} is {role} of {workspace}.")


@tokens_cli.command("create")
@click.option("--email", required=True)
@click.option("--workspace", required=True)
@click.option("--name", required=True)
def tokens_create(email: str, workspace: str, name: str) -> None:
    """Issue an API token; it is printed once and only its hash is stored."""
    try:
        issued = accounts.create_token_for(db.session, email=email, workspace=workspace, name=name)
    except PlannerError as error:
        db.session.rollback()
        fail(error.message)
    db.session.commit()
    click.echo(issued.secret)


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


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no workspace yet.")
def demo_load(if_empty: bool) -> None:
    """Create or refresh the demo workspace and its login."""
    result = demo.load_demo(db.session, only_if_empty=if_empty)
    db.session.commit()
    if result is None:
        click.echo("Database already has data; demo not loaded.")
        return
    click.echo(f"Demo workspace {result.workspace!r} ready.")
    click.echo(f"Log in at http://127.0.0.1:5000 as {result.email} / {result.password}")


# Background work started beside the web server by `flask serve` (e.g. the feed poller).
SERVE_HOOKS: list = []


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int, threads: int) -> None:
    """Serve the app with waitress, plus its background work, in one process."""
    from waitress import serve as waitress_serve

    app = current_app._get_current_object()
    for hook in SERVE_HOOKS:
        hook(app)
    click.echo(f"Persona Planner on http://{host}:{port}")
    click.echo(f"Demo login: {demo.DEMO_EMAIL} / {demo.DEMO_PASSWORD}")
    waitress_serve(app, host=host, port=port, threads=threads)


# Modules with more commands, each exposing `commands` (a list of click commands or groups).
COMMAND_MODULES: list[str] = ["planner.cli_audit", "planner.cli_feeds", "planner.cli_calendar"]


def init_app(app: Flask) -> None:
    import importlib

    for group in (users_cli, tokens_cli, personas_cli, demo_cli):
        app.cli.add_command(group)
    app.cli.add_command(serve)
    for name in COMMAND_MODULES:
        for command in importlib.import_module(name).commands:
            app.cli.add_command(command)
