"""Persona Planner: the Flask application factory."""

from __future__ import annotations

from flask import Flask

from planner.config import ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app: read config, bind extensions, then connect the features (`hooks`).

    No I/O beyond reading settings happens here; the schema comes from `flask db upgrade`.
    """
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(app.instance_path, overrides=config))

    from planner import extensions, hooks

    extensions.init_app(app)
    hooks.wire(app)
    return app
