"""The one place features are connected to the app; read it to see what the app is made of.

`create_app` calls `wire(app)` once the extensions are bound. Every blueprint, API module,
command, serve-time worker and cross-domain listener is listed here as an import and a
call, so a reader (or grep) can follow each feature from here to its module.
"""

from __future__ import annotations

from flask import Flask

from planner import api, inputs, security, web
from planner.api import audit as audit_api
from planner.api import best_times as best_times_api
from planner.api import calendar as calendar_api
from planner.api import channels as channels_api
from planner.api import comments as comments_api
from planner.api import curation as curation_api
from planner.api import engagement as engagement_api
from planner.api import feeds as feeds_api
from planner.api import leads as leads_api
from planner.api import members as members_api
from planner.api import mix as mix_api
from planner.api import persona_preview as persona_preview_api
from planner.api import personas as personas_api
from planner.api import pieces as pieces_api
from planner.cli import accounts as accounts_cli
from planner.cli import audit as audit_cli
from planner.cli import calendar as calendar_cli
from planner.cli import demo as demo_cli
from planner.cli import engagement as engagement_cli
from planner.cli import feeds as feeds_cli
from planner.cli import leads as leads_cli
from planner.cli import personas as personas_cli
from planner.cli import scheduler as scheduler_cli
from planner.cli import serve as serve_cli
from planner.error_pages import register_error_handlers
from planner.services import audit as audit_service
from planner.services.calendar import service as calendar_service
from planner.services.calendar import subscriptions as calendar_subscriptions
from planner.services.feeds import admin as feed_admin
from planner.services.mix import service as mix_service
from planner.services.personas import refs as persona_refs
from planner.services.pieces import audits as piece_audits
from planner.services.pieces import service as piece_service
from planner.web import audit_preview, auth, channels, curation, dashboard, feeds, personas
from planner.web import best_times as best_times_web
from planner.web import calendar as calendar_web
from planner.web import engagement as engagement_web
from planner.web import exports as exports_web
from planner.web import favicon as favicon_web
from planner.web import health as health_web
from planner.web import leads as leads_web
from planner.web import persona_preview as persona_preview_web
from planner.web import persona_reviews as persona_reviews_web
from planner.web import piece_comments as piece_comments_web
from planner.web import pieces as pieces_web
from planner.web import preferences as preferences_web
from planner.web import settings as settings_web
from planner.web.calendar import grid as calendar_grid
from planner.web.calendar import pages as calendar_pages
from planner.web.calendar import subscriptions as calendar_subscription_pages

# HTML blueprints, in the order their URLs are matched.
BLUEPRINTS = (
    health_web.bp,
    auth.bp,
    personas.bp,
    settings_web.bp,
    audit_preview.bp,
    feeds.bp,
    calendar_web.bp,
    pieces_web.bp,
    channels.bp,
    dashboard.bp,
    curation.bp,
    engagement_web.bp,
    leads_web.bp,
)
# Modules whose views hang on a shared blueprint: importing them adds their routes.
ROUTE_MODULES = (
    calendar_pages,
    calendar_grid,
    calendar_subscription_pages,
    piece_comments_web,
    preferences_web,
    persona_preview_web,
    persona_reviews_web,
    best_times_web,
    favicon_web,
    exports_web,
    personas_api,
    persona_preview_api,
    best_times_api,
    audit_api,
    feeds_api,
    pieces_api,
    comments_api,
    channels_api,
    calendar_api,
    mix_api,
    curation_api,
    engagement_api,
    leads_api,
    members_api,
)
COMMANDS = (
    accounts_cli.users_cli,
    accounts_cli.tokens_cli,
    personas_cli.personas_cli,
    demo_cli.demo_cli,
    serve_cli.serve,
    audit_cli.audit_command,
    feeds_cli.feeds_cli,
    feeds_cli.worker,
    scheduler_cli.scheduler,
    calendar_cli.calendar_cli,
    engagement_cli.engagement_cli,
    leads_cli.leads_cli,
)
# Called with the app by `flask serve` before it starts serving.
SERVE_HOOKS = (feeds_cli.start_embedded_poller,)
# What still names a persona, so removing it archives instead of deleting.
PERSONA_REFERENCE_QUERIES = (
    piece_service.persona_is_referenced,
    feed_admin.persona_is_feed_target,
    calendar_subscriptions.persona_is_subscription_filter,
)


def wire(app: Flask) -> None:
    """Connect every feature to `app`: pages, API, commands, workers and listeners."""
    web.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    api.init_app(app)
    for command in COMMANDS:
        app.cli.add_command(command)
    app.extensions[serve_cli.SERVE_HOOKS_KEY] = SERVE_HOOKS
    register_error_handlers(app)
    inputs.init_app(app)
    security.init_app(app)

    for query in PERSONA_REFERENCE_QUERIES:
        persona_refs.add_reference_query(query)
    # A persona's new keywords or thresholds re-audit the workspace's drafts.
    persona_refs.add_lexicon_listener(piece_audits.persona_lexicon_changed)
    # Mix advice asks only for what the calendar's cadence caps and channel gaps hold.
    mix_service.set_room_finder(calendar_service.mix_room)
    audit_service.configure_engine(
        model=app.config.get("NLP_MODEL"), max_new_strings=app.config.get("NLP_MAX_NEW_STRINGS")
    )
