"""Migration 0008 summarises audits stored before it, so lists and the stale count work
on an upgraded workspace as on a new one."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask_migrate import upgrade

from planner import create_app
from planner.extensions import db
from planner.services.pieces.summary import summarize, versions_key
from tests.helpers import insert_row

RESULT = {
    "verdict": "warn",
    "word_count": 9,
    "personas": [
        {"id": 1, "name": "Pete", "kind": "negative", "score": 3.0, "level": "warn", "matches": []}
    ],
    "findings": [{"level": "warn", "persona": "Pete", "message": "m"}],
    "omitted_findings": 2,
    "warnings": [],
}


def test_0008_fills_summaries_and_the_latest_audit_key(empty_database):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as conn:
            workspace = insert_row(conn, "workspace", name="Acme")
            piece = insert_row(conn, "piece", workspace_id=workspace, title="Old", body="x")
            for versions in ({"1": 1}, {"1": 2, "10": 1}):  # the second is the latest
                insert_row(
                    conn,
                    "piece_audit",
                    piece_id=piece,
                    verdict="warn",
                    result=RESULT,
                    persona_versions=versions,
                    text_hash="t",
                    inputs_hash="i",
                )
        upgrade(revision="0008")
        with db.engine.connect() as conn:
            key = conn.execute(sa.text("SELECT audit_versions_key FROM piece")).scalar_one()
            summaries = conn.execute(sa.text("SELECT summary FROM piece_audit")).scalars().all()
        db.engine.dispose()
    assert key == versions_key({"10": 1, "1": 2})
    loaded = [json.loads(s) if isinstance(s, str) else s for s in summaries]
    assert loaded == [summarize(RESULT)] * 2
    assert loaded[0]["findings"] == {"warn": 1, "total": 3}
