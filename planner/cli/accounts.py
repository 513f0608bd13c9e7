"""`flask users ...` and `flask tokens create`: accounts for the operator."""

from __future__ import annotations

from typing import NoReturn

import click
from flask import current_app
from flask.cli import AppGroup

from planner.cli.operator import fail
from planner.cli.serve import serve_url
from planner.errors import PlannerError
from planner.extensions import db
from planner.services import accounts, accounts_members
from planner.services import accounts_invitations as invitations

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
        _fail_with(error)
    db.session.commit()
    click.echo(f"{user.email} is {role} of {workspace}.")


def _fail_with(error: PlannerError) -> NoReturn:
    db.session.rollback()
    details = "; ".join(f"{k}: {v}" for k, v in (error.details or {}).items())
    fail(f"{error.message} {details}".strip())


@users_cli.command("set-password")
@click.option("--email", required=True)
@click.password_option("--password", help="Prompted (twice) when not given.")
def users_set_password(email: str, password: str) -> None:
    """Set a user's password (same policy as sign-up) and end all their sessions."""
    user = accounts.user_by_email(db.session, email)
    if user is None:
        fail(f"No user with email {email!r}.")
    try:
        accounts.set_password(db.session, user, password)
    except PlannerError as error:
        _fail_with(error)
    db.session.commit()
    click.echo(f"Password of {user.email} changed; their sessions were ended.")


@users_cli.command("invite")
@click.option("--email", required=True)
@click.option("--workspace", required=True)
@click.option("--role", type=click.Choice(["owner", "editor", "viewer"]), default="viewer")
@click.option(
    "--base-url",
    default=None,
    help="Where people reach the app; the link starts with it. Default: from HOST and PORT.",
)
def users_invite(email: str, workspace: str, role: str, base_url: str | None) -> None:
    """Print a one-time link (valid 7 days) that lets EMAIL join WORKSPACE with ROLE."""
    try:
        issued = invitations.invite_by_name(db.session, workspace=workspace, email=email, role=role)
    except PlannerError as error:
        _fail_with(error)
    db.session.commit()
    base_url = base_url or serve_url(current_app.config)
    click.echo(f"{base_url.rstrip('/')}/invitations/{issued.secret}")


@users_cli.command("remove-member")
@click.option("--email", required=True)
@click.option("--workspace", required=True)
def users_remove_member(email: str, workspace: str) -> None:
    """Remove a member: their API tokens there are revoked and their sessions end."""
    try:
        user = accounts_members.remove_member_by_email(db.session, workspace=workspace, email=email)
    except PlannerError as error:
        _fail_with(error)
    db.session.commit()
    click.echo(f"{user.email} removed from {workspace}; their tokens were revoked.")


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
