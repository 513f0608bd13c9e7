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
    from planner.json_provider import OrjsonProvider

    app.json = OrjsonProvider(app)
    extensions.init_app(app)
    hooks.wire(app)
    return app


def create_file_audit_app(config: dict | None = None) -> Flask:
    """Build the app `flask audit --personas FILE` runs in: settings and that one command.

    Auditing files against a persona file needs no database, pages or other commands, so
    none are bound (no extensions: no database engine; no blueprints): the command starts
    in about the time spaCy itself takes (see "Engine facts" in the README). `wsgi.py`
    picks this app when `planner.cli.audit.is_file_audit(sys.argv)`; everything else gets
    `create_app`, whose `hooks.wire` lists every feature.
    """
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(app.instance_path, overrides=config))

    from planner.cli import audit as audit_cli
    from planner.services import audit as audit_service

    app.cli.add_command(audit_cli.audit_command)
    audit_service.configure_engine(
        model=app.config.get("NLP_MODEL"), max_new_strings=app.config.get("NLP_MAX_NEW_STRINGS")
    )
    return app
