"""Persona Planner: the Flask application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: read config, bind extensions, register blueprints, CLI and errors.

    No I/O beyond reading settings happens here; the schema comes from `flask db upgrade`.
    """
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    from planner.config import load_config

    app.config.update(load_config(app.instance_path, overrides=config))

    from planner import extensions

    extensions.init_app(app)

    from planner import api, cli, web
    from planner.errors import register_error_handlers

    web.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    register_error_handlers(app)
    return app
