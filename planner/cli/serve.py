"""`flask serve`: the app on waitress, plus the background work wired in `planner.hooks`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from planner.services import demo

# Where `hooks.wire` puts the functions `serve` calls with the app before serving.
SERVE_HOOKS_KEY = "planner.serve_hooks"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int, threads: int) -> None:
    """Serve the app with waitress, plus its background work, in one process."""
    from waitress import serve as waitress_serve

    app = current_app._get_current_object()
    for hook in app.extensions.get(SERVE_HOOKS_KEY, ()):
        hook(app)
    click.echo(f"Persona Planner on http://{host}:{port}")
    click.echo(f"Demo login: {demo.DEMO_EMAIL} / {demo.DEMO_PASSWORD}")
    waitress_serve(app, host=host, port=port, threads=threads)
