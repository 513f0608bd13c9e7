"""What every command shares: act as a workspace, and fail the way scripts expect."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

import click

from planner.errors import PlannerError

if TYPE_CHECKING:
    from planner.services.access import Actor


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and the exit code scripts rely on."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def workspace_actor(name: str) -> Actor:
    """Act as the workspace itself, with owner rights: the CLI is run by the operator."""
    # Imported here, so `fail` alone (the database-free `flask audit --personas`) does
    # not load the database layer.
    from planner.extensions import db
    from planner.services import accounts
    from planner.services.access import Actor

    try:
        workspace = accounts.find_workspace(db.session, name)
    except PlannerError as error:
        fail(error.message)
    return Actor(user_id=None, workspace_id=workspace.id, role="owner")
