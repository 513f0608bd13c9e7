"""Migrations build the schema from an empty database, and it matches the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from planner import create_app
from planner.extensions import db
from tests.helpers import MIGRATION_NOW as NOW
from tests.helpers import insert_row


def test_upgrade_empty_database_matches_models_and_downgrades(empty_database, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        assert diff == [], f"models differ from migrations: {diff}"
        assert {"workspace", "user_account", "membership", "api_token", "persona"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_0005_carries_overrides_in_force_and_drops_lapsed_ones(empty_database):
    """An override on the audited text keeps approving its blocking words; a lapsed one goes."""
    blocked = {
        "verdict": "block",
        "personas": [
            {
                "id": 1,
                "name": "Pete",
                "kind": "negative",
                "level": "block",
                "matches": [
                    {"term": "on-premise", "text": "On-premise", "dismissed": False},
                    {"term": "on-premise", "text": "on-premise", "dismissed": False},
                    {"term": "rfp", "text": "RFP", "dismissed": True},
                ],
            }
        ],
    }
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as conn:
            workspace = insert_row(conn, "workspace", name="Acme")
            pieces = {}
            for name, approved in (("held", "h1"), ("lapsed", "old")):
                piece = insert_row(
                    conn,
                    "piece",
                    workspace_id=workspace,
                    title=name,
                    body="On-premise",
                    override_at=NOW,
                    override_reason="Legal said yes.",
                    override_text_hash=approved,
                )
                insert_row(
                    conn,
                    "piece_audit",
                    piece_id=piece,
                    verdict="block",
                    result=blocked,
                    persona_versions={},
                    text_hash="h1",
                    inputs_hash="i1",
                )
                pieces[name] = piece
        upgrade(revision="0005")
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT title, override_at, override_reason FROM piece ORDER BY title")
            ).all()
            meta = sa.Table("piece", sa.MetaData(), autoload_with=conn)
            approved = conn.execute(
                sa.select(meta.c.override_matches).where(meta.c.id == pieces["held"])
            ).scalar_one()
        assert [(r.title, r.override_at is not None, r.override_reason) for r in rows] == [
            ("held", True, "Legal said yes."),
            ("lapsed", False, None),
        ]
        assert approved == [[1, "on-premise", "on-premise"]]
        downgrade(revision="0004")
