"""`flask serve`: the app on waitress, plus the background work wired in `planner.hooks`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from planner.process import ready_to_serve
from planner.services import demo

# Where `hooks.wire` puts the functions `serve` calls with the app before serving.
SERVE_HOOKS_KEY = "planner.serve_hooks"


def waitress_options(config: dict, threads: int | None = None) -> dict:
    """Waitress's limits from `SERVE_*` settings (planner/config.py).

    Waitress's own defaults (100 connections, 120 s idle timeout) let 110 idle clients
    sending partial headers take the server offline; poll() instead of select() lifts the
    1,024-descriptor ceiling. A reverse proxy in front is still the real defence.
    """
    return {
        "threads": threads or int(config["SERVE_THREADS"]),
        "connection_limit": int(config["SERVE_CONNECTION_LIMIT"]),
        "channel_timeout": int(config["SERVE_CHANNEL_TIMEOUT"]),
        "cleanup_interval": int(config["SERVE_CLEANUP_INTERVAL"]),
        "backlog": int(config["SERVE_BACKLOG"]),
        "asyncore_use_poll": True,
    }


def serve_url(config: dict, host: str | None = None, port: int | None = None) -> str:
    """The address to open in a browser, from `HOST`/`PORT` (or the options that override them).

    A server listening on every interface (`0.0.0.0`, `::`) is reached on loopback here.
    """
    host = host or str(config.get("HOST") or "127.0.0.1")
    port = port or int(config.get("PORT") or 5000)
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


@click.command("serve")
@click.option("--host", default=None, help="Default: HOST (127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Default: PORT (5000).")
@click.option(
    "--threads", default=None, type=click.IntRange(min=1), help="Default: SERVE_THREADS (8)."
)
@with_appcontext
def serve(host: str | None, port: int | None, threads: int | None) -> None:
    """Serve the app with waitress, plus its background work, in one process."""
    from waitress import serve as waitress_serve

    app = current_app._get_current_object()
    options = waitress_options(app.config, threads)
    host = host or str(app.config.get("HOST") or "127.0.0.1")
    port = port or int(app.config.get("PORT") or 5000)
    for hook in app.extensions.get(SERVE_HOOKS_KEY, ()):
        hook(app)
    ready_to_serve()
    click.echo(f"Persona Planner on {serve_url(app.config, host, port)}")
    click.echo(f"Demo login: {demo.DEMO_EMAIL}, password printed by the first `flask demo load`")
    waitress_serve(app, host=host, port=port, **options)
