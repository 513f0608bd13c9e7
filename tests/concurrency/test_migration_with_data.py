"""Revision 0006 upgrades a database that already holds the damage the races left."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from planner import create_app
from planner.extensions import db
from tests.helpers import insert_row

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_upgrade_dedupes_keywords_and_keys_channels(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as conn:
            acme = insert_row(conn, "workspace", name="Acme")
            other = insert_row(conn, "workspace", name="Other")
            persona = insert_row(
                conn, "persona", workspace_id=acme, name="Pete", kind="negative", version=4
            )
            for _ in range(8):  # what ten concurrent PATCHes stored on PostgreSQL
                insert_row(
                    conn,
                    "persona_keyword",
                    persona_id=persona,
                    term="base",
                    weight=1.0,
                    case_sensitive=False,
                )
            insert_row(
                conn,
                "persona_keyword",
                persona_id=persona,
                term="BASE",
                weight=1.0,
                case_sensitive=True,
            )
            first = insert_row(conn, "channel", workspace_id=acme, name="Überblick")
            second = insert_row(conn, "channel", workspace_id=acme, name="überblick")
            insert_row(conn, "channel", workspace_id=acme, name="überblick (2)")
            elsewhere = insert_row(conn, "channel", workspace_id=other, name="ÜBERBLICK")
            piece = insert_row(
                conn, "piece", workspace_id=acme, title="On the second", channel_id=second
            )

        upgrade(revision="0006")

        with db.engine.connect() as conn:
            keywords = conn.execute(
                sa.text(
                    "SELECT term, case_sensitive FROM persona_keyword "
                    "WHERE persona_id = :p ORDER BY id"
                ),
                {"p": persona},
            ).all()
            assert [(k.term, bool(k.case_sensitive)) for k in keywords] == [
                ("base", False),
                ("BASE", True),
            ]
            channels = dict(
                conn.execute(
                    sa.text("SELECT id, name FROM channel WHERE workspace_id = :w"), {"w": acme}
                ).all()
            )
            assert channels[first] == "Überblick"
            assert channels[second] == "überblick (3)"  # renamed, kept, still under its piece
            keys = conn.execute(
                sa.text("SELECT name_key FROM channel WHERE id = :i"), {"i": elsewhere}
            )
            assert keys.scalar() == "überblick"
            assert (
                conn.execute(
                    sa.text("SELECT channel_id FROM piece WHERE id = :i"), {"i": piece}
                ).scalar()
                == second
            )
            row = conn.execute(
                sa.text("SELECT version, revision FROM persona WHERE id = :i"), {"i": persona}
            ).one()
            assert tuple(row) == (4, 1)
            assert (
                conn.execute(
                    sa.text("SELECT version FROM piece WHERE id = :i"), {"i": piece}
                ).scalar()
                == 1
            )

        with db.engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
            insert_row(
                conn,
                "persona_keyword",
                persona_id=persona,
                term="base",
                weight=1.0,
                case_sensitive=False,
            )

        downgrade(revision="0005")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("channel")}
            assert "name_key" not in columns
        db.engine.dispose()
