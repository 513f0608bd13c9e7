"""`flask demo load`: the demo workspace `make run` starts with."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from planner.cli.serve import serve_url
from planner.extensions import db
from planner.services import demo

demo_cli = AppGroup("demo", help="The demo workspace.")


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
    if result.password is None:
        click.echo(
            f"Log in at {serve_url(current_app.config)} as {result.email} with the password "
            "printed when the demo was first loaded (or set a new one with "
            f"`flask users set-password --email {result.email}`)."
        )
        return
    click.echo(f"Log in at {serve_url(current_app.config)} as {result.email} / {result.password}")
    click.echo("This password is shown only now: note it.")
