"""`flask users create` and `flask tokens create`: accounts for the operator."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from planner.cli.operator import fail
from planner.errors import PlannerError
from planner.extensions import db
from planner.services import accounts

users_cli = AppGroup("users", help="Manage user accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")


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
